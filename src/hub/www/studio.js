// ledsign hub, the editors' studio: plain JavaScript, no build step, no library.
// The playlist is one JSON text; the form edits the selected item of it and
// the text beside it holds everything else. Every check and every picture
// comes from the hub (POST /api/studio/...), which asks the library the
// boards run: this page decides nothing about what a board does.
'use strict';

const T = {
  vi: {
    title: 'Bảng LED BHXH', nav_fleet: 'Bảng', nav_report: 'Báo cáo phát', nav_studio: 'Xưởng biên tập', nav_urgent: 'Thông báo khẩn',
    login_title: 'Đăng nhập', user: 'Tên đăng nhập', password: 'Mật khẩu', login: 'Đăng nhập',
    studio_title: 'Xưởng biên tập', add: '+ Thêm mục', save: 'Lưu bản nháp', items: 'Các mục', item_form: 'Mục đang sửa',
    f_id: 'Mã mục (id)', f_text: 'Nội dung chữ', f_effect: 'Hiệu ứng', f_speed: 'Tốc độ (điểm/giây)', f_colour: 'Màu (#rrggbb)',
    f_zone: 'Vùng', f_from: 'Từ ngày (YYYY-MM-DD)', f_until: 'Đến ngày (YYYY-MM-DD)', f_days: 'Các ngày (mon-fri, sat, sun)',
    f_windows: 'Khung giờ (07:30-11:30, 13:30-17:00)', f_priority: 'Ưu tiên', f_interrupt: 'Ngắt ngang (thông báo khẩn)',
    f_tags: 'Nhãn (a, b)', f_picture: 'Hình ảnh (PNG hoặc GIF, tối đa 256 KiB)',
    no_picture: 'Mục này chưa có hình ảnh.', uploading: 'Đang tải hình ảnh lên…',
    picture_is: (file, sha) => `${file} · sha256 ${sha.slice(0, 16)}…, lưu trong kho hình ảnh của lớp`, remove: 'Xóa mục này', json: 'Văn bản JSON', findings: 'Kết quả kiểm tra',
    preview: 'Xem trước trên bảng', board_size: 'Cỡ bảng', show_preview: 'Xem trước mục này', show_sheet: 'Tờ tổng hợp',
    show_week: 'Lịch phát cả tuần', show_diff: 'So với bản đang phát', sheet: 'Tờ tổng hợp các mục', week: 'Lịch phát trong tuần',
    diff: 'Khác biệt so với bản đang phát', no_layers: 'Bạn chưa được giao lớp nội dung nào; hãy hỏi quản trị viên.',
    checking: 'Đang kiểm tra…', clean: 'Không có lỗi', counts: (e, w) => `${e} lỗi, ${w} cảnh báo`,
    not_json: 'Văn bản JSON chưa đúng cú pháp: sửa theo dòng:cột bên dưới', saved_at: t => `đã lưu lúc ${t}`,
    rendering: 'Đang vẽ…', added: 'thêm mới', removed: 'bỏ đi', changed: 'thay đổi', unchanged: n => `${n} mục không đổi`,
    nothing_published: 'Lớp này chưa xuất bản lần nào: mọi mục đều mới.', other_key: 'khóa', new_item: 'Mục mới',
    weekdays: ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'], dark: '(tắt)', builtin: '(chữ mặc định của bảng)',
    weekdays_long: ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'],
    pub_title: 'Đăng lên bảng', key_password: 'Mật khẩu khóa ký của lớp', pub_note: 'Ghi chú (không bắt buộc)',
    publish: 'Ký và đăng', submit: 'Gửi duyệt', confirm: 'Xác nhận', cancel: 'Hủy',
    pub_info: (title, key, v) => `${title} · khóa ký ${key} · ${v ? `bảng đang có phiên bản ${v}` : 'trung tâm chưa đăng phiên bản nào'}.`,
    pub_outside: 'Bảng đang có một bản không do trung tâm này ký (đăng bằng ledsign publish?).',
    pub_approval: 'Lớp này cần người duyệt: bản bạn gửi chỉ lên bảng khi một người duyệt khác duyệt và ký nó.',
    pub_pending: n => `${n} phiên bản đang chờ duyệt.`,
    signing: 'Đang mở khóa và ký… (vài giây; mật khẩu không được lưu ở đâu cả)', sending: 'Đang gửi…',
    published: r => `Đã ký và đăng phiên bản ${r.version}, ký lúc ${when(r.signed_at)}. Các bảng nhận được ở lần hỏi tin kế tiếp.`,
    rolled_back: (r, old) => `Đã khôi phục: phiên bản ${r.version} mang lại nội dung của phiên bản ${old}, ký mới lúc ${when(r.signed_at)}.`,
    submitted: v => `Đã gửi duyệt phiên bản ${v}: bản này lên bảng khi người duyệt duyệt và ký.`,
    rejected: v => `Đã trả lại phiên bản ${v}: bản này sẽ không lên bảng.`,
    push: s => `kênh đẩy: ${s}`,
    versions: 'Các phiên bản', v_version: 'Phiên bản', v_when: 'Lúc', v_who: 'Người', v_note: 'Ghi chú', v_status: 'Trạng thái',
    st_current: 'đang trên bảng', st_published: 'đã đăng', st_pending: 'chờ duyệt', st_rejected: 'không được duyệt',
    no_versions: 'Chưa có phiên bản nào do trung tâm ký.', rollback_note: v => `khôi phục phiên bản ${v}`,
    rollback: 'Khôi phục', approve: 'Duyệt và ký', reject: 'Không duyệt',
    rollback_q: v => `Khôi phục phiên bản ${v}: nội dung của nó được ký lại thành một phiên bản mới (bảng không nhận chữ ký cũ). Nhập mật khẩu khóa ký của lớp.`,
    approve_q: v => `Duyệt phiên bản ${v}: bản này được ký và lên bảng ngay. Nhập mật khẩu khóa ký của lớp.`,
    reject_q: v => `Không duyệt phiên bản ${v}: bản này sẽ không lên bảng. Có thể ghi lý do cho người gửi.`,
    audit: 'Nhật ký của lớp', a_at: 'Lúc', a_who: 'Người', a_action: 'Việc', a_detail: 'Chi tiết', a_address: 'Địa chỉ',
    no_audit: 'Nhật ký chưa có gì.',
    acts: { 'layer.publish': 'đăng', 'layer.publish.refused': 'từ chối: sai mật khẩu khóa', 'layer.denied': 'từ chối: ngoài phạm vi',
      'layer.submit': 'gửi duyệt', 'layer.reject': 'không duyệt', 'studio.refused': 'từ chối: ngoài phạm vi',
      'layer.picture': 'tải hình ảnh lên' },
    see_check: 'Các lỗi hiện ở các ô của mục và trong "Kết quả kiểm tra" phía trên: sửa rồi đăng lại.',
    d_version: 'phiên bản', d_signed: 'ký lúc', d_pending: 'chờ duyệt',
    d_why: { 'wrong key password': 'sai mật khẩu khóa', "this layer is outside your account's scope": 'lớp này nằm ngoài phạm vi tài khoản',
      'only an approver of this layer may approve': 'chỉ người duyệt của lớp này mới được duyệt',
      'nobody may approve their own submission': 'không được tự duyệt bản do chính mình gửi',
      'only an approver of this layer may roll it back': 'chỉ người duyệt của lớp này mới được khôi phục',
      "not in the user's scope": 'ngoài phạm vi tài khoản' },
  },
  en: {
    title: 'BHXH LED boards', nav_fleet: 'Boards', nav_report: 'Proof of play', nav_studio: 'Studio', nav_urgent: 'Urgent notice',
    login_title: 'Log in', user: 'User name', password: 'Password', login: 'Log in',
    studio_title: 'Studio', add: '+ Add an item', save: 'Save draft', items: 'Items', item_form: 'Item being edited',
    f_id: 'Item id', f_text: 'Text', f_effect: 'Effect', f_speed: 'Speed (px/s)', f_colour: 'Colour (#rrggbb)',
    f_zone: 'Zone', f_from: 'From (YYYY-MM-DD)', f_until: 'Until (YYYY-MM-DD)', f_days: 'Days (mon-fri, sat, sun)',
    f_windows: 'Windows (07:30-11:30, 13:30-17:00)', f_priority: 'Priority', f_interrupt: 'Interrupt (urgent notice)',
    f_tags: 'Tags (a, b)', f_picture: 'Picture (PNG or GIF, at most 256 KiB)',
    no_picture: 'This item has no picture.', uploading: 'Uploading the picture…',
    picture_is: (file, sha) => `${file} · sha256 ${sha.slice(0, 16)}…, kept in the layer's picture store`, remove: 'Remove this item', json: 'JSON text', findings: 'Check',
    preview: 'Preview on the board', board_size: 'Board size', show_preview: 'Preview this item', show_sheet: 'Contact sheet',
    show_week: 'Week timeline', show_diff: 'Compare with what boards show', sheet: 'Contact sheet of the items', week: 'The week',
    diff: 'Difference from what boards show', no_layers: 'No feed layer is assigned to you; ask an administrator.',
    checking: 'Checking…', clean: 'No problems', counts: (e, w) => `${e} error(s), ${w} warning(s)`,
    not_json: 'The JSON text does not parse: fix it at the line:col below', saved_at: t => `saved at ${t}`,
    rendering: 'Drawing…', added: 'added', removed: 'removed', changed: 'changed', unchanged: n => `${n} item(s) unchanged`,
    nothing_published: 'Nothing published on this layer yet: every item is new.', other_key: 'key', new_item: 'New item',
    weekdays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'], dark: '(dark)', builtin: '(the board\'s built-in text)',
    weekdays_long: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    pub_title: 'Publish to the boards', key_password: 'The layer key\'s password', pub_note: 'Note (optional)',
    publish: 'Sign and publish', submit: 'Submit for approval', confirm: 'Confirm', cancel: 'Cancel',
    pub_info: (title, key, v) => `${title} · signing key ${key} · ${v ? `boards have version ${v}` : 'the hub has published no version yet'}.`,
    pub_outside: 'Boards have a file this hub did not sign (published with ledsign publish?).',
    pub_approval: 'This layer needs an approver: what you submit reaches the boards once another person, an approver, approves and signs it.',
    pub_pending: n => `${n} version(s) waiting for approval.`,
    signing: 'Unlocking the key and signing… (a few seconds; the password is stored nowhere)', sending: 'Sending…',
    published: r => `Version ${r.version} signed and published, signed at ${when(r.signed_at)}. Boards take it at their next poll.`,
    rolled_back: (r, old) => `Rolled back: version ${r.version} brings back the content of version ${old}, newly signed at ${when(r.signed_at)}.`,
    submitted: v => `Version ${v} submitted: it reaches the boards once an approver approves and signs it.`,
    rejected: v => `Version ${v} rejected: it will not reach the boards.`,
    push: s => `push channel: ${s}`,
    versions: 'Versions', v_version: 'Version', v_when: 'When', v_who: 'Who', v_note: 'Note', v_status: 'Status',
    st_current: 'on the boards', st_published: 'published', st_pending: 'waiting for approval', st_rejected: 'rejected',
    no_versions: 'The hub has signed no version yet.', rollback_note: v => `rollback to version ${v}`,
    rollback: 'Roll back', approve: 'Approve and sign', reject: 'Reject',
    rollback_q: v => `Roll back to version ${v}: its content is signed again as a new version (boards refuse an older signature). Type the layer key's password.`,
    approve_q: v => `Approve version ${v}: it is signed and reaches the boards at once. Type the layer key's password.`,
    reject_q: v => `Reject version ${v}: it will not reach the boards. You may give the sender a reason.`,
    audit: 'The layer\'s audit trail', a_at: 'When', a_who: 'Who', a_action: 'What', a_detail: 'Detail', a_address: 'Address',
    no_audit: 'The audit trail is empty.',
    acts: { 'layer.publish': 'publish', 'layer.publish.refused': 'refused: wrong key password', 'layer.denied': 'refused: outside the scope',
      'layer.submit': 'submit', 'layer.reject': 'reject', 'studio.refused': 'refused: outside the scope',
      'layer.picture': 'picture uploaded' },
    see_check: 'The errors show at the item\'s fields and under "Check" above: fix them and publish again.',
    d_version: 'version', d_signed: 'signed at', d_pending: 'waiting for approval', d_why: {},
  },
};
let lang = localStorage.getItem('hub-lang') === 'en' ? 'en' : 'vi';
const t = k => T[lang][k] ?? k;
const $ = s => document.querySelector(s);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const pad = n => String(n).padStart(2, '0');
let me = null, csrf = '', layer = '', doc = null, sel = -1, lint = null, lintSeq = 0;
const timers = {};
function later(name, ms, fn) { clearTimeout(timers[name]); timers[name] = setTimeout(fn, ms); }

async function api(path, opts = {}) {
  // The hub answers the layer routes in the language asked for first.
  const headers = { 'Content-Type': 'application/json', 'Accept-Language': lang };
  if (opts.method && opts.method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, { credentials: 'same-origin', ...opts, headers });
  const type = r.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await r.json() : type.startsWith('image/') ? await r.blob() : await r.text();
  return { status: r.status, body };
}
const post = (path, body) => api(path, { method: 'POST', body });
const text = () => $('#json').value;
const size = () => $('#size').value || '192x16';
// The studio draws an item's picture from the picture store of the layer being edited.
const onLayer = () => layer ? `&layer=${encodeURIComponent(layer)}` : '';

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

// ---- the playlist: one text, the form edits the selected item ----

const FIELDS = ['id', 'text', 'effect', 'speed', 'colour', 'zone', 'from', 'until', 'days', 'windows', 'priority', 'interrupt', 'tags'];
const LISTS = ['days', 'windows', 'tags'], NUMBERS = ['speed', 'priority'];

function setText(s, fromForm) {
  if (!fromForm) $('#json').value = s;
  try { doc = JSON.parse(s); } catch { doc = null; }
  const items = doc && Array.isArray(doc.items) ? doc.items : [];
  if (sel >= items.length) sel = items.length - 1;
  if (sel < 0 && items.length) sel = 0;
  renderItems();
  if (!fromForm) renderForm();
  later('lint', 300, runLint);
  later('save', 2000, saveDraft);
}

function renderItems() {
  const items = doc && Array.isArray(doc.items) ? doc.items : [];
  $('#items').innerHTML = items.map((it, i) => {
    const n = lint ? lint.findings.filter(f => f.item === i && f.level === 'error').length : 0;
    return `<li data-i="${i}" class="${i === sel ? 'sel' : ''}${n ? ' bad' : ''}"><b>${esc(it.id ?? '?')}</b> ${esc(typeof it.text === 'string' ? it.text : '')}</li>`;
  }).join('');
}
$('#items').addEventListener('click', ev => {
  const li = ev.target.closest('li');
  if (!li) return;
  sel = Number(li.dataset.i);
  renderItems(); renderForm(); showMessages();
});

function renderForm() {
  const it = doc && Array.isArray(doc.items) ? doc.items[sel] : undefined;
  const f = $('#item-form');
  f.hidden = !it;
  if (!it) return;
  for (const k of FIELDS) {
    const e = f.elements[k], v = it[k];
    if (k === 'interrupt') e.checked = v === true;
    else if (LISTS.includes(k) && Array.isArray(v)) e.value = v.join(', ');
    else e.value = v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  const p = it.picture;
  $('#picture-info').textContent = p && p.file ? t('picture_is')(p.file, String(p.sha256 ?? '')) : t('no_picture');
  $('#picture-file').value = '';
}

// A picture (PNG or GIF) chosen for the item goes to the layer's picture store, which checks
// it as a board does; the item names it by the path and hash the hub answers.
const pictureName = f => {
  const ext = /\.gif$/i.test(f.name) ? '.gif' : '.png';
  return 'pictures/' + (f.name.toLowerCase().replace(/\.(png|gif)$/, '').replace(/[^a-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'picture') + ext;
};
$('#picture-file').addEventListener('change', async ev => {
  const file = ev.target.files[0], it = doc && doc.items ? doc.items[sel] : undefined, msg = $('#picture-msg');
  ev.stopPropagation();
  if (!file || !it || !layer) return;
  msg.textContent = t('uploading');
  const r = await fetch(`/api/layers/${encodeURIComponent(layer)}/pictures?name=${encodeURIComponent(pictureName(file))}`, {
    method: 'POST', credentials: 'same-origin', body: file,
    headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-CSRF-Token': csrf, 'Accept-Language': lang } });
  const body = await r.json().catch(() => ({}));
  if (r.status !== 200) { msg.textContent = body.error || r.status; return; }
  msg.textContent = '';
  it.picture = { ...(typeof it.picture === 'object' && it.picture ? it.picture : {}), file: body.path, sha256: body.sha256 };
  document.body.dataset.picture = body.sha256;
  setText(JSON.stringify(doc, null, 2) + '\n', false);
});

// The form's values into the item, as typed: the library says what is wrong.
$('#item-form').addEventListener('input', ev => {
  if (ev.target.type === 'file' || !doc || !doc.items || !doc.items[sel]) return;
  const f = $('#item-form'), it = doc.items[sel];
  for (const k of FIELDS) {
    const e = f.elements[k], v = e.value.trim();
    if (k === 'interrupt') { if (e.checked) it[k] = true; else delete it[k]; continue; }
    if (v === '') delete it[k];
    else if (LISTS.includes(k)) it[k] = v.split(',').map(s => s.trim()).filter(Boolean);
    else if (NUMBERS.includes(k) && /^-?\d+(\.\d+)?$/.test(v)) it[k] = Number(v);
    else it[k] = k === 'text' ? e.value : v;
  }
  const s = JSON.stringify(doc, null, 2) + '\n';
  $('#json').value = s;
  setText(s, true);
});
$('#json').addEventListener('input', () => setText(text(), false));

$('#add').addEventListener('click', () => {
  if (!doc) doc = { version: 1, items: [] };
  if (!Array.isArray(doc.items)) doc.items = [];
  doc.items.push({ id: `muc-${doc.items.length + 1}`, text: t('new_item') });
  sel = doc.items.length - 1;
  setText(JSON.stringify(doc, null, 2) + '\n', false);
});
$('#remove').addEventListener('click', () => {
  if (!doc || !doc.items) return;
  doc.items.splice(sel, 1);
  setText(JSON.stringify(doc, null, 2) + '\n', false);
});

// ---- the library's lint, as the editor types ----

async function runLint() {
  const seq = ++lintSeq;
  $('#status').textContent = t('checking');
  const r = await post(`/api/studio/lint?lang=${lang}${onLayer()}&board=${encodeURIComponent(size())}`, text());
  if (seq !== lintSeq) return;
  if (r.status !== 200) { $('#status').textContent = r.body.error || r.status; return; }
  lint = r.body;
  $('#status').textContent = lint.ok ? t('clean') : t('counts')(lint.errors, lint.warnings);
  $('#status').className = 'status ' + (lint.errors ? 'bad' : lint.warnings ? 'warn' : 'good');
  document.body.dataset.lintErrors = lint.errors;
  $('#findings').innerHTML = lint.findings.map((f, i) =>
    `<li class="${f.level}"><a href="#" data-f="${i}">${esc(f.where)}</a> ${esc(f.message)}</li>`).join('');
  renderItems();
  showMessages();
  if (lint.ok) later('preview', 500, previewItem);
}

// Each finding about the selected item at its field of the form.
function showMessages() {
  document.querySelectorAll('#item-form [data-field]').forEach(l => {
    const ms = lint ? lint.findings.filter(f => f.item === sel && f.field === l.dataset.field) : [];
    l.classList.toggle('bad', ms.some(f => f.level === 'error'));
    l.classList.toggle('warn', ms.some(f => f.level === 'warning'));
    l.querySelector('.msg').textContent = ms.map(f => `${f.where}: ${f.message}`).join('\n');
  });
}

// A finding's line:col puts the JSON text's cursor there.
$('#findings').addEventListener('click', ev => {
  const a = ev.target.closest('a[data-f]');
  if (!a) return;
  ev.preventDefault();
  const f = lint.findings[Number(a.dataset.f)], lines = text().split('\n');
  let off = 0;
  for (let i = 0; i < f.line - 1 && i < lines.length; i++) off += lines[i].length + 1;
  off += Math.max(0, f.col - 1);
  const ta = $('#json');
  ta.focus(); ta.setSelectionRange(off, off + 1);
  if (f.item >= 0 && doc) { sel = f.item; renderItems(); renderForm(); showMessages(); }
});

// ---- drafts ----

async function saveDraft() {
  if (!layer) return;
  const r = await post(`/api/studio/layers/${encodeURIComponent(layer)}/draft`, text());
  if (r.status === 200) {
    const d = new Date(r.body.saved_at * 1000);
    $('#saved').textContent = t('saved_at')(`${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`);
  } else $('#studio-error').textContent = r.body.error || r.status;
}
$('#save').addEventListener('click', saveDraft);

async function loadLayer(name) {
  layer = name;
  const r = await api(`/api/studio/layers/${encodeURIComponent(name)}`);
  if (r.status !== 200) { $('#studio-error').textContent = r.body.error || r.status; return; }
  sel = -1;
  setText(r.body.draft ? r.body.draft.body : r.body.published || '{\n  "version": 1,\n  "items": []\n}\n', false);
  result('', '');
  await loadPublish();
}
$('#layer').addEventListener('change', ev => loadLayer(ev.target.value));

// ---- pictures from the server ----

const dataUrl = blob => new Promise(res => { const fr = new FileReader(); fr.onload = () => res(fr.result); fr.readAsDataURL(blob); });

async function previewItem() {
  if (sel < 0) return;
  const out = $('#previews'), want = [...$('#size').options].map(o => o.value);
  out.innerHTML = want.map(s => `<figure data-size="${esc(s)}"><img alt="${esc(s)}"><figcaption>${esc(s)} · ${esc(t('rendering'))}</figcaption></figure>`).join('');
  for (const s of want) {
    const r = await post(`/api/studio/preview?lang=${lang}${onLayer()}&item=${sel}&board=${encodeURIComponent(s)}&seconds=10`, text());
    const fig = out.querySelector(`figure[data-size="${CSS.escape(s)}"]`);
    if (!fig) return;
    if (r.status !== 200) { fig.querySelector('figcaption').textContent = `${s}: ${r.body.error || r.status}`; continue; }
    fig.querySelector('img').src = await dataUrl(r.body);
    fig.querySelector('figcaption').textContent = `${s} · ${doc.items[sel]?.id ?? ''}`;
    fig.dataset.bytes = r.body.size;
  }
  document.body.dataset.previewed = sel;
}
$('#show').addEventListener('click', previewItem);

$('#show-sheet').addEventListener('click', async () => {
  const r = await post(`/api/studio/sheet?lang=${lang}${onLayer()}&board=${encodeURIComponent(size())}`, text());
  if (r.status !== 200) { $('#studio-error').textContent = r.body.error || r.status; return; }
  $('#sheet').src = await dataUrl(r.body);
  $('#sheet-wrap').hidden = false;
});

const COLOURS = ['#0b5cad', '#1a7f37', '#b35900', '#6a4fb3', '#c62828', '#00838f', '#8d6e00', '#ad1457'];

// The week: one row per day, each period a block, coloured by the item with most airtime.
function renderWeek(tl) {
  const zone = tl.zones[0], days = Math.round((tl.to - tl.from) / 86400), rows = [];
  for (let d = 0; d < days; d++) {
    const d0 = tl.from + d * 86400, d1 = d0 + 86400, date = new Date(d0 * 1000), blocks = [];
    for (const p of zone.periods) {
      const a = Math.max(p.from, d0), b = Math.min(p.to, d1);
      if (b <= a) continue;
      const items = [...p.items].sort((x, y) => y.seconds - x.seconds);
      const names = items.map(i => i.off ? t('dark') : i.index < 0 ? t('builtin') : i.id);
      const top = items[0], colour = !top ? '#ddd' : top.off ? '#333' : COLOURS[(top.index + 8) % 8];
      blocks.push({ a: (a - d0) / 864, w: (b - a) / 864, colour, title: `${fmt(p.from)}–${fmt(p.to)}: ${names.join(', ')}`, label: names.join(', ') });
    }
    rows.push(`<div class="day"><span>${esc(t('weekdays')[date.getDay()])} ${pad(date.getDate())}/${pad(date.getMonth() + 1)}</span><div class="lane">` +
      blocks.map(b => `<div class="block" data-a="${b.a}" data-w="${b.w}" data-c="${b.colour}" title="${esc(b.title)}">${esc(b.label)}</div>`).join('') + '</div></div>');
  }
  $('#week').innerHTML = '<div class="hours">' + [0, 6, 12, 18].map(h => `<span data-a="${h / 24 * 100}">${pad(h)}:00</span>`).join('') + '</div>' + rows.join('');
  // Positions through the CSS object model: the page's policy allows no inline style attribute.
  document.querySelectorAll('#week [data-a]').forEach(e => {
    e.style.left = `${e.dataset.a}%`;
    if (e.dataset.w) e.style.width = `${e.dataset.w}%`;
    if (e.dataset.c) e.style.background = e.dataset.c;
  });
}
function fmt(unix) { const d = new Date(unix * 1000); return `${pad(d.getHours())}:${pad(d.getMinutes())}`; }

$('#show-week').addEventListener('click', async () => {
  const now = new Date(), monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7));
  const r = await post(`/api/studio/timeline?lang=${lang}${onLayer()}&board=${encodeURIComponent(size())}&days=7&from=${Math.floor(monday / 1000)}`, text());
  if (r.status !== 200) { $('#studio-error').textContent = r.body.error || r.status; return; }
  renderWeek(r.body);
  $('#week-wrap').hidden = false;
});

$('#show-diff').addEventListener('click', async () => {
  const r = await post(`/api/studio/layers/${encodeURIComponent(layer)}/diff`, text());
  if (r.status !== 200) { $('#studio-error').textContent = r.body.error || r.status; return; }
  const d = r.body, lines = [];
  if (!d.published) lines.push(`<li>${esc(t('nothing_published'))}</li>`);
  for (const c of d.items) {
    lines.push(`<li class="d-${c.kind}"><b>${esc(t(c.kind))}</b> ${esc(c.id ?? '#' + c.index)}` +
      (c.fields.length ? '<ul>' + c.fields.map(f => `<li><code>${esc(f.key)}</code>: <del>${esc(f.old ?? '–')}</del> → <ins>${esc(f.new ?? '–')}</ins></li>`).join('') + '</ul>' : '') + '</li>');
  }
  for (const f of d.other) lines.push(`<li class="d-changed"><b>${esc(t('other_key'))}</b> <code>${esc(f.key)}</code>: <del>${esc(f.old ?? '–')}</del> → <ins>${esc(f.new ?? '–')}</ins></li>`);
  lines.push(`<li class="muted">${esc(t('unchanged')(d.unchanged))}</li>`);
  $('#diff').innerHTML = lines.join('');
  $('#diff-wrap').hidden = false;
});

// ---- publishing: the hub signs with the key password typed here and forgets it ----

let pub = null; // GET /api/layers/NAME: the layer, its published body's sha256, its versions
const enc = encodeURIComponent;

// "thứ Tư, 02/12/2026 14:03:05", as the fleet page writes a moment.
function when(unix) {
  if (!unix) return '–';
  const d = new Date(unix * 1000);
  return `${t('weekdays_long')[d.getDay()]}, ${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function result(state, html) {
  const p = $('#pub-result');
  p.dataset.state = state;
  if (state === 'ok' || state === 'bad') p.dataset.answers = Number(p.dataset.answers || 0) + 1;
  p.className = state === 'ok' ? 'good' : state === 'bad' ? 'error' : 'muted';
  p.innerHTML = html;
}

// The hub's refusal as it wrote it. When the checker found errors, they are
// the page's own findings (at the fields and under "Kết quả kiểm tra"), in the page's language.
function refusal(r) {
  const b = typeof r.body === 'object' && r.body ? r.body : {};
  if (b.findings && b.findings.length) later('lint', 0, runLint);
  return esc(b.error || `HTTP ${r.status}`) + (b.findings && b.findings.length ? `\n${esc(t('see_check'))}` : '');
}

async function loadPublish() {
  const name = layer;
  const [l, a] = await Promise.all([api(`/api/layers/${enc(name)}`), api(`/api/layers/${enc(name)}/audit`)]);
  if (name !== layer) return;
  if (l.status !== 200) { pub = null; result('bad', refusal(l)); return; }
  pub = l.body;
  renderPub();
  renderAudit(a.status === 200 ? a.body.audit : []);
}

function isCurrent(v) { return v.state === 'published' && v.version === pub.version && v.sha256 === pub.published_sha256; }

function renderPub() {
  if (!pub) return;
  const current = pub.versions.some(isCurrent);
  const info = [t('pub_info')(pub.title, pub.key_id, current ? pub.version : 0)];
  if (pub.published_sha256 && !current) info.push(t('pub_outside'));
  if (pub.approval) info.push(t('pub_approval'));
  if (pub.pending) info.push(t('pub_pending')(pub.pending));
  $('#pub-info').textContent = info.join(' ');
  // On a layer with approval an editor submits (no key needed); approvers sign from the versions list.
  $('#pub-form label:first-of-type').hidden = pub.approval;
  $('#publish').dataset.i18n = pub.approval ? 'submit' : 'publish';
  $('#publish').textContent = t($('#publish').dataset.i18n);
  renderVersions();
}

function renderVersions() {
  const button = (act, v) => `<button type="button" data-act="${act}" data-v="${v}">${esc(t(act))}</button>`;
  const rows = pub.versions.map(v => {
    const state = isCurrent(v) ? 'current' : v.state, acts = [];
    const at = v.state === 'published' ? v.published_at : v.submitted_at;
    const who = v.published_by && v.submitted_by && v.published_by !== v.submitted_by ? `${v.submitted_by} → ${v.published_by}` : v.published_by || v.submitted_by;
    const back = /^rollback to version (\d+)$/.exec(v.note);
    if (v.state === 'published' && state !== 'current' && (!pub.approval || pub.may_approve)) acts.push(button('rollback', v.version));
    if (v.state === 'pending' && pub.may_approve) {
      if (v.submitted_by !== me.name) acts.push(button('approve', v.version));
      acts.push(button('reject', v.version));
    }
    return `<tr data-v="${v.version}" data-state="${state}"><td class="num">${v.version}</td><td>${esc(when(at))}</td><td>${esc(who)}</td>` +
      `<td class="note">${esc(back ? t('rollback_note')(back[1]) : v.note)}</td><td class="vs vs-${state}">${esc(t('st_' + state))}</td><td>${acts.join(' ')}</td></tr>`;
  });
  $('#versions tbody').innerHTML = rows.join('') || `<tr><td colspan="6" class="muted">${esc(t('no_versions'))}</td></tr>`;
}

// The hub's English detail of a publish or a submission, in the page's words.
function detail(s) {
  const items = (p, m, c) => [[t('added'), p], [t('removed'), m], [t('changed'), c]].filter(x => x[1]).map(x => `${x[0]}: ${x[1]}`).join(' · ');
  let m = /^version (\d+), signed at (\d+), sha256 ([0-9a-f]+); items \+\[(.*?)\] -\[(.*?)\] ~\[(.*?)\](?:; (.*))?$/.exec(s);
  if (m) {
    const back = /^rollback to version (\d+)$/.exec(m[7] || '');
    return [`${t('d_version')} ${m[1]}, ${t('d_signed')} ${when(Number(m[2]))}, sha256 ${m[3]}…`, items(m[4], m[5], m[6]),
      back ? t('rollback_note')(back[1]) : m[7]].filter(Boolean).join('; ');
  }
  if ((m = /^version (\d+), sha256 ([0-9a-f]+), pending$/.exec(s))) return `${t('d_version')} ${m[1]}, sha256 ${m[2]}…, ${t('d_pending')}`;
  if ((m = /^(GET|POST) (\S+): (.*)$/.exec(s))) return `${m[1]} ${m[2]}: ${t('d_why')[m[3]] ?? m[3]}`;
  return t('d_why')[s] ?? s;
}

function renderAudit(rows) {
  $('#audit tbody').innerHTML = rows.map(e => `<tr data-action="${esc(e.action)}"><td>${esc(when(e.at))}</td><td>${esc(e.actor)}</td>` +
    `<td>${esc(t('acts')[e.action] ?? e.action)}</td><td class="detail">${esc(detail(e.detail))}</td><td>${esc(e.address)}</td></tr>`).join('') ||
    `<tr><td colspan="5" class="muted">${esc(t('no_audit'))}</td></tr>`;
}

// One POST on the layer; the answer (or the refusal) under the form, then the lists again.
async function layerPost(verb, payload, say) {
  const name = layer;
  document.querySelectorAll('#pub button').forEach(b => { b.disabled = true; });
  result('busy', esc(t(payload.password !== undefined ? 'signing' : 'sending')));
  const r = await post(`/api/layers/${enc(name)}/${verb}`, JSON.stringify(payload));
  document.querySelectorAll('#pub button').forEach(b => { b.disabled = false; });
  if (r.status === 200) {
    const sha = r.body.sha256 ? `<br>sha256 <code class="sha">${esc(r.body.sha256)}</code>` : '';
    result('ok', esc(say(r.body)) + sha + (r.body.push ? ` · ${esc(t('push')(r.body.push))}` : ''));
  } else {
    result('bad', refusal(r));
  }
  if (name === layer) await loadPublish();
  return r.status === 200;
}

$('#pub-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const f = ev.target, password = f.elements.keypass.value, note = f.elements.note.value.trim();
  f.elements.keypass.value = ''; // cleared at every attempt, whatever the answer
  if (!pub) return;
  const done = pub.approval
    ? await layerPost('submit', { body: text(), note }, r => t('submitted')(r.version))
    : await layerPost('publish', { body: text(), password, note }, r => t('published')(r));
  if (done) f.elements.note.value = '';
});

// The confirmation of a rollback, an approval or a rejection: {password, note}, or null when cancelled.
function ask(message, password) {
  const d = $('#confirm'), f = d.querySelector('form');
  f.reset();
  $('#confirm-text').textContent = message;
  $('#confirm-pw').hidden = !password;
  $('#confirm-note').hidden = password;
  d.returnValue = '';
  d.showModal();
  return new Promise(res => d.addEventListener('close', () => {
    const out = d.returnValue === 'ok' ? { password: f.elements.keypass.value, note: f.elements.note.value.trim() } : null;
    f.elements.keypass.value = '';
    res(out);
  }, { once: true }));
}

$('#versions').addEventListener('click', async ev => {
  const b = ev.target.closest('button[data-act]');
  if (!b) return;
  const v = Number(b.dataset.v), act = b.dataset.act;
  const a = await ask(t(act + '_q')(v), act !== 'reject');
  if (!a) return;
  if (act === 'rollback') await layerPost('rollback', { version: v, password: a.password }, r => t('rolled_back')(r, v));
  else if (act === 'approve') await layerPost('approve', { version: v, password: a.password }, r => t('published')(r));
  else await layerPost('reject', { version: v, note: a.note }, () => t('rejected')(v));
});

// ---- start ----

$('#lang').addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('hub-lang', lang);
  translate();
  if (me) later('lint', 0, runLint);
  if (pub) loadPublish();
});

async function start() {
  translate();
  if (!me) { show('login'); return; }
  show('studio');
  const [ls, bs] = await Promise.all([api('/api/studio/layers'), api('/api/studio/boards')]);
  if (ls.status !== 200) { $('#studio-error').textContent = ls.body.error || ls.status; return; }
  $('#size').innerHTML = bs.body.sizes.map(s => `<option>${esc(s)}</option>`).join('');
  $('#effects').innerHTML = bs.body.effects.map(e => `<option value="${esc(e)}">`).join('');
  $('#layer').innerHTML = ls.body.layers.map(l => `<option value="${esc(l.name)}">${esc(l.title)}</option>`).join('');
  if (!ls.body.layers.length) { $('#studio-error').textContent = t('no_layers'); return; }
  await loadLayer(ls.body.layers[0].name);
}

whoami().then(start);
