// Drives the studio's picture button in Debian's chromium through
// Playwright, for tests/e2e_hub_pictures.sh (which starts the hub with the
// gia-lai layer and an editor of it): a new item gets the emblem from the
// file chooser, the page writes the path and hash the hub answers into the
// item, the lint is clean and the preview is drawn with it; a decompression
// bomb is refused with the reason under the field. Prints "ok ..." /
// "FAIL ..." lines; the shell script counts them.
'use strict';
const { chromium } = require('playwright-core');

const E = process.env;
let failed = 0;
const ok = m => console.log('ok ' + m);
const bad = (m, d) => { failed++; console.log('FAIL ' + m + (d ? ': ' + d : '')); };
const check = (cond, m, d) => (cond ? ok(m) : bad(m, d));
const until = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: 15000 }).then(() => true, () => false);

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

  await page.goto(E.HUB_URL + '/studio');
  await page.fill('#login-form input[name=name]', 'hoa');
  await page.fill('#login-form input[name=password]', 'hoa-password-1');
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#studio:not([hidden])', { timeout: 8000 });
  await page.click('#add');
  await page.waitForSelector('#item-form:not([hidden])');
  check(/chưa có hình ảnh/.test(await page.textContent('#picture-info')), 'a new item says it has no picture');

  await page.setInputFiles('#picture-file', E.EMBLEM);
  const got = await until(page, sha => document.body.dataset.picture === sha, E.EMBLEM_SHA);
  await page.evaluate(() => { delete document.body.dataset.previewed; });
  const json = await page.inputValue('#json');
  check(got && json.includes('"file": "pictures/emblem.png"') && json.includes(`"sha256": "${E.EMBLEM_SHA}"`),
    'the picture button uploads the PNG and writes its path and sha256 into the item', json);
  check(/pictures\/emblem\.png · sha256 386ac40ebc644562…/.test(await page.textContent('#picture-info')),
    'the field says which picture the item shows', await page.textContent('#picture-info'));
  check(await until(page, () => document.body.dataset.lintErrors === '0'), 'the lint finds the picture in the layer\'s store (no error)',
    await page.textContent('#findings'));
  const drawn = await until(page, () => document.body.dataset.previewed === '0');
  const src = drawn ? await page.getAttribute('#previews figure img', 'src') : '';
  check(drawn && src.startsWith('data:image/gif;base64,R0lGOD'), 'the preview of the item is drawn with its picture', src.slice(0, 40));
  // The form with the picture's line and the preview below it (content/STUDIO.md shows it).
  if (E.SCREENS) await page.screenshot({ path: E.SCREENS + '/studio-picture.png', fullPage: true, clip: { x: 0, y: 250, width: 1366, height: 760 } });

  await page.setInputFiles('#picture-file', E.BOMB);
  check(await until(page, () => /1000x1000/.test(document.querySelector('#picture-msg').textContent)),
    'a decompression bomb is refused with the reason under the field', await page.textContent('#picture-msg'));
  check((await page.inputValue('#json')).includes(E.EMBLEM_SHA), 'and the item keeps its picture');
  check(errors.length === 0, 'no script error on the page', errors.join('; '));
  await ctx.close();
  process.exit(failed ? 1 : 0);
})().catch(e => { console.log('FAIL the browser script: ' + e); process.exit(1); });
