// Drives the hub's page in Debian's chromium through Playwright, for
// tests/e2e_hub_browser.sh (which starts nginx, the hub and two boards and
// passes their addresses, pids and status files in the environment). Prints
// "ok ..." / "FAIL ..." lines; the shell script counts them.
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');

const E = process.env;
const url = E.HUB_URL;
let failed = 0;
const ok = m => console.log('ok ' + m);
const bad = (m, d) => { failed++; console.log('FAIL ' + m + (d ? ': ' + d : '')); };
const check = (cond, m, d) => (cond ? ok(m) : bad(m, d));
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function login(page, name, password) {
  await page.goto(url + '/login');
  await page.fill('#login-form input[name=name]', name);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#fleet:not([hidden])', { timeout: 5000 });
}

// The status cell of board name on the fleet page, after a fresh load.
async function boardStatus(page, name) {
  await page.goto(url + '/');
  await page.waitForSelector('#fleet:not([hidden])');
  await page.waitForFunction(() => document.body.dataset.fleetMs !== undefined);
  return page.evaluate(n => {
    for (const tr of document.querySelectorAll('#boards tbody tr'))
      if (tr.cells[0].textContent === n) return tr.cells[3].className.replace('st st-', '');
    return null;
  }, name);
}

async function waitStatus(page, name, want, ms) {
  const end = Date.now() + ms;
  let s;
  while (Date.now() < end) {
    if ((s = await boardStatus(page, name)) === want) return true;
    await sleep(300);
  }
  return s;
}

function statusTotals(path, item) {
  const st = JSON.parse(fs.readFileSync(path, 'utf8'));
  const it = st.items.find(i => i.id === item) || { plays: 0, seconds: 0 };
  return { plays: it.plays, seconds: it.seconds };
}

async function waitExit(pid, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { process.kill(pid, 0); } catch { return true; }
    await sleep(100);
  }
  return false;
}

