// Drives the studio's publish panel in Debian's chromium through Playwright,
// for tests/e2e_hub_publish_browser.sh (which starts nginx, the hub with the
// layers gia-lai and kon-tum, and a board polling gia-lai, and passes their
// addresses, the key passwords, the feed directory, the board's pid and
// status file in the environment). Prints "ok ..." / "FAIL ..." lines; the
// shell script counts them.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { chromium } = require('playwright-core');

const E = process.env;
const url = E.HUB_URL, pollMs = Number(E.POLL_MS);
let failed = 0;
const ok = m => console.log('ok ' + m);
const bad = (m, d) => { failed++; console.log('FAIL ' + m + (d ? ': ' + d : '')); };
const check = (cond, m, d) => (cond ? ok(m) : bad(m, d));
const sleep = ms => new Promise(r => setTimeout(r, ms));
const pad = n => String(n).padStart(2, '0');
const now = new Date(), today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
const todayVi = `${pad(now.getDate())}/${pad(now.getMonth() + 1)}/${now.getFullYear()}`;

// Every file of the feed directory: name, size, mtime and sha256.
function disk() {
  const out = [];
  for (const d of ['gia-lai', 'kon-tum'])
    for (const f of fs.readdirSync(`${E.FEED}/${d}`).sort()) {
      const p = `${E.FEED}/${d}/${f}`, st = fs.statSync(p);
      out.push(`${d}/${f} ${st.size} ${st.mtimeMs} ${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
    }
  return out.join('\n');
}
const fileSha = f => crypto.createHash('sha256').update(fs.readFileSync(`${E.FEED}/${f}`)).digest('hex');
const signedAt = layer => Number(/timestamp:(\d+)/.exec(fs.readFileSync(`${E.FEED}/${layer}/playlist.json.minisig`, 'utf8'))[1]);

// The board's status file, freshly written (SIGUSR1), once pred holds or ms have passed.
async function board(pred, ms) {
  const end = Date.now() + ms;
  let s = null;
  do {
    process.kill(Number(E.BOARD_PID), 'SIGUSR1');
    await sleep(100);
    try { s = JSON.parse(fs.readFileSync(E.STATUS, 'utf8')); } catch { continue; }
    if (pred(s)) return { ok: true, s };
  } while (Date.now() < end);
  return { ok: false, s };
}
const shows = (id, version) => s => s.current && s.current.id === id && s.feeds[0].version === version;

async function login(page, name, password) {
  await page.goto(url + '/studio');
  await page.fill('#login-form input[name=name]', name);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#studio:not([hidden])', { timeout: 8000 });
  await page.waitForSelector('#versions tbody tr', { timeout: 8000 });
}

// Clicks sel, then waits for the hub's next answer under the publish form:
// {state, text}. Unlocking a key takes seconds (scrypt), more on a busy machine.
async function answer(page, sel) {
  const n = await page.$eval('#pub-result', p => Number(p.dataset.answers || 0));
  await page.click(sel);
  await page.waitForFunction(k => Number(document.querySelector('#pub-result').dataset.answers || 0) > k, n, { timeout: 60000 });
  return page.$eval('#pub-result', p => ({ state: p.dataset.state, text: p.textContent }));
}

async function fieldMessage(page, field, re) {
  const sel = `#item-form label[data-field=${field}] .msg`;
  await page.waitForFunction(([s, r]) => new RegExp(r).test(document.querySelector(s).textContent), [sel, re.source], { timeout: 8000 }).catch(() => {});
  return page.textContent(sel);
}
// A screenshot of sel for the guide, once the page is still (previews load above the panel).
async function shot(page, sel, name) {
  await page.waitForLoadState('networkidle');
  await page.locator(sel).scrollIntoViewIfNeeded();
  await sleep(200);
  await page.locator(sel).screenshot({ path: `${E.SCREENS}/${name}` });
}
const lintClean = page => page.waitForFunction(() => document.body.dataset.lintErrors === '0', null, { timeout: 8000 }).then(() => true, () => false);
const versionRows = page => page.$$eval('#versions tbody tr[data-v]', trs => trs.map(tr => ({
  v: Number(tr.dataset.v), state: tr.dataset.state, cells: [...tr.cells].map(c => c.textContent),
  acts: [...tr.querySelectorAll('button')].map(b => b.dataset.act) })));

// The fleet page's row of a board, once its "showing" cell matches re (the page reloaded until then).
async function fleetRow(page, name, re, ms) {
  const end = Date.now() + ms;
  let row = null;
  do {
    await page.goto(url + '/');
    await page.waitForFunction(() => document.body.dataset.fleetMs !== undefined, null, { timeout: 5000 }).catch(() => {});
    row = await page.evaluate(n => {
      for (const tr of document.querySelectorAll('#boards tbody tr'))
        if (tr.cells[0].textContent === n) return { status: tr.cells[3].className, showing: tr.cells[5].textContent };
      return null;
    }, name);
    if (row && re.test(row.showing)) return row;
    await sleep(500);
  } while (Date.now() < end);
  return row;
}

(async () => {
  const launch = dir => chromium.launchPersistentContext(dir, {
    executablePath: E.CHROMIUM, headless: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: 1366, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const errors = [];
  const ctx = await launch(E.PROFILE + '-gl');
  const page = await ctx.newPage();
  page.on('pageerror', e => errors.push(String(e)));

  // ---- the first publish: the province's playlist, pasted into the JSON text ----
  await login(page, 'bien-tap-gl', 'editor-password-gl');
  const info0 = await page.textContent('#pub-info');
  check(/^BHXH tỉnh Gia Lai · khóa ký [0-9A-F]{16} · trung tâm chưa đăng phiên bản nào\.$/.test(info0), `the publish panel names the layer and its key: "${info0}"`, info0);
  const pwAttrs = await page.$eval('#pub-form [name=keypass]', i => [i.type, i.getAttribute('autocomplete'), i.closest('label').hidden]);
  check(pwAttrs.join() === 'password,off,false', 'the key password field is a password field without autocomplete', pwAttrs.join());
  check((await page.textContent('#publish')) === 'Ký và đăng', 'the button reads "Ký và đăng" on a layer without approval');
  await page.fill('#json', fs.readFileSync(E.PLAYLIST, 'utf8'));
  await page.waitForFunction(() => document.querySelectorAll('#items li').length === 4);
  check(await lintClean(page), 'the province playlist, pasted into the JSON text, has no error');
  await page.fill('#pub-form [name=keypass]', E.PW_GL);
  await page.fill('#pub-form [name=note]', 'bản đầu tiên');
  let r = await answer(page, '#publish');
  check(r.state === 'ok' && /^Đã ký và đăng phiên bản 1, ký lúc /.test(r.text) && r.text.includes(fileSha('gia-lai/playlist.json')),
    `the first publish is signed as version 1, with the sha256 of the file on disk: "${r.text}"`, r.text);
  check((await page.inputValue('#pub-form [name=keypass]')) === '', 'the password field is empty after the publish');
  let b = await board(s => s.feeds[0].version === signedAt('gia-lai') && s.current && /^gl-/.test(s.current.id), 10000);
  check(b.ok, `the board takes version 1 through nginx (showing ${b.s && b.s.current && b.s.current.id})`, JSON.stringify(b.s && b.s.feeds));

  // ---- an item with three mistakes, each at its field ----
  await page.click('#add');
  await page.fill('#item-form [name=id]', 'bao-lu');
  await page.fill('#item-form [name=text]', 'Th«ng b¸o nghØ lµm viÖc do b·o');
  await page.fill('#item-form [name=from]', '07:30');
  await page.fill('#item-form [name=windows]', '25:00-26:00');
  const from = await fieldMessage(page, 'from', /không phải ngày/);
  check(/"07:30" không phải ngày/.test(from), `the missing date is named at the "from" field: ${from}`, from);
  const win = await fieldMessage(page, 'windows', /không phải giờ trong ngày/);
  check(/25:00-26:00/.test(win), `the window 25:00-26:00 is named at the "windows" field: ${win}`, win);
  const txt = await fieldMessage(page, 'text', /TCVN3/);
  check(/TCVN3/.test(txt), `the TCVN3 text is named at the "text" field: ${txt}`, txt);

  // Publishing it anyway: refused before the key is touched, nothing written.
  let before = disk();
  await page.fill('#pub-form [name=keypass]', E.PW_GL);
  r = await answer(page, '#publish');
  check(r.state === 'bad' && /^danh sách phát có lỗi \(như ledsign validate báo\), không có gì được đăng\nCác lỗi hiện ở các ô của mục/.test(r.text),
    `a playlist with errors is refused, pointing at the findings: "${r.text}"`, r.text);
  check((await page.inputValue('#pub-form [name=keypass]')) === '' && disk() === before, 'the password field is cleared and nothing changed on disk');

  // Fixed: a storm notice for today, all day, cutting in.
  await page.fill('#item-form [name=text]', 'Thông báo nghỉ làm việc do bão');
  await page.fill('#item-form [name=from]', today);
  await page.fill('#item-form [name=windows]', '00:00-24:00');
  await page.fill('#item-form [name=priority]', '10');
  await page.check('#item-form [name=interrupt]');
  const clean = await lintClean(page);
  const msgs = await page.$$eval('#item-form .msg', ps => ps.map(p => p.textContent).join(''));
  check(clean && msgs === '', 'after the fixes no message is left', msgs);
  await page.waitForFunction(() => { const i = document.querySelector('#previews img'); return i && i.src.startsWith('data:image/gif') && i.naturalWidth > 0; }, null, { timeout: 20000 })
    .then(() => ok('the preview of the fixed item is drawn'), () => bad('no preview of the fixed item'));

  // ---- a wrong key password: nothing published ----
  before = disk();
  await page.fill('#pub-form [name=keypass]', 'sai mật khẩu');
  r = await answer(page, '#publish');
  check(r.state === 'bad' && r.text === 'sai mật khẩu khóa của lớp, không có gì được đăng', `a wrong key password is refused in Vietnamese, in those words alone: "${r.text}"`, r.text);
  check((await page.inputValue('#pub-form [name=keypass]')) === '', 'the password field is cleared after the refusal');
  check(disk() === before, 'nothing changed on disk (names, sizes, mtimes, sha256)');
  let rows = await versionRows(page);
  check(rows.length === 1 && rows[0].state === 'current', 'the versions list still holds version 1 only, on the boards', JSON.stringify(rows));
  await shot(page, '#pub', 'studio-publish-refused.png');

  // ---- the right password: published, on the board within one poll ----
  await page.fill('#pub-form [name=keypass]', E.PW_GL);
  await page.fill('#pub-form [name=note]', 'nghỉ làm việc do bão');
  const t0 = Date.now();
  r = await answer(page, '#publish');
  const tAnswer = Date.now();
  const ts2 = signedAt('gia-lai');
  check(r.state === 'ok' && /^Đã ký và đăng phiên bản 2, ký lúc (Chủ nhật|thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)), \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d\./.test(r.text) &&
    r.text.includes(fileSha('gia-lai/playlist.json')), `published as version 2, with the file's sha256: "${r.text}"`, r.text);
  check((await page.inputValue('#pub-form [name=keypass]')) === '', 'the password field is empty again');
  b = await board(shows('bao-lu', ts2), pollMs + 3000);
  const tBoard = Date.now();
  check(b.ok, `the board shows bao-lu ${tBoard - tAnswer} ms after the hub's answer (within one poll of ${pollMs} ms)`, JSON.stringify(b.s && [b.s.current, b.s.feeds]));
  console.log(`publish click to board: ${tBoard - t0} ms (the request ${tAnswer - t0} ms incl. the scrypt key unlock; poll ${pollMs} ms)`);
  rows = await versionRows(page);
  const v2 = rows.find(x => x.v === 2), v1 = rows.find(x => x.v === 1);
  check(v2 && v2.state === 'current' && v2.cells[2] === 'bien-tap-gl' && v2.cells[3] === 'nghỉ làm việc do bão' && v2.cells[4] === 'đang trên bảng' && !v2.acts.length,
    `the versions list shows version 2 on the boards: ${v2 && v2.cells.join(' | ')}`, JSON.stringify(v2));
  check(new RegExp(`^(Chủ nhật|thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)), ${todayVi} \\d\\d:\\d\\d:\\d\\d$`).test(v2 && v2.cells[1]), `its date reads as Vietnamese write it: "${v2 && v2.cells[1]}"`);
  check(v1 && v1.state === 'published' && v1.acts.join() === 'rollback', 'version 1 offers a rollback', JSON.stringify(v1));
  await shot(page, '#pub', 'studio-publish.png');

  // Its heartbeat on the fleet page.
  const fleet = await ctx.newPage();
  fleet.on('pageerror', e => errors.push(String(e)));
  const row = await fleetRow(fleet, 'bhxh-pleiku', /^bao-lu/, 12000);
  check(row && /^bao-lu/.test(row.showing) && /st-online/.test(row.status), `the board's heartbeat reaches the fleet page: online, showing "${row && row.showing}"`, JSON.stringify(row));
  await fleet.close();

  // The audit view.
  const audit = await page.$$eval('#audit tbody tr', trs => trs.map(tr => ({ action: tr.dataset.action, cells: [...tr.cells].map(c => c.textContent) })));
  const pubRow = audit.find(a => a.action === 'layer.publish' && /^phiên bản 2, ký lúc /.test(a.cells[3]));
  check(pubRow && pubRow.cells[1] === 'bien-tap-gl' && pubRow.cells[2] === 'đăng' && /thêm mới: bao-lu/.test(pubRow.cells[3]) && pubRow.cells[4] === '127.0.0.1',
    `the audit view lists the publish: ${pubRow && pubRow.cells.join(' | ')}`, JSON.stringify(audit.slice(0, 3)));
  const refused = audit.filter(a => a.action === 'layer.publish.refused');
  check(refused.length === 1 && refused[0].cells[2] === 'từ chối: sai mật khẩu khóa', 'and the wrong password', JSON.stringify(refused));

  // ---- an editor of Kon Tum: 403 on Gia Lai, nothing written; he submits on his own layer ----
  before = disk();
  const kctx = await launch(E.PROFILE + '-kt');
  const kpage = await kctx.newPage();
  kpage.on('pageerror', e => errors.push(String(e)));
  await login(kpage, 'bien-tap-kt', 'editor-password-kt');
  const klayers = await kpage.$$eval('#layer option', os => os.map(o => o.value));
  check(klayers.join() === 'kon-tum', 'an editor of Kon Tum is offered only kon-tum', klayers.join());
  const codes = await kpage.evaluate(async ([pw, body]) => {
    const me = await (await fetch('/api/me')).json();
    const h = { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf };
    const p = await fetch('/api/layers/gia-lai/publish', { method: 'POST', headers: h, body: JSON.stringify({ body, password: pw }) });
    const rb = await fetch('/api/layers/gia-lai/rollback', { method: 'POST', headers: h, body: JSON.stringify({ version: 1, password: pw }) });
    const g = await fetch('/api/layers/gia-lai');
    return [p.status, (await p.json()).error, rb.status, g.status];
  }, [E.PW_GL, '{"version": 1, "items": [{"id": "kt", "text": "Kon Tum ghi đè Gia Lai"}]}']);
  check(codes[0] === 403 && codes[1] === 'lớp này nằm ngoài phạm vi tài khoản của bạn' && codes[2] === 403 && codes[3] === 403,
    `his publish and rollback on gia-lai, even with its password, and his look at it are refused (403): "${codes[1]}"`, codes.join());
  check(disk() === before, 'nothing changed on disk');
  b = await board(shows('bao-lu', ts2), 500);
  check(b.ok, 'the board still shows bao-lu of version 2');

  const kinfo = await kpage.textContent('#pub-info');
  check((await kpage.textContent('#publish')) === 'Gửi duyệt' && await kpage.$eval('#pub-form [name=keypass]', i => i.closest('label').hidden) &&
    /cần người duyệt/.test(kinfo), `on kon-tum (approval = yes) the button reads "Gửi duyệt", with no key password: "${kinfo}"`, kinfo);
  await kpage.fill('#json', '{\n  "version": 1,\n  "items": [\n    {"id": "kt-tong-dai", "text": "Tổng đài hỗ trợ BHXH: 1900 9068"}\n  ]\n}\n');
  await lintClean(kpage);
  r = await answer(kpage, '#publish');
  check(r.state === 'ok' && /^Đã gửi duyệt phiên bản 1/.test(r.text), `the editor submits: "${r.text}"`, r.text);
  let krows = await versionRows(kpage);
  check(krows.length === 1 && krows[0].state === 'pending' && krows[0].cells[4] === 'chờ duyệt' && !krows[0].acts.length,
    'version 1 waits for approval; the editor cannot approve it', JSON.stringify(krows));
  check(fs.readdirSync(`${E.FEED}/kon-tum`).length === 0, 'nothing is in kon-tum\'s feed directory yet');
  await kctx.close();

  // The approver approves it with the key password.
  const actx = await launch(E.PROFILE + '-approver');
  const apage = await actx.newPage();
  apage.on('pageerror', e => errors.push(String(e)));
  await login(apage, 'duyet-kt', 'approver-password-kt');
  krows = await versionRows(apage);
  check(krows.length === 1 && krows[0].acts.join() === 'approve,reject', 'the approver sees version 1 with "Duyệt và ký" and "Không duyệt"', JSON.stringify(krows));
  await shot(apage, '#pub', 'studio-approve.png');
  await apage.click('#versions button[data-act=approve]');
  await apage.waitForSelector('#confirm[open]');
  check(/^Duyệt phiên bản 1: /.test(await apage.textContent('#confirm-text')), 'the approval asks for the key password');
  await apage.fill('#confirm [name=keypass]', E.PW_KT);
  r = await answer(apage, '#confirm-ok');
  check(r.state === 'ok' && /^Đã ký và đăng phiên bản 1/.test(r.text) && r.text.includes(fileSha('kon-tum/playlist.json')),
    `approved, signed and published: "${r.text.slice(0, 80)}…"`, r.text);
  check((await apage.inputValue('#confirm [name=keypass]')) === '', 'the dialog\'s password field is cleared');
  krows = await versionRows(apage);
  check(krows[0].state === 'current' && krows[0].cells[2] === 'bien-tap-kt → duyet-kt', `the list says who submitted and who approved: ${krows[0].cells[2]}`, JSON.stringify(krows));
  await actx.close();

  // ---- rollback to version 1: a new signed version with the old content ----
  await page.click('#versions tr[data-v="1"] button[data-act=rollback]');
  await page.waitForSelector('#confirm[open]');
  check(/^Khôi phục phiên bản 1: /.test(await page.textContent('#confirm-text')), 'the rollback asks for the key password too');
  await page.fill('#confirm [name=keypass]', E.PW_GL);
  await shot(page, '#confirm', 'studio-rollback.png');
  r = await answer(page, '#confirm-ok');
  const t1 = Date.now();
  const ts3 = signedAt('gia-lai');
  const v1sha = await page.evaluate(async () => (await (await fetch('/api/layers/gia-lai/versions/1')).json()).sha256);
  check(r.state === 'ok' && /^Đã khôi phục: phiên bản 3 mang lại nội dung của phiên bản 1, ký mới lúc /.test(r.text),
    `the rollback is published as version 3: "${r.text.slice(0, 110)}…"`, r.text);
  check(fileSha('gia-lai/playlist.json') === v1sha && r.text.includes(v1sha) && ts3 > ts2, 'the file on disk is version 1\'s content, under a later signature');
  b = await board(s => s.feeds[0].version === ts3 && s.current && s.current.id !== 'bao-lu', pollMs + 3000);
  check(b.ok, `the board shows version 1's content again ${Date.now() - t1} ms after the hub's answer (showing ${b.s && b.s.current && b.s.current.id})`, JSON.stringify(b.s && [b.s.current, b.s.feeds]));
  rows = await versionRows(page);
  const v3 = rows.find(x => x.v === 3);
  check(v3 && v3.state === 'current' && v3.cells[3] === 'khôi phục phiên bản 1' && rows.find(x => x.v === 2).acts.join() === 'rollback',
    `the list shows version 3 (${v3 && v3.cells[3]}) on the boards, version 2 now offering a rollback`, JSON.stringify(rows));
  const denied = await page.$$eval('#audit tbody tr[data-action="layer.denied"]', trs => trs.map(tr => [...tr.cells].map(c => c.textContent)));
  check(denied.some(d => d[1] === 'bien-tap-kt' && d[2] === 'từ chối: ngoài phạm vi' && d[3] === 'POST /api/layers/gia-lai/publish: lớp này nằm ngoài phạm vi tài khoản'),
    'the audit view lists the other province\'s attempts, in Vietnamese', JSON.stringify(denied));
  await shot(page, '#pub', 'studio-versions.png');

  // ---- English ----
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#audit tbody tr td:nth-child(3)').textContent === 'publish');
  check((await page.textContent('#publish')) === 'Sign and publish' && (await page.textContent('#pub h2')) === 'Publish to the boards', 'the EN button switches the panel to English');
  await page.fill('#pub-form [name=keypass]', 'wrong');
  r = await answer(page, '#publish');
  check(r.state === 'bad' && r.text === 'wrong key password, nothing was published', `and the hub's refusal too: "${r.text}"`, r.text);
  await page.click('#lang');

  check(errors.length === 0, 'no script errors on the pages', errors.join('; '));
  await ctx.close();
  process.exit(failed ? 1 : 0);
})().catch(e => { console.log('FAIL the browser script: ' + e.stack); process.exit(1); });
