/**
 * The browser side of Web Push: the app's service worker turns the server's push message into
 * a notification. Chromium delivers the message through the DevTools protocol, as a push
 * service would, with the payload the server builds (core's pushMessage()).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pushMessage } from '@kinwatch/core';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchBrowser, phoneContext } from './support/browser.ts';
import { startKinwatch, type KinwatchProcess } from './support/kinwatch-process.ts';

const WAIT_MS = 20_000;
const WATCH_ID = 'wch_e2e_push';

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

type Change = 'raised' | 'repeated' | 'acknowledged';
type Kind = Parameters<typeof pushMessage>[0]['kind'];

/** The JSON the server sends by Web Push for one change to an alert. */
function payloadOf(alertId: number, kind: Kind, change: Change, childName: string | null) {
  const { payload } = pushMessage({
    kind,
    childName,
    event: {
      type: 'alert',
      watchId: WATCH_ID,
      eventId: alertId * 10,
      change,
      alert: {
        id: alertId,
        kind,
        raisedAt: '2025-06-02T06:45:00.000Z',
        recordedAt: '2025-06-02T06:44:58.000Z',
        location: null,
        details: {},
        acknowledgedAt: null,
        acknowledgedBy: null,
      },
    },
  });
  return JSON.stringify(payload);
}

/** What the page can see of a notification its service worker shows. */
interface Shown {
  readonly title: string;
  readonly body: string;
  readonly tag: string;
  readonly requireInteraction: boolean;
  readonly renotify: boolean;
  readonly vibrate: readonly number[];
  readonly timestamp: number;
  readonly lang: string;
  readonly icon: string;
  readonly data: unknown;
}

/** The notifications now shown with `tag` (all of them without), as the page sees them. */
function notificationsOf(page: Page, tag?: string): Promise<Shown[]> {
  return page.evaluate(async (wanted) => {
    const registration = await navigator.serviceWorker.ready;
    const shown = await registration.getNotifications(wanted === undefined ? {} : { tag: wanted });
    return shown.map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      requireInteraction: n.requireInteraction,
      renotify: (n as { renotify?: boolean }).renotify ?? false,
      vibrate: [...((n as { vibrate?: readonly number[] }).vibrate ?? [])],
      timestamp: (n as { timestamp?: number }).timestamp ?? 0,
      lang: n.lang,
      icon: n.icon,
      data: n.data as unknown,
    }));
  }, tag);
}

/** What `probe` gives once it gives something, within a generous wait; `what` names it. */
async function eventually<T>(page: Page, what: string, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) assert.fail(`never came: ${what}`);
    await page.waitForTimeout(200);
  }
}

/** The notifications with `tag`, once `isDone` holds for them. */
function shownOnce(page: Page, tag: string, isDone: (shown: Shown[]) => boolean): Promise<Shown[]> {
  return eventually(page, `notifications with tag ${tag}`, async () => {
    const shown = await notificationsOf(page, tag);
    return isDone(shown) ? shown : null;
  });
}

/** The notifications with `tag`, once one of them has the title `title`. */
function shownWith(page: Page, tag: string, title: string): Promise<Shown[]> {
  return shownOnce(page, tag, (shown) => shown.some((n) => n.title === title));
}

/**
 * A page of the app once its service worker is active, and a way to push to that worker as
 * the browser's push service would.
 */
async function openWithServiceWorker(
  context: BrowserContext,
): Promise<{ page: Page; push: (data: string) => Promise<void> }> {
  const page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  const origin = new URL(server.baseUrl).origin;
  const registrations = new Map<string, string>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: updated }) => {
    for (const { scopeURL, registrationId, isDeleted } of updated) {
      if (isDeleted) registrations.delete(scopeURL);
      else registrations.set(scopeURL, registrationId);
    }
  });
  await cdp.send('ServiceWorker.enable');
  await page.goto('/');
  // `ready` gives the registration as soon as it has an active worker, which may still be
  // activating: a push delivered then can be lost. Wait until the worker is activated.
  const scope = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (worker !== null && worker.state !== 'activated') {
      await new Promise<void>((resolve) => {
        worker.addEventListener('statechange', () => {
          if (worker.state === 'activated') resolve();
        });
      });
    }
    return registration.scope;
  });
  assert.equal(scope, `${origin}/`);
  const registrationId = await eventually(page, 'the registration, from DevTools', () =>
    Promise.resolve(registrations.get(scope) ?? null),
  );
  return {
    page,
    push: async (data) => {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data });
    },
  };
}

