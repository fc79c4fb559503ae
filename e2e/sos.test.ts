/**
 * SOS alarm and acknowledgement by a second guardian in another browser context: the watch's
 * SOS takes over both guardians' screens and keeps doing so (across a reload, and while the
 * server repeats it) until one of them acknowledges; the other's takeover then says who and
 * closes, and the alerts inbox shows the SOS acknowledged by that guardian.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimulatedWatch } from '@kinwatch/simulator';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext, screenshot } from './support/browser.ts';
import { addGuardianByApi, bindByApi, freshPhone, signInByApi } from './support/guardians.ts';
import { startKinwatch, type KinwatchProcess } from './support/kinwatch-process.ts';
import { startWatch } from './support/watches.ts';

/** The shortest repeat the server allows, so that a repeat arrives within the test. */
const SOS_REPEAT_SECONDS = 10;

let server: KinwatchProcess;
let browser: Browser;
let simulated: SimulatedWatch | undefined;

before(async () => {
  server = await startKinwatch({
    env: { KINWATCH_ALERT_SOS_REPEAT_SECONDS: String(SOS_REPEAT_SECONDS) },
  });
  browser = await launchBrowser();
});

after(async () => {
  await simulated?.stop();
  await browser.close();
  await server.stop();
});

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * The SOS messages of the page's live stream, in order: `alarmReceived` for an alarm's
 * announcement before its commit, else the stored alert's change (`raised`, `repeated`...).
 */
function recordAlertMessages(page: Page): string[] {
  const seen: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string') return;
      const message = JSON.parse(payload) as { type?: string; change?: string };
      if (message.type === 'alarmReceived') seen.push(message.type);
      else if (message.type === 'alert' && message.change !== undefined) seen.push(message.change);
    });
  });
  return seen;
}

const countOf = (seen: readonly string[], key: string) => seen.filter((k) => k === key).length;

/** Opens the app, with `watch` set up on the page before its live stream connects. */
async function openApp(context: BrowserContext, watch: (page: Page) => void): Promise<Page> {
  const page = await context.newPage();
  watch(page);
  await page.goto('/');
  await page.locator('[data-testid="stream-state"][data-state="open"]').waitFor();
  return page;
}

const sosDialog = (page: Page) => page.getByRole('alertdialog', { name: 'SOS from Mia' });

test('an SOS takes over both guardians until one acknowledges it', async () => {
  const mum = await phoneContext(browser, server.baseUrl);
  const dad = await phoneContext(browser, server.baseUrl);
  const mumPhone = freshPhone();
  const dadPhone = freshPhone();
  const watch = await startWatch(server.gatewayPort);
  simulated = watch;
  await signInByApi(mum, server, mumPhone);
  const watchId = await bindByApi(mum, watch, 'Mia');
  await signInByApi(dad, server, dadPhone);
  const named = await dad.request.patch('/api/v1/me', { data: { nickname: 'Dad' } });
  assert.equal(named.status(), 200, await named.text());
  await addGuardianByApi(mum, dad, watchId, dadPhone);

  let mumErrors: string[] = [];
  let dadErrors: string[] = [];
  let dadMessages: string[] = [];
  const mumPage = await openApp(mum, (page) => {
    mumErrors = collectErrors(page);
  });
  const dadPage = await openApp(dad, (page) => {
    dadErrors = collectErrors(page);
    dadMessages = recordAlertMessages(page);
  });

  void watch.raiseAlarm('sos');
  for (const page of [mumPage, dadPage]) {
    await sosDialog(page).waitFor({ timeout: 15_000 });
  }
  // The takeover opens on the alarm's announcement; the stored alert, which has the id to
  // acknowledge, replaces it a moment later.
  await sosDialog(dadPage).and(dadPage.locator('[data-alert-id]')).waitFor({ timeout: 10_000 });
  assert.deepEqual(
    dadMessages.slice(0, 2),
    ['alarmReceived', 'raised'],
    'the SOS was announced on the live stream, then its stored alert arrived',
  );
  // The takeover has the focus and the one big button; the rest of the app is out of reach.
  assert.equal(await mumPage.locator(':focus').getAttribute('role'), 'alertdialog');
  assert.equal(await sosDialog(mumPage).getAttribute('aria-modal'), 'true');
  assert.equal(await mumPage.locator('#root').getAttribute('inert'), '');
  await sosDialog(mumPage)
    .getByText(/GPS fix/)
    .waitFor();
  await screenshot(mumPage, 'sos-takeover');

  // An SOS raised while the app was closed is not missed: a fresh page takes over at once.
  await mumPage.reload();
  await sosDialog(mumPage).waitFor({ timeout: 10_000 });

  // The server sends the SOS again until someone acknowledges; the takeover stays.
  const deadline = Date.now() + (SOS_REPEAT_SECONDS + 10) * 1000;
  while (countOf(dadMessages, 'repeated') === 0 && Date.now() < deadline) {
    await dadPage.waitForTimeout(250);
  }
  assert.ok(countOf(dadMessages, 'repeated') > 0, 'the SOS was repeated');
  assert.ok(await sosDialog(dadPage).isVisible(), "Dad's takeover is still shown after a repeat");
  assert.ok(await sosDialog(mumPage).isVisible(), "Mum's takeover is still shown after a repeat");

  await sosDialog(dadPage)
    .getByRole('button', { name: /acknowledge/i })
    .click();
  await sosDialog(dadPage).waitFor({ state: 'hidden', timeout: 10_000 });

  // Mum is told who is on it, then her takeover closes by itself.
  await mumPage
    .getByRole('alertdialog', { name: 'Acknowledged by Dad' })
    .waitFor({ timeout: 10_000 });
  await mumPage.getByRole('alertdialog').waitFor({ state: 'hidden', timeout: 10_000 });
  assert.equal(await mumPage.locator('#root').getAttribute('inert'), null);

  await mumPage
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Alerts' })
    .click();
  const item = mumPage.getByRole('listitem', { name: 'SOS from Mia' });
  await item.getByText('Acknowledged by Dad').waitFor();
  assert.equal(await item.getByRole('button', { name: /acknowledge/i }).count(), 0);
  await screenshot(mumPage, 'sos-alerts-acknowledged');

  await dadPage.goto(`/watches/${watchId}/alerts`);
  await dadPage
    .getByRole('listitem', { name: 'SOS from Mia' })
    .getByText('Acknowledged by you')
    .waitFor();

  assert.deepEqual(mumErrors, []);
  assert.deepEqual(dadErrors, []);
  await mum.close();
  await dad.close();
});
