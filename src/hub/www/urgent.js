// ledsign hub, the urgent notice form: plain JavaScript, no build step, no
// library. The form's fields go as they are to POST /api/urgent; the hub
// builds the notice, checks it with the library the boards run, signs it
// with the layer's key and tells the boards at once. Every refusal comes
// back with the field it is about, and is shown there.
'use strict';

const T = {
  vi: {
    title: 'Bảng LED BHXH', nav_fleet: 'Bảng', nav_report: 'Báo cáo phát', nav_studio: 'Xưởng biên tập', nav_urgent: 'Thông báo khẩn',
    login_title: 'Đăng nhập', user: 'Tên đăng nhập', password: 'Mật khẩu', login: 'Đăng nhập',
    urgent_title: 'Thông báo khẩn',
    lead: 'Thông báo khẩn cắt ngang mọi nội dung trên các bảng được chọn, từ lúc bắt đầu đến lúc kết thúc.',
    f_layer: 'Lớp khẩn', f_text: 'Nội dung thông báo',
    f_tags: 'Thẻ của các bảng (cách nhau bằng dấu phẩy; để trống: mọi bảng của lớp)',
    f_from: 'Bắt đầu (để trống: ngay bây giờ)', f_until: 'Kết thúc',
    zone_hint: 'Giờ theo múi giờ của trung tâm ([hub] timezone, thường là giờ Việt Nam).',
    f_password: 'Mật khẩu khóa của lớp', send: 'Ký và đăng thông báo khẩn',
    sending: 'Đang mở khóa, ký và đăng… (mất vài giây)', result: 'Đã đăng',
    r_layer: 'Lớp', r_version: 'Phiên bản', r_signed: 'Ký lúc', r_push: 'Kênh đẩy', r_item: 'Mã mục', r_window: 'Thời gian',
    push_sent: 'đã báo ngay cho các bảng', push_none: 'lớp này không có kênh đẩy: các bảng nhận ở lần hỏi nguồn tin kế tiếp',
    push_failed: e => `không báo được (${e}): các bảng nhận ở lần hỏi nguồn tin kế tiếp`,
    no_layers: 'Bạn chưa được giao lớp khẩn nào; hãy hỏi quản trị viên.',
    need_text: 'Hãy nhập nội dung thông báo', need_until: 'Hãy chọn lúc thông báo kết thúc',
    need_password: 'Hãy nhập mật khẩu khóa của lớp',
  },
  en: {
    title: 'BHXH LED boards', nav_fleet: 'Boards', nav_report: 'Proof of play', nav_studio: 'Studio', nav_urgent: 'Urgent notice',
    login_title: 'Log in', user: 'User name', password: 'Password', login: 'Log in',
    urgent_title: 'Urgent notice',
    lead: 'An urgent notice cuts into everything on the chosen boards, from its start to its end.',
    f_layer: 'Urgent layer', f_text: 'Text of the notice',
    f_tags: 'Tags of the boards (separated by commas; empty: every board of the layer)',
    f_from: 'Starts (empty: now)', f_until: 'Ends',
    zone_hint: 'Times are in the hub\'s time zone ([hub] timezone, usually Vietnam\'s).',
    f_password: 'The layer key\'s password', send: 'Sign and publish the urgent notice',
    sending: 'Unlocking the key, signing and publishing… (a few seconds)', result: 'Published',
    r_layer: 'Layer', r_version: 'Version', r_signed: 'Signed at', r_push: 'Push channel', r_item: 'Item id', r_window: 'When',
    push_sent: 'the boards were told at once', push_none: 'this layer has no push channel: boards take it at their next poll',
    push_failed: e => `could not tell the boards (${e}): they take it at their next poll`,
    no_layers: 'No urgent layer is assigned to you; ask an administrator.',
    need_text: 'Type the text of the notice', need_until: 'Choose when the notice ends',
    need_password: 'Type the layer key\'s password',
  },
};
let lang = localStorage.getItem('hub-lang') === 'en' ? 'en' : 'vi';
const t = k => T[lang][k] ?? k;
const $ = s => document.querySelector(s);
const pad = n => String(n).padStart(2, '0');
let me = null, csrf = '';

async function api(path, opts = {}) {
  const headers = { 'Content-Type': 'application/json', 'Accept-Language': lang };
  if (opts.method && opts.method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, { credentials: 'same-origin', ...opts, headers });
  const type = r.headers.get('Content-Type') || '';
  return { status: r.status, body: type.startsWith('application/json') ? await r.json() : { error: await r.text() } };
}
const post = (path, body) => api(path, { method: 'POST', body });