test('an SOS push shows a notification that stays until handled, and its acknowledgement replaces it', async () => {
  const context = await phoneContext(browser, server.baseUrl);
  await context.grantPermissions(['notifications']);
  const { page, push } = await openWithServiceWorker(context);

  await push(payloadOf(42, 'sos', 'raised', 'Mia'));
  const [sos, ...others] = await shownWith(page, 'alert-42', 'SOS from Mia');
  assert.deepEqual(others, []);
  assert.ok(sos);
  // 06:45 UTC, in the browser's time zone (Zurich, summer time).
  assert.equal(sos.body, 'Pressed at 08:45. Open Kinwatch now and acknowledge.');
  assert.equal(sos.requireInteraction, true);
  assert.equal(sos.renotify, true);
  assert.deepEqual(sos.vibrate, [600, 200, 600, 200, 600]);
  assert.equal(sos.timestamp, Date.parse('2025-06-02T06:45:00.000Z'));
  assert.equal(sos.lang, 'en');
  assert.equal(sos.icon, `${server.baseUrl}/icon-192.png`);
  // Tapping it opens the watch's alerts. The DevTools protocol cannot tap a notification,
  // so the tests stop at the address it carries.
  assert.deepEqual(sos.data, { url: `/watches/${WATCH_ID}/alerts` });

  // Repeated while nobody acknowledges: the same notification, alerting again.
  await push(payloadOf(42, 'sos', 'repeated', 'Mia'));
  await shownOnce(
    page,
    'alert-42',
    (shown) =>
      shown.length === 1 && shown[0]?.body.endsWith('Nobody has acknowledged yet.') === true,
  );

  // Acknowledged by someone: one quiet notification in its place.
  await push(payloadOf(42, 'sos', 'acknowledged', 'Mia'));
  const [acknowledged, ...rest] = await shownWith(page, 'alert-42', 'SOS: acknowledged');
  assert.deepEqual(rest, []);
  assert.ok(acknowledged);
  assert.equal(acknowledged.body, 'Mia: someone is on it.');
  assert.equal(acknowledged.requireInteraction, false);
  assert.equal(acknowledged.renotify, false);
  await context.close();
});

test('other alerts show a plain notification of their own', async () => {
  const context = await phoneContext(browser, server.baseUrl);
  await context.grantPermissions(['notifications']);
  const { page, push } = await openWithServiceWorker(context);

  await push(payloadOf(7, 'lowBattery', 'raised', null));
  const [battery] = await shownWith(page, 'alert-7', 'Low battery: Your child');
  assert.ok(battery);
  assert.equal(battery.body, 'Open Kinwatch for details.');
  assert.equal(battery.requireInteraction, false);
  assert.deepEqual(battery.vibrate, []);

  await push(payloadOf(8, 'zoneLeave', 'raised', 'Mia'));
  await shownWith(page, 'alert-8', 'Left a zone: Mia');
  // Two alerts, two notifications.
  const tags = (await notificationsOf(page)).map((n) => n.tag).sort();
  assert.deepEqual(tags, ['alert-7', 'alert-8']);
  await context.close();
});

test('a browser set to Chinese gets the notification in Chinese', async () => {
  const context = await phoneContext(browser, server.baseUrl, { locale: 'zh-CN' });
  await context.grantPermissions(['notifications']);
  const { page, push } = await openWithServiceWorker(context);
  await push(payloadOf(9, 'sos', 'raised', 'Mia'));
  const [sos] = await shownWith(page, 'alert-9', 'Mia发出了 SOS 求救');
  assert.ok(sos);
  assert.equal(sos.body, '08:45 按下。请立即打开 Kinwatch 并确认。');
  assert.equal(sos.lang, 'zh-Hans');
  assert.equal(sos.requireInteraction, true);
  await context.close();
});
