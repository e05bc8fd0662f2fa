// Drives the studio page in Debian's chromium through Playwright, for
// tests/e2e_hub_studio.sh (which starts the hub with two layers and passes
// its address and the size of the picture `ledsign preview` draws for a
// 192x16 board). Prints "ok ..." / "FAIL ..." lines; the shell script counts them.
'use strict';
const { chromium } = require('playwright-core');

const E = process.env;
const url = E.HUB_URL;
let failed = 0;
const ok = m => console.log('ok ' + m);
const bad = (m, d) => { failed++; console.log('FAIL ' + m + (d ? ': ' + d : '')); };
const check = (cond, m, d) => (cond ? ok(m) : bad(m, d));

// The message shown at a form field, once it is there.
async function fieldMessage(page, field, re) {
  const sel = `#item-form label[data-field=${field}] .msg`;
  try {
    await page.waitForFunction(([s, r]) => new RegExp(r).test(document.querySelector(s).textContent), [sel, re.source], { timeout: 8000 });
  } catch { /* reported by the caller */ }
  return page.textContent(sel);
}

// The JSON text at line:col of "playlist.json:L:C: ..." in a message.
async function textAt(page, msg) {
  const m = /playlist\.json:(\d+):(\d+)/.exec(msg || '');
  if (!m) return null;
  return page.evaluate(([l, c]) => document.querySelector('#json').value.split('\n')[l - 1].slice(c - 1), [Number(m[1]), Number(m[2])]);
}

// A GIF from a data: URL: its logical screen size and how many images it holds.
function gifInfo(dataUrl) {
  const b = Buffer.from(dataUrl.replace(/^data:image\/gif;base64,/, ''), 'base64');
  let p = 13 + (b[10] & 0x80 ? 3 << ((b[10] & 7) + 1) : 0), frames = 0;
  while (p < b.length && b[p] !== 0x3b) {
    if (b[p] === 0x21) p += 2;
    else if (b[p] === 0x2c) { frames++; p += 10 + (b[p + 9] & 0x80 ? 3 << ((b[p + 9] & 7) + 1) : 0) + 1; }
    else return { magic: b.subarray(0, 6).toString(), frames: -1 };
    while (p < b.length && b[p]) p += b[p] + 1;
    p++;
  }
  return { magic: b.subarray(0, 6).toString(), w: b.readUInt16LE(6), h: b.readUInt16LE(8), frames, trailer: b[b.length - 1] === 0x3b };
}

