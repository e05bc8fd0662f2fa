// Drives the urgent notice form (/urgent) in Debian's chromium through
// Playwright, for tests/e2e_hub_urgent.sh (which starts nginx with nchan,
// the hub with an urgent layer and a board listening on the push channel,
// and passes the hub's address, the editor and the key's password). The
// editor logs in, sends a notice that ends before it starts and sees the
// message at "Kết thúc"; a wrong key password at the password field; then
// publishes, sees the result (version, item, push sent) and prints the
// item's id ("id ...") for the script to find on the board. Prints
// "ok ..." / "FAIL ..." lines; the shell script counts them.
'use strict';
const { chromium } = require('playwright-core');

const E = process.env;
const url = E.HUB_URL;
let failed = 0;
const ok = m => console.log('ok ' + m);
const bad = (m, d) => { failed++; console.log('FAIL ' + m + (d ? ': ' + d : '')); };
const check = (cond, m, d) => (cond ? ok(m) : bad(m, d));
const pad = n => String(n).padStart(2, '0');
// A datetime-local value for now + hours (the browser runs in the hub's zone).
function local(hours) {
  const d = new Date(Date.now() + hours * 3600e3);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// The message at a field of the form, once one is there.
async function fieldMessage(page, field) {
  const sel = `#urgent-form label[data-field=${field}] .msg`;
  try {
    await page.waitForFunction(s => document.querySelector(s).textContent !== '', sel, { timeout: 30000 });
  } catch { /* reported by the caller */ }
  return page.textContent(sel);
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

  await page.goto(url + '/');
  check(await page.locator('nav a[href="/urgent"]').count() === 1, 'the hub\'s navigation links the urgent form');
  await page.goto(url + '/urgent');
  await page.fill('#login-form input[name=name]', E.EDITOR);
  await page.fill('#login-form input[name=password]', E.EDITOR_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#urgent:not([hidden])', { timeout: 8000 });
  check(await page.textContent('#urgent h1') === 'Thông báo khẩn', 'the form is in Vietnamese first');
  check(await page.locator('#layer-label').isHidden(), 'with one urgent layer in scope, no layer to choose');

  const text = 'KHẨN (trình duyệt): BHXH Gia Lai nghỉ tiếp dân chiều nay do mưa lũ';
  await page.fill('#urgent-form textarea[name=text]', text);
  check(await page.textContent('#count') === String([...text].length), 'the form counts the characters', await page.textContent('#count'));
  await page.fill('#urgent-form input[name=tags]', 'gia-lai');
  await page.fill('#urgent-form input[name=from]', local(24));
  await page.fill('#urgent-form input[name=until]', local(2));
  await page.fill('#urgent-form input[name=password]', E.KEY_PASSWORD);
  await page.click('#send');
  let m = await fieldMessage(page, 'until');
  check(/kết thúc trước khi bắt đầu/.test(m), 'an end before the start is shown at the "Kết thúc" field', m);
  check(await page.locator('#result').isHidden(), 'and nothing is published');

  await page.fill('#urgent-form input[name=from]', '');
  await page.fill('#urgent-form input[name=until]', local(24));
  await page.fill('#urgent-form input[name=password]', 'đoán sai');
  await page.click('#send');
  m = await fieldMessage(page, 'password');
  check(/sai mật khẩu khóa của lớp/.test(m), 'a wrong key password is shown at the password field', m);
  check(await page.inputValue('#urgent-form input[name=password]') === '', 'and the field is emptied');

  await page.fill('#urgent-form input[name=password]', E.KEY_PASSWORD);
  await page.click('#send');
  try {
    await page.waitForSelector('#result:not([hidden])', { timeout: 60000 });
  } catch { /* reported below */ }
  const status = await page.textContent('#status');
  check(/đã đăng thông báo khẩn và báo ngay/.test(status), 'the notice is published and the page says the boards were told', status);
  const result = await page.textContent('#result-list');
  check(/đã báo ngay cho các bảng/.test(result) && /urgent-\d+/.test(result), 'the result names the item and the push', result);
  const id = (/urgent-\d+/.exec(result) || [''])[0];
  if (id) console.log('id ' + id);
  if (E.SCREENS) await page.locator('#urgent').screenshot({ path: E.SCREENS + '/urgent-form.png' });

  await page.click('#lang');
  check(await page.textContent('#urgent h1') === 'Urgent notice' && await page.textContent('#send') === 'Sign and publish the urgent notice',
    'English is one click away');
  await page.fill('#urgent-form input[name=password]', '');
  await page.click('#send');
  m = await fieldMessage(page, 'password');
  check(/the layer key's password/i.test(m), 'and its messages are English', m);

  check(errors.length === 0, 'no script errors on the page', errors.join('; '));
  await ctx.close();
  process.exit(failed ? 1 : 0);
})().catch(e => { console.log('FAIL the browser script: ' + e); process.exit(1); });
