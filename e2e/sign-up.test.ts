/**
 * A new guardian signs up with an SMS code in a real browser, sets a nickname, switches the app
 * to Chinese and keeps it; a visitor tries the demo and finds its simulated watch.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, phoneContext, screenshot } from './support/browser.ts';
import { freshPhone } from './support/guardians.ts';
import { startKinwatch, type KinwatchProcess } from './support/kinwatch-process.ts';

let server: KinwatchProcess;
let browser: Browser;

before(async () => {
  server = await startKinwatch();
  browser = await launchBrowser();
});

after(async () => {
  await browser.close();
  await server.stop();
});

test('a new guardian signs up by SMS code, names themself and switches to Chinese', async () => {
  const context = await phoneContext(browser, server.baseUrl);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto('/login');
  await page.getByRole('heading', { name: 'Log in or sign up' }).waitFor();
  await screenshot(page, 'login-screen');

  // A number without the country code is refused in place, before any SMS is sent.
  const phoneField = page.getByLabel('Mobile number');
  await phoneField.fill('07700 900123');
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByText('Enter the number in international form').waitFor();

  const phone = freshPhone();
  await phoneField.fill(phone);
  await page.getByRole('button', { name: 'Send code' }).click();
  const codeField = page.getByLabel('6-digit code');
  await codeField.waitFor();
  assert.equal(await codeField.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await codeField.getAttribute('inputmode'), 'numeric');
  // Asking again waits for the countdown.
  assert.equal(
    await page.getByRole('button', { name: /Send a new code in \d+ s/ }).isDisabled(),
    true,
  );

  // A wrong code is said so under the field, and the screen stays.
  const code = await server.smsCode(phone);
  const wrong = code === '000000' ? '111111' : '000000';
  await codeField.fill(wrong);
  await page.getByText('That code is not right').waitFor();

  // Six digits log in without another tap, as when the phone fills the code in.
  await codeField.fill(code);
  await page.waitForURL((url) => url.pathname === '/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const watchesLink = nav.getByRole('link', { name: 'Watches', exact: true });
  await watchesLink.waitFor();
  assert.equal(await watchesLink.getAttribute('aria-current'), 'page');

  await nav.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
  await page.getByText(phone.replace(/\s/g, '')).waitFor();
  await page.getByLabel('Nickname').fill('Grandma Rose');
  await page.getByRole('button', { name: 'Save nickname' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  // This browser is listed among the logged-in devices, marked as this one.
  await page
    .getByRole('listitem')
    .filter({ hasText: 'This device' })
    .getByRole('button', { name: 'Log out here' })
    .waitFor();

  await page.reload();
  const nickname = page.getByLabel('Nickname');
  await nickname.waitFor();
  assert.equal(await nickname.inputValue(), 'Grandma Rose');
  await screenshot(page, 'account-screen');

  await page.getByRole('radio', { name: '中文（简体）' }).check();
  await page.getByRole('heading', { name: '账户', level: 1 }).waitFor();
  const chineseNav = page.getByRole('navigation', { name: '主导航' });
  await chineseNav.getByRole('link', { name: '手表', exact: true }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hans');
  await screenshot(page, 'account-screen-zh');

  await page.reload();
  await page
    .getByRole('navigation', { name: '主导航' })
    .getByRole('link', { name: '账户' })
    .waitFor();
  await page.getByRole('heading', { name: '账户', level: 1 }).waitFor();
  assert.equal(await page.getByRole('radio', { name: '中文（简体）' }).isChecked(), true);

  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('a visitor tries the demo and sees its simulated watch', async () => {
  const context = await phoneContext(browser, server.baseUrl);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByText('throw-away family').waitFor();
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  // The demo family guards one simulated watch, walking in a park.
  await page.getByRole('listitem').filter({ hasText: 'Demo child' }).waitFor({ timeout: 20_000 });
  await screenshot(page, 'demo-watches');

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Account' })
    .click();
  await page.getByText('This is a demo family.').waitFor();
  await context.close();
});
