// ledsign hub page: plain JavaScript, no build step, no library. Vietnamese
// first, English on the EN button (remembered in localStorage). Talks to the
// hub's JSON API with the session cookie and the CSRF token from /api/me.
'use strict';

const T = {
  vi: {
    title: 'Bảng LED BHXH', nav_fleet: 'Bảng', nav_report: 'Báo cáo phát', nav_studio: 'Xưởng biên tập', nav_urgent: 'Thông báo khẩn', nav_help: 'Hướng dẫn', logout: 'Đăng xuất',
    login_title: 'Đăng nhập', user: 'Tên đăng nhập', password: 'Mật khẩu', login: 'Đăng nhập',
    fleet_title: 'Các bảng', province: 'Tỉnh/thành', district: 'Quận/huyện', tag: 'Nhãn', tags: 'Nhãn', status: 'Trạng thái',
    all: 'Tất cả', online: 'Đang chạy', late: 'Chậm', offline: 'Mất liên lạc', never: 'Chưa báo', pending: 'Chờ duyệt',
    refused: 'Đã từ chối', offline_hours: 'Mất liên lạc quá (giờ)', board: 'Bảng', last_seen: 'Lần báo cuối',
    showing: 'Đang phát', problem: 'Lỗi chữ', feeds: 'Các lớp nội dung', layer: 'Lớp', version: 'Phiên bản', errors: 'Lỗi',
    days: 'Phát theo ngày', day: 'Ngày', item: 'Mục', plays: 'Lượt', hours: 'Thời lượng (giờ:phút:giây)', unsigned: 'chưa ký', gaps: 'Khoảng mất báo cáo',
    heartbeats: 'Báo cáo gần đây', from: 'Từ', to: 'Đến', received: 'Nhận lúc', enrol: 'Duyệt bảng', accept: 'Chấp nhận',
    refuse: 'Từ chối', report_title: 'Báo cáo phát (bằng chứng phát sóng)', campaign: 'Chiến dịch (mã mục, hoặc tiền tố*)',
    by: 'Theo', show: 'Xem', csv: 'Tải CSV', nothing: 'không phát', none: 'không có', total: 'Tổng',
    layer_line: (n, m, layer) => `${n} / ${m} bảng có phiên bản mới nhất của lớp ${layer}`,
    panel: 'Kích thước bảng', panel_mono: 'một màu', panel_rgb: 'màu RGB', panel_unknown: 'chưa báo (phiên bản ledsignd cũ)',
    boards_n: n => `${n} bảng`, missing: 'Báo cáo bị thiếu', interval: 'Chu kỳ báo cáo', reason: 'Lý do',
    weekdays: ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'], locale: 'vi-VN',
  },
  en: {
    title: 'BHXH LED boards', nav_fleet: 'Boards', nav_report: 'Proof of play', nav_studio: 'Studio', nav_urgent: 'Urgent notice', nav_help: 'Help', logout: 'Log out',
    login_title: 'Log in', user: 'User name', password: 'Password', login: 'Log in',
    fleet_title: 'Boards', province: 'Province', district: 'District', tag: 'Tag', tags: 'Tags', status: 'Status',
    all: 'All', online: 'Online', late: 'Late', offline: 'Offline', never: 'Never reported', pending: 'Waiting for enrolment',
    refused: 'Refused', offline_hours: 'Offline for more than (hours)', board: 'Board', last_seen: 'Last heartbeat',
    showing: 'Showing', problem: 'Text problems', feeds: 'Feed layers', layer: 'Layer', version: 'Version', errors: 'Error',
    days: 'Plays by day', day: 'Day', item: 'Item', plays: 'Plays', hours: 'Time shown (h:mm:ss)', unsigned: 'unsigned', gaps: 'Missing reports',
    heartbeats: 'Recent heartbeats', from: 'From', to: 'To', received: 'Received', enrol: 'Enrolment', accept: 'Accept',
    refuse: 'Refuse', report_title: 'Proof of play', campaign: 'Campaign (item id, or prefix*)',
    by: 'By', show: 'Show', csv: 'Download CSV', nothing: 'nothing', none: 'none', total: 'Total',
    layer_line: (n, m, layer) => `${n} of ${m} boards have the newest version of layer ${layer}`,
    panel: 'Panel size', panel_mono: 'single colour', panel_rgb: 'RGB', panel_unknown: 'not reported (an older ledsignd)',
    boards_n: n => `${n} boards`, missing: 'Missing reports', interval: 'Report interval', reason: 'Reason',
    weekdays: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'], locale: 'en-GB',
  },
};
let lang = localStorage.getItem('hub-lang') === 'en' ? 'en' : 'vi';
const t = k => T[lang][k] ?? k;
let me = null, csrf = '';