function translate() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach(e => { e.textContent = t(e.dataset.i18n); });
  $('#lang').textContent = lang === 'vi' ? 'EN' : 'VI';
}
function show(id) {
  document.querySelectorAll('main > section').forEach(s => { s.hidden = s.id !== id; });
  $('#nav').hidden = !me;
}

// ---- login ----

async function whoami() {
  const r = await api('/api/me');
  if (r.status === 200) { me = r.body; csrf = me.csrf; $('#who').textContent = `${me.name} (${me.role})`; }
  else { me = null; csrf = r.body.login_csrf || ''; }
}
$('#login-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const r = await post('/api/login', JSON.stringify({ name: f.get('name'), password: f.get('password') }));
  if (r.status !== 200) { $('#login-error').textContent = r.body.error || r.status; return; }
  await whoami();
  start();
});

// ---- the form ----

function clearMessages() {
  document.querySelectorAll('#urgent-form label[data-field]').forEach(l => {
    l.classList.remove('bad');
    l.querySelector('.msg').textContent = '';
  });
  $('#urgent-error').textContent = '';
}
// A message at the form's field, or above the form when it names none.
function message(field, text) {
  const l = field && $(`#urgent-form label[data-field=${field}]`);
  if (!l) { $('#urgent-error').textContent = text; return; }
  l.classList.add('bad');
  l.querySelector('.msg').textContent = text;
  l.querySelector('input, textarea, select').focus();
}

const form = () => $('#urgent-form').elements;
$('#urgent-form').elements.text.addEventListener('input', () => { $('#count').textContent = [...form().text.value].length; });

// The fields a notice cannot go without, checked here only to save a round
// trip; the hub checks everything again.
function missing(f) {
  if (!f.text.value.trim()) return ['text', t('need_text')];
  if (!f.until.value) return ['until', t('need_until')];
  if (!f.password.value) return ['password', t('need_password')];
  return null;
}

function showResult(b) {
  const it = JSON.parse(b.body).items[0];
  const push = b.push === 'sent' ? t('push_sent') : b.push === 'none' ? t('push_none') : t('push_failed')(b.push);
  const when = new Date(b.signed_at * 1000);
  const rows = [[t('r_layer'), b.layer], [t('r_version'), b.version],
    [t('r_signed'), `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`],
    [t('r_item'), it.id], [t('r_window'), `${it.from.replace('T', ' ')} → ${it.until.replace('T', ' ')}`], [t('r_push'), push]];
  $('#result-list').replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement('dt'), dd = document.createElement('dd');
    dt.textContent = k; dd.textContent = String(v);
    return [dt, dd];
  }));
  $('#result').hidden = false;
}

$('#urgent-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const f = form();
  clearMessages();
  $('#result').hidden = true;
  const miss = missing(f);
  if (miss) { message(...miss); return; }
  const req = { text: f.text.value, tags: f.tags.value, until: f.until.value, password: f.password.value };
  if (f.from.value) req.from = f.from.value;
  if (f.layer.value) req.layer = f.layer.value;
  $('#send').disabled = true;
  $('#status').textContent = t('sending');
  const r = await post('/api/urgent', JSON.stringify(req));
  $('#send').disabled = false;
  $('#status').textContent = '';
  if (r.status !== 200) {
    const findings = (r.body.findings || []).map(x => x.text).join('\n');
    message(r.body.field, (r.body.error || String(r.status)) + (findings ? '\n' + findings : ''));
    if (r.body.field === 'password') f.password.value = '';
    return;
  }
  f.password.value = '';
  $('#status').textContent = r.body.message;
  showResult(r.body);
});

// ---- start ----

$('#lang').addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('hub-lang', lang);
  translate();
});

async function start() {
  translate();
  if (!me) { show('login'); return; }
  show('urgent');
  const r = await api('/api/layers');
  if (r.status !== 200) { $('#urgent-error').textContent = r.body.error || r.status; return; }
  const layers = r.body.layers.filter(l => l.urgent);
  form().layer.replaceChildren(...layers.map(l => new Option(`${l.title} (${l.name})`, l.name)));
  $('#layer-label').hidden = layers.length < 2;
  if (!layers.length) { $('#urgent-error').textContent = t('no_layers'); $('#send').disabled = true; }
}

whoami().then(start);