(async () => {
  const ctx = await chromium.launchPersistentContext(E.PROFILE, {
    executablePath: E.CHROMIUM, headless: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: 1366, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));

  await page.goto(url + '/studio');
  await page.fill('#login-form input[name=name]', 'bien-tap-gl');
  await page.fill('#login-form input[name=password]', 'editor-password-1');
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#studio:not([hidden])', { timeout: 8000 });
  const layers = await page.$$eval('#layer option', os => os.map(o => o.value));
  check(layers.length === 1 && layers[0] === 'gia-lai', 'an editor of Gia Lai logs in and is offered only the gia-lai layer', layers.join());
  await page.waitForFunction(() => document.querySelectorAll('#items li').length === 4);
  await page.waitForFunction(() => document.body.dataset.lintErrors === '0');
  ok('the published playlist is loaded, 4 items, and the library finds no error in it');

  // A new item with three mistakes.
  await page.click('#add');
  await page.fill('#item-form [name=id]', 'bao-lu');
  await page.fill('#item-form [name=text]', 'Th«ng b¸o nghØ lµm viÖc do b·o');
  await page.fill('#item-form [name=from]', '07:30');
  await page.fill('#item-form [name=windows]', '25:00-26:00');
  const from = await fieldMessage(page, 'from', /không phải ngày/);
  check(/"07:30" không phải ngày/.test(from), `the missing date is named at the "from" field, in Vietnamese: ${from}`, from);
  const fromAt = await textAt(page, from);
  check(fromAt && fromAt.startsWith('"07:30"'), `its line:col is where "07:30" is in the JSON`, fromAt);
  const win = await fieldMessage(page, 'windows', /không phải giờ trong ngày/);
  check(/25:00-26:00/.test(win) && /không phải giờ trong ngày/.test(win), `the window is named at the "windows" field: ${win}`, win);
  const winAt = await textAt(page, win);
  check(winAt && winAt.startsWith('"25:00-26:00"'), 'its line:col is where "25:00-26:00" is in the JSON', winAt);
  const txt = await fieldMessage(page, 'text', /TCVN3/);
  check(/TCVN3/.test(txt), `the TCVN3 text is named at the "text" field: ${txt}`, txt);
  const txtAt = await textAt(page, txt);
  check(txtAt && txtAt.startsWith('"Th«ng'), 'its line:col is where the text is in the JSON', txtAt);
  check(await page.$eval('#item-form label[data-field=from]', l => l.classList.contains('bad')), 'the field with an error is marked');
  const listed = await page.$$eval('#findings li', lis => lis.length);
  check(listed >= 3, `the findings are listed beside the JSON (${listed})`);
  await page.locator('.studio').screenshot({ path: E.SCREENS + '/studio-mistakes.png' });

  // A finding's link puts the cursor at its line:col.
  await page.click('#findings li.error a');
  const caret = await page.$eval('#json', ta => ta.value.slice(ta.selectionStart, ta.selectionStart + 7));
  check(caret.startsWith('"'), `clicking a finding selects its place in the JSON ("${caret}")`);

  // Fixed.
  await page.fill('#item-form [name=text]', 'Thông báo nghỉ làm việc do bão');
  await page.fill('#item-form [name=from]', '2026-12-01');
  await page.fill('#item-form [name=windows]', '07:30-11:30');
  await page.waitForFunction(() => document.body.dataset.lintErrors === '0', null, { timeout: 8000 }).catch(() => {});
  const msgs = await page.$$eval('#item-form .msg', ps => ps.map(p => p.textContent).join(''));
  check(msgs === '' && await page.evaluate(() => document.body.dataset.lintErrors) === '0', 'after the fixes no message is left', msgs);

  // The preview follows a clean check.
  await page.waitForFunction(() => { const i = document.querySelector('#previews img'); return i && i.src.startsWith('data:image/gif') && i.naturalWidth > 0; }, null, { timeout: 20000 });
  const src = await page.getAttribute('#previews img', 'src');
  const g = gifInfo(src);
  const nat = await page.$eval('#previews img', i => [i.naturalWidth, i.naturalHeight]);
  check(g.magic === 'GIF89a' && g.trailer && g.frames > 10, `the preview is a real animated GIF (${g.frames} frames)`, JSON.stringify(g));
  check(g.w === Number(E.REF_W) && g.h === Number(E.REF_H) && nat[0] === g.w && nat[1] === g.h,
    `of the size ledsign preview draws for a 192x16 board (${g.w}x${g.h})`, `${JSON.stringify(g)} ${nat} want ${E.REF_W}x${E.REF_H}`);
  const cap = await page.textContent('#previews figcaption');
  check(/192x16 · bao-lu/.test(cap), `captioned with the board and the item: ${cap}`);
  await page.locator('#previews').screenshot({ path: E.SCREENS + '/studio-preview.png' });

  // The week, the sheet and the difference from the published version.
  await page.click('#show-week');
  await page.waitForSelector('#week .block');
  const days = await page.$$eval('#week .day', ds => ds.length);
  const morning = await page.$$eval('#week .block', bs => bs.filter(b => /bao-lu/.test(b.title) && /07:30–11:30/.test(b.title)).length);
  check(days === 7, 'the week has seven days');
  check(morning >= 1, `the new item plays 07:30–11:30 in the week's timeline (${morning} day(s) this week)`);
  await page.locator('#week-wrap').screenshot({ path: E.SCREENS + '/studio-week.png' });
  await page.click('#show-sheet');
  await page.waitForFunction(() => { const i = document.querySelector('#sheet'); return i.src.startsWith('data:image/png') && i.naturalWidth >= 960; });
  ok('the contact sheet is a PNG of every item');
  await page.click('#show-diff');
  await page.waitForSelector('#diff li.d-added');
  const diff = await page.textContent('#diff');
  check(/thêm mới bao-lu/.test(diff) && /4 mục không đổi/.test(diff), `the difference names the added item: ${diff.replace(/\s+/g, ' ').trim()}`);
  await page.locator('#diff-wrap').screenshot({ path: E.SCREENS + '/studio-diff.png' });

  // The draft is kept: a reload brings it back.
  await page.waitForFunction(() => document.querySelector('#saved').textContent !== '', null, { timeout: 8000 });
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('#items li').length === 5, null, { timeout: 8000 }).catch(() => {});
  const ids = await page.$$eval('#items li b', bs => bs.map(b => b.textContent));
  check(ids.includes('bao-lu'), 'the draft survives a reload', ids.join());

  // English on the button, messages too.
  await page.click('#items li:last-child');
  await page.fill('#item-form [name=from]', '07:30');
  await page.click('#lang');
  const en = await fieldMessage(page, 'from', /is not a date/);
  check(/is not a date/.test(en), `in English the same message reads: ${en}`, en);
  const nav = await page.textContent('nav a[href="/urgent"]');
  check(nav === 'Urgent notice', `in English the navigation's urgent link reads: ${nav}`, nav);
  await page.click('#lang');
  const navVi = await page.textContent('nav a[href="/urgent"]');
  check(navVi === 'Thông báo khẩn', `back in Vietnamese it reads: ${navVi}`, navVi);

  // Another province's layer.
  const st = await page.evaluate(async () => (await fetch('/api/studio/layers/kon-tum')).status);
  check(st === 403, 'the kon-tum layer is refused with 403', st);
  check(errors.length === 0, 'no script errors on the page', errors.join('; '));
  await ctx.close();
  process.exit(failed ? 1 : 0);
})().catch(e => { console.log('FAIL the browser script: ' + e.stack); process.exit(1); });