function isoDay(offset) {
  const d = new Date(Date.now() + offset * 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

(async () => {
  // A fresh profile directory per context, as the tests' rules want (no state carried over).
  const launch = (dir, opts) => chromium.launchPersistentContext(dir, {
    executablePath: E.CHROMIUM, headless: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...opts,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const ctx = await launch(E.PROFILE + '-admin', { viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));

  await page.goto(url + '/login');
  await page.screenshot({ path: E.SCREENS + '/login.png' });
  await login(page, 'admin', 'admin-password-1');
  ok('an administrator logs in through the form');
  const cookies = await ctx.cookies();
  const sess = cookies.find(c => c.name === 'hub_session');
  check(sess && sess.httpOnly && sess.secure && sess.sameSite === 'Strict',
    'the session cookie is HttpOnly, Secure and SameSite=Strict', JSON.stringify(sess));

  // Both boards within one report interval (2 s) and a little: one enrolled, one waiting.
  const t0 = Date.now();
  const sb = await waitStatus(page, 'bhxh-hai-chau', 'online', 4000);
  const sa = await waitStatus(page, 'bhxh-ba-dinh', 'pending', 4000);
  check(sb === true && sa === true, `both boards are on the fleet page within ${Date.now() - t0} ms (one enrolled, one waiting)`, `${sb} ${sa}`);
  const today = await page.textContent('#today');
  check(/^(Chủ nhật|thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)), \d\d\/\d\d\/\d{4}$/.test(today), `the date reads "${today}"`);

  // Enrolment from the board page.
  await page.goto(url + '/board/bhxh-ba-dinh');
  await page.waitForSelector('#enrol:not([hidden])');
  await page.fill('#enrol-form input[name=province]', 'Hà Nội');
  await page.fill('#enrol-form input[name=district]', 'Ba Đình');
  await page.fill('#enrol-form input[name=tags]', 'national,hanoi');
  await page.click('#enrol-form button[value=accept]');
  await page.waitForSelector('#enrol[hidden]', { state: 'attached' });
  const sa2 = await waitStatus(page, 'bhxh-ba-dinh', 'online', 8000);
  check(sa2 === true, 'the waiting board, accepted on its page, comes online with its queued reports', sa2);
  await page.screenshot({ path: E.SCREENS + '/fleet-1366.png', fullPage: true });
  const layer = await page.textContent('#layers');
  check(/2 \/ 2 bảng/.test(layer), `the layer line counts the boards with the newest version: "${layer.trim()}"`);

  // Filters: by province.
  await page.selectOption('#f-province', 'Đà Nẵng');
  await page.waitForFunction(() => document.querySelectorAll('#boards tbody tr').length === 1);
  check((await page.textContent('#boards tbody tr td')) === 'bhxh-hai-chau', 'the province filter shows only that province\'s boards');

  // English.
  await page.click('#lang');
  check((await page.textContent('#fleet h1 span')) === 'Boards', 'the EN button switches the page to English');
  await page.click('#lang');

  // One board stopped: late, then offline.
  process.kill(Number(E.PID_B), 'SIGTERM');
  check(await waitExit(Number(E.PID_B), 5000), 'board bhxh-hai-chau stops (and sends its last heartbeat)');
  const late = await waitStatus(page, 'bhxh-hai-chau', 'late', 8000);
  check(late === true, 'the stopped board goes late', late);
  const off = await waitStatus(page, 'bhxh-hai-chau', 'offline', 12000);
  check(off === true, 'then offline after three missed intervals', off);
  await page.screenshot({ path: E.SCREENS + '/fleet-offline.png', fullPage: true });

  // Board page with its history.
  await page.goto(url + '/board/bhxh-hai-chau');
  await page.waitForFunction(() => document.querySelectorAll('#board-hb tbody tr').length > 0);
  await page.screenshot({ path: E.SCREENS + '/board.png', fullPage: true });
  ok('the board page lists its heartbeats');
  const facts = await page.textContent('#board-facts');
  check(/192 × 16 LED, (một màu|single colour)/.test(facts), 'the board page shows the panel its heartbeats report (192 × 16, single colour)', facts);

  // Stop the other board too: every figure is now in its status file.
  process.kill(Number(E.PID_A), 'SIGTERM');
  check(await waitExit(Number(E.PID_A), 5000), 'board bhxh-ba-dinh stops');

  for (const item of ['an-sinh', 'bhyt-hoc-sinh']) {
    await page.goto(`${url}/report?item=${item}&from=${isoDay(-1)}&to=${isoDay(1)}&by=board`);
    await page.waitForSelector('#report-total[data-plays]');
    const rows = await page.$$eval('#report-rows tbody tr', trs => trs.map(tr => ({
      board: tr.cells[2].textContent, plays: Number(tr.dataset.plays), seconds: Number(tr.dataset.seconds) })));
    const a = statusTotals(E.STATUS_A, item), b = statusTotals(E.STATUS_B, item);
    const ra = rows.find(r => r.board === 'bhxh-ba-dinh') || {}, rb = rows.find(r => r.board === 'bhxh-hai-chau') || {};
    const total = await page.$eval('#report-total', e => ({ plays: Number(e.dataset.plays), seconds: Number(e.dataset.seconds) }));
    const same = (x, y) => x.plays === y.plays && Math.abs(x.seconds - y.seconds) < 0.0015;
    check(same(ra, a) && same(rb, b) && a.plays > 0 && b.plays > 0,
      `report ${item}: per board equals the boards' own counters (${a.plays} plays ${a.seconds} s, ${b.plays} plays ${b.seconds} s)`,
      JSON.stringify({ rows, a, b }));
    check(same(total, { plays: a.plays + b.plays, seconds: a.seconds + b.seconds }), `report ${item}: the total is their sum`, JSON.stringify(total));
    // The CSV has the same numbers.
    const href = await page.getAttribute('#csv', 'href');
    const csv = await page.evaluate(async h => (await fetch(h)).text(), href);
    const lines = csv.trim().split(/\r\n/).slice(1).map(l => l.split(','));
    const sum = name => lines.filter(f => f[3] === `"${name}"`).reduce((s, f) => ({ plays: s.plays + Number(f[4]), seconds: s.seconds + Number(f[5]) }), { plays: 0, seconds: 0 });
    check(same(sum('bhxh-ba-dinh'), ra) && same(sum('bhxh-hai-chau'), rb), `report ${item}: the CSV has the page's numbers`, csv);
    if (item === 'an-sinh') await page.screenshot({ path: E.SCREENS + '/report.png', fullPage: true });
  }
  // By province: two rows, the same total.
  await page.selectOption('#r-by', 'province');
  await page.click('#report-form button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#report-rows tbody tr').length === 2 && !document.querySelector('#report-rows tbody tr td:nth-child(3)').textContent);
  ok('the report groups by province');

  // A viewer of Hà Nội.
  const vctx = await launch(E.PROFILE + '-viewer', { viewport: { width: 390, height: 844 }, isMobile: true });
  const vpage = await vctx.newPage();
  await login(vpage, 'viewer-hn', 'viewer-password-1');
  await vpage.waitForFunction(() => document.body.dataset.fleetMs !== undefined);
  const names = await vpage.$$eval('#boards tbody tr td:first-child', tds => tds.map(t => t.textContent));
  check(names.length === 1 && names[0] === 'bhxh-ba-dinh', 'a viewer of Hà Nội sees only the Hà Nội board', names.join());
  const st = await vpage.evaluate(async () => (await fetch('/api/boards/bhxh-hai-chau')).status);
  check(st === 403, 'and the API refuses the Đà Nẵng board with 403', st);
  const rep = await vpage.evaluate(async (q) => (await (await fetch('/api/report?item=an-sinh&by=board&' + q)).json()).rows.map(r => r.board), `from=${isoDay(-1)}&to=${isoDay(1)}`);
  check(rep.length === 1 && rep[0] === 'bhxh-ba-dinh', 'and its reports count only its provinces', rep.join());
  await vpage.screenshot({ path: E.SCREENS + '/fleet-phone.png', fullPage: true });
  const wide = await vpage.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 390, `the fleet page fits a phone (${wide} px wide)`);

  // Brute force: refused with a reason.
  const codes = await vpage.evaluate(async () => {
    const csrf = document.cookie.match(/hub_csrf=(\w+)/)?.[1] || '';
    const out = [];
    for (let i = 0; i < 7; i++)
      out.push((await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ name: 'admin', password: 'wrong-' + i }) })).status);
    return out;
  });
  check(codes.slice(0, 5).every(c => c === 401) && codes[5] === 429 && codes[6] === 429, 'a login brute force is refused with 429 after 5 failures', codes.join());
  check(errors.length === 0, 'no script errors on the pages', errors.join('; '));
  await vctx.close();
  await ctx.close();
  process.exit(failed ? 1 : 0);
})().catch(e => { console.log('FAIL the browser script: ' + e.stack); process.exit(1); });