const $ = s => document.querySelector(s);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const num = n => new Intl.NumberFormat(t('locale')).format(n);
const hours = s => new Intl.NumberFormat(t('locale'), { maximumFractionDigits: 2 }).format(s / 3600);
// A duration as h:mm:ss (hours may pass 24): what a board showed, to the second.
function dur(s) {
  const n = Math.round(s);
  return `${num(Math.floor(n / 3600))}:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
}
const pad = n => String(n).padStart(2, '0');
// "thứ Hai, 01/12/2026"
function dateStr(d) { return `${t('weekdays')[d.getDay()]}, ${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`; }
function timeStr(unix) {
  if (!unix) return '–';
  const d = new Date(unix * 1000);
  return `${dateStr(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
function isoDay(d) { return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; }

// The hub answers (its error messages) in the page's language.
async function api(path, opts = {}) {
  const headers = { 'Content-Type': 'application/json', 'Accept-Language': lang };
  if (opts.method && opts.method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, { credentials: 'same-origin', ...opts, headers });
  const body = r.headers.get('Content-Type')?.startsWith('application/json') ? await r.json() : await r.text();
  return { status: r.status, body };
}

function translate() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach(e => { e.textContent = t(e.dataset.i18n); });
  $('#lang').textContent = lang === 'vi' ? 'EN' : 'VI';
  $('#today').textContent = dateStr(new Date());
}

function show(id) {
  document.querySelectorAll('main > section').forEach(s => { s.hidden = s.id !== id; });
  $('#nav').hidden = !me;
}

function go(path) { history.pushState(null, '', path); route(); }

async function route() {
  const p = location.pathname;
  if (!me) { show('login'); return; }
  if (location.hash === '#help') show('help');
  else if (p.startsWith('/board/')) await boardPage(decodeURIComponent(p.slice(7)));
  else if (p === '/report') reportPage();
  else await fleetPage();
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
  const r = await api('/api/login', { method: 'POST', body: JSON.stringify({ name: f.get('name'), password: f.get('password') }) });
  if (r.status !== 200) { $('#login-error').textContent = r.body.error || r.status; return; }
  await whoami();
  go(location.pathname === '/login' ? '/' : location.pathname);
});

$('#logout').addEventListener('click', async () => {
  await api('/api/logout', { method: 'POST', body: '{}' });
  me = null; await whoami(); go('/login');
});

// ---- fleet ----

let provinces = new Set();

function boardRow(b) {
  const cur = b.current ? `${esc(b.current)} <small>(${esc(b.reason)})</small>` : `<small>${esc(t('nothing'))}${b.reason ? ' (' + esc(b.reason) + ')' : ''}</small>`;
  return `<tr><td><a href="/board/${encodeURIComponent(b.name)}" data-go>${esc(b.name)}</a></td><td>${esc(b.province)}</td>` +
    `<td>${esc(b.district)}</td><td class="st st-${esc(b.status)}">${esc(t(b.status))}</td>` +
    `<td>${timeStr(b.last_seen)}</td><td>${cur}</td><td class="problem">${esc(b.problem)}</td></tr>`;
}

function layerLines(layers) {
  return layers.map(l => {
    const vs = Object.keys(l.versions).map(Number).sort((a, b) => b - a);
    const newest = vs.length ? l.versions[vs[0]] : 0;
    const when = vs[0] > 0 ? timeStr(vs[0]) : t('unsigned');
    return `<div>${esc(t('layer_line')(num(newest), num(l.boards), l.layer + 1))}: <code>${esc(l.url)}</code> (${esc(when)})</div>`;
  }).join('');
}

async function fleetPage() {
  show('fleet');
  const q = new URLSearchParams();
  for (const [k, id] of [['province', '#f-province'], ['tag', '#f-tag'], ['status', '#f-status'], ['offline_hours', '#f-offline']]) {
    const v = $(id).value.trim();
    if (v) q.set(k, v);
  }
  const t0 = performance.now();
  const r = await api('/api/fleet?' + q);
  if (r.status !== 200) { $('#summary').textContent = r.body.error || r.status; return; }
  const boards = r.body.boards;
  $('#boards tbody').innerHTML = boards.map(boardRow).join('');
  const count = {};
  boards.forEach(b => { count[b.status] = (count[b.status] || 0) + 1; if (b.province) provinces.add(b.province); });
  $('#summary').innerHTML = `<span>${esc(t('boards_n')(num(boards.length)))}</span>` +
    ['online', 'late', 'offline', 'never', 'pending'].filter(s => count[s]).map(s => `<span class="st st-${s}">${esc(t(s))}: ${num(count[s])}</span>`).join('');
  $('#layers').innerHTML = layerLines(r.body.layers);
  const sel = $('#f-province'), cur = sel.value;
  sel.innerHTML = `<option value="">${esc(t('all'))}</option>` + [...provinces].sort().map(p => `<option>${esc(p)}</option>`).join('');
  sel.value = cur;
  document.body.dataset.fleetMs = Math.round(performance.now() - t0);
}

$('#filters').addEventListener('change', () => fleetPage());
$('#filters').addEventListener('submit', ev => { ev.preventDefault(); fleetPage(); });

// ---- one board ----

// "192x16" or "64x32:rgb" (as the studio names a board) for people.
function panelStr(p) {
  const m = /^(\d+)x(\d+)(:rgb)?$/.exec(p || '');
  return m ? `${m[1]} × ${m[2]} LED, ${t(m[3] ? 'panel_rgb' : 'panel_mono')}` : t('panel_unknown');
}

async function boardPage(name) {
  show('board');
  const r = await api('/api/boards/' + encodeURIComponent(name));
  $('#board-name').textContent = name;
  if (r.status !== 200) { $('#board-facts').innerHTML = `<dt class="error">${r.status}</dt><dd class="error">${esc(r.body.error)}</dd>`; return; }
  const b = r.body;
  const facts = [[t('status'), `<span class="st st-${esc(b.status)}">${esc(t(b.status))}</span>`], [t('province'), esc(b.province)],
    [t('district'), esc(b.district)], [t('tags'), esc(b.tags)], [t('last_seen'), timeStr(b.last_seen)],
    [t('showing'), esc(b.current ?? t('nothing'))], [t('reason'), esc(b.reason)], [t('problem'), esc(b.problem || t('none'))],
    [t('interval'), `${num(b.interval_s)} s`], [t('missing'), `${num(b.missing_reports)} (${dur(b.missing_s)})`],
    [t('panel'), esc(panelStr(b.panel))]];
  if (b.token_fingerprint) facts.push(['token', `<code>${esc(b.token_fingerprint)}</code>`]);
  $('#board-facts').innerHTML = facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('');
  $('#board-feeds tbody').innerHTML = b.feeds.map(f => `<tr><td>${f.layer + 1}</td><td>${esc(f.url)}</td><td>${f.version > 0 ? timeStr(f.version) : esc(t('unsigned'))}</td><td>${esc(f.error)}</td></tr>`).join('');
  $('#board-days tbody').innerHTML = b.days.map(d => `<tr><td>${esc(String(d.day).replace(/(\d{4})(\d\d)(\d\d)/, '$3/$2/$1'))}</td><td>${esc(d.item)}</td><td class="num">${num(d.plays)}</td><td class="num">${dur(d.seconds)}</td></tr>`).join('');
  $('#board-gaps').innerHTML = b.gaps.map(g => `<li>seq ${g.from_seq}–${g.to_seq}: ${timeStr(g.from)} → ${timeStr(g.to)}</li>`).join('') || `<li>${esc(t('none'))}</li>`;
  $('#board-hb tbody').innerHTML = b.heartbeats.map(h => `<tr><td>${h.seq}</td><td>${timeStr(h.from)}</td><td>${timeStr(h.to)}</td><td>${timeStr(h.received_at)}</td></tr>`).join('');
  $('#enrol').hidden = !(me.role === 'admin' && (b.status === 'pending' || b.status === 'refused'));
  $('#enrol-form').dataset.board = name;
}

$('#enrol-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = { action: ev.submitter.value, province: f.get('province'), district: f.get('district'), tags: f.get('tags') };
  const r = await api('/api/boards/' + encodeURIComponent(ev.target.dataset.board), { method: 'POST', body: JSON.stringify(body) });
  if (r.status !== 200) alert(r.body.error);
  boardPage(ev.target.dataset.board);
});

// ---- proof of play ----

function reportQuery() {
  const q = new URLSearchParams();
  for (const k of ['item', 'from', 'to', 'by']) q.set(k, $('#r-' + k).value);
  return q;
}

function chart(days) {
  const W = 800, H = 220, L = 50, B = 30, max = Math.max(1, ...days.map(d => d.seconds));
  const w = (W - L - 10) / Math.max(1, days.length);
  let s = `<line class="axis" x1="${L}" y1="${H - B}" x2="${W - 10}" y2="${H - B}"/><line class="axis" x1="${L}" y1="10" x2="${L}" y2="${H - B}"/>`;
  s += `<text x="4" y="16">${esc(dur(max))}</text><text x="4" y="${H - B}">0</text>`;
  days.forEach((d, i) => {
    const h = (H - B - 10) * d.seconds / max;
    s += `<rect class="bar" x="${(L + i * w + w * 0.1).toFixed(1)}" y="${(H - B - h).toFixed(1)}" width="${Math.max(1, w * 0.8).toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(d.day)}: ${num(d.plays)} ${esc(t('plays'))}, ${esc(dur(d.seconds))}</title></rect>`;
  });
  const step = Math.ceil(days.length / 8);
  days.forEach((d, i) => { if (i % step === 0) s += `<text x="${(L + i * w).toFixed(1)}" y="${H - 10}">${esc(d.day.slice(8, 10) + '/' + d.day.slice(5, 7))}</text>`; });
  $('#chart').innerHTML = s;
}

async function runReport() {
  const q = reportQuery();
  $('#csv').href = '/api/report?' + q + '&format=csv';
  const r = await api('/api/report?' + q);
  $('#report-error').textContent = r.status === 200 ? '' : (r.body.error || r.status);
  if (r.status !== 200) return;
  const rep = r.body;
  $('#report-total').innerHTML = `<span id="total-plays">${esc(t('total'))}: ${num(rep.total.plays)} ${esc(t('plays'))}</span>` +
    `<span id="total-hours">${esc(dur(rep.total.seconds))} (${esc(hours(rep.total.seconds))} h)</span>`;
  $('#report-total').dataset.plays = rep.total.plays;
  $('#report-total').dataset.seconds = rep.total.seconds;
  chart(rep.days);
  $('#report-rows tbody').innerHTML = rep.rows.map(x => `<tr data-plays="${x.plays}" data-seconds="${x.seconds}"><td>${esc(x.province)}</td><td>${esc(x.district)}</td><td>${esc(x.board)}</td><td class="num">${num(x.plays)}</td><td class="num">${esc(dur(x.seconds))}</td></tr>`).join('');
}

function reportPage() {
  show('report');
  if (!$('#r-from').value) {
    const now = new Date(), first = new Date(now.getFullYear(), now.getMonth(), 1);
    $('#r-from').value = isoDay(first);
    $('#r-to').value = isoDay(now);
  }
  const q = new URLSearchParams(location.search);
  for (const k of ['item', 'from', 'to', 'by']) if (q.get(k)) $('#r-' + k).value = q.get(k);
  if ($('#r-item').value) runReport();
}

$('#report-form').addEventListener('submit', ev => { ev.preventDefault(); history.replaceState(null, '', '/report?' + reportQuery()); runReport(); });

// ---- wiring ----

document.addEventListener('click', ev => {
  const a = ev.target.closest('a[data-go], nav a');
  if (!a || a.id === 'help-link') return;
  ev.preventDefault();
  go(a.getAttribute('href'));
});
$('#help-link').addEventListener('click', ev => { ev.preventDefault(); history.pushState(null, '', location.pathname + '#help'); route(); });
$('#lang').addEventListener('click', () => { lang = lang === 'vi' ? 'en' : 'vi'; localStorage.setItem('hub-lang', lang); translate(); route(); });
window.addEventListener('popstate', route);

(async () => { translate(); await whoami(); route(); })();
