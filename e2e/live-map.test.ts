/**
 * The guardian's watch list and live map against a real server and a simulated watch walking
 * over real TCP: the list shows the child online with a fix and its source, the map's marker
 * moves as positions arrive (no reload), "Locate now" shows its progress until the fix, and
 * the stream recovers after the browser loses its network.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimulatedWatch } from '@kinwatch/simulator';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext, screenshot } from './support/browser.ts';
import { bindByApi, freshPhone, signInByApi } from './support/guardians.ts';
import { startKinwatch, type KinwatchProcess } from './support/kinwatch-process.ts';
import { startWatch } from './support/watches.ts';

// A straight synthetic walk with short pauses, so the watch is moving for the whole test.
const ROUTE = {
  name: 'e2e-live-walk',
  dwellSeconds: 2,
  waypoints: [
    { latitude: 50.0, longitude: 10.0 },
    { latitude: 50.02, longitude: 10.02 },
  ],
};

let server: KinwatchProcess;
let browser: Browser;
let context: BrowserContext;
let watch: SimulatedWatch;
let watchId: string;
let page: Page;

before(async () => {
  server = await startKinwatch();
  browser = await launchBrowser();
  context = await phoneContext(browser, server.baseUrl);
  await signInByApi(context, server, freshPhone());
  // Chromium's offline mode blocks new connections but leaves open sockets alone; the page
  // keeps its sockets where the network test can cut them, as a lost network would.
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    const sockets: WebSocket[] = [];
    (window as unknown as { openSockets: WebSocket[] }).openSockets = sockets;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
  // A second to a fix after locate-now, as a watch needs: the progress shows before the fix.
  watch = await startWatch(server.gatewayPort, {
    route: ROUTE,
    walkingSpeedKmh: 40,
    locateFirstFixSeconds: 1,
  });
  watchId = await bindByApi(context, watch, 'Mia');
  page = await context.newPage();
});

after(async () => {
  await watch.stop();
  await context.close();
  await browser.close();
  await server.stop();
});

interface MarkerAt {
  readonly latitude: string | null;
  readonly recordedAt: string | null;
}

async function markerAt(): Promise<MarkerAt> {
  const marker = page.locator('.child-marker');
  return {
    latitude: await marker.getAttribute('data-latitude'),
    recordedAt: await marker.getAttribute('data-recorded-at'),
  };
}

/** Waits until the marker shows a fix other than `before`; the fix it moved to. */
async function markerMovedFrom(previous: MarkerAt, timeoutMs = 15_000): Promise<MarkerAt> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = await markerAt();
    if (now.recordedAt !== previous.recordedAt && now.latitude !== previous.latitude) return now;
    await page.waitForTimeout(200);
  }
  assert.fail(`the marker did not move from ${JSON.stringify(previous)}`);
}

test('the watch list shows the child online with the last fix and its source', async () => {
  await page.goto('/');
  const row = page.getByRole('listitem').filter({ hasText: 'Mia' });
  await row.getByRole('link').waitFor();
  await row.getByText('Online').waitFor({ timeout: 15_000 });
  await row.locator('[data-source="gps"]').waitFor({ timeout: 15_000 });
  const fixText = await row.locator('.watch-row__fix').innerText();
  assert.match(fixText, /GPS/);
  assert.match(fixText, /±\d+ m/);
  await screenshot(page, 'watches-list');
});

test('the live map shows the marker and moves it live, without a reload', async () => {
  await page.getByRole('link', { name: /Mia/ }).click();
  await page.waitForURL(`**/watches/${watchId}`);
  const marker = page.locator('.child-marker');
  await marker.waitFor();
  assert.equal((await marker.innerText()).trim(), 'M');
  const card = page.getByRole('region', { name: 'Where Mia is', exact: true });
  await card.getByText(/GPS · ±\d+ m/).waitFor();
  await card.getByText('Online').waitFor();
  // A flag on the window survives only while the page is not reloaded.
  await page.evaluate(() => {
    (window as unknown as { stayedHere: boolean }).stayedHere = true;
  });
  const first = await markerAt();
  const box = await marker.boundingBox();
  const second = await markerMovedFrom(first);
  assert.notEqual(second.latitude, first.latitude);
  // The card tells the same fix as the marker.
  assert.equal(await card.getAttribute('data-latitude'), second.latitude);
  const stayed = await page.evaluate(
    () => (window as unknown as { stayedHere?: boolean }).stayedHere === true,
  );
  assert.ok(stayed, 'the page was not reloaded');
  assert.ok(box, 'the marker is on screen');
  await screenshot(page, 'live-map');
});

test('Locate now shows its progress, then the fix', async () => {
  // Remember every phase the locate control passes through.
  await page.evaluate(() => {
    const element = document.querySelector('.locate');
    const seen: string[] = [];
    (window as unknown as { locatePhases: string[] }).locatePhases = seen;
    if (!element) return;
    new MutationObserver(() => {
      const phase = element.getAttribute('data-phase') ?? '';
      if (seen.at(-1) !== phase) seen.push(phase);
    }).observe(element, { attributes: true, attributeFilter: ['data-phase'] });
  });
  // Any fix ends the wait, the watch's regular reports (every 2 s) too: ask just after one
  // came, so that the next is not what answers the request.
  await markerMovedFrom(await markerAt());
  await page.getByRole('button', { name: 'Locate now' }).click();
  const status = page.getByTestId('locate-status');
  const phases = () =>
    page.evaluate(() => (window as unknown as { locatePhases: string[] }).locatePhases);
  await status
    .getByText('Fix received')
    .waitFor({ timeout: 20_000 })
    .catch(async (error: unknown) => {
      assert.fail(
        `${String(error)}; phases ${(await phases()).join(' > ')}: ${await status.innerText()}`,
      );
    });
  const seen = await phases();
  assert.equal(seen[0], 'requesting');
  assert.equal(seen.at(-1), 'fixReceived');
  assert.ok(
    seen.some((phase) => phase === 'queued' || phase === 'sent' || phase === 'acknowledged'),
    `progress was shown before the fix: ${seen.join(' > ')}`,
  );
  await page.getByText('All guardians can see this in Activity').waitFor();
  await screenshot(page, 'live-map-located');
});

test("the guardian's own position is shown on the same map once allowed", async () => {
  await context.grantPermissions(['geolocation'], { origin: server.baseUrl });
  await context.setGeolocation({ latitude: 50.001, longitude: 10.002, accuracy: 25 });
  assert.equal(await page.locator('.own-marker').count(), 0, 'not asked before the button');
  await page.getByRole('button', { name: 'Show my position' }).click();
  const own = page.locator('.own-marker');
  await own.waitFor();
  assert.equal(await own.getAttribute('aria-label'), 'You');
  // The child's marker is still there: both on one map.
  assert.equal(await page.locator('.child-marker').count(), 1);
  await page.getByRole('button', { name: 'Hide my position' }).click();
  await own.waitFor({ state: 'detached' });
});

test('after a lost network the stream reconnects and positions flow again', async () => {
  const state = page.getByTestId('stream-state');
  assert.equal(await state.getAttribute('data-state'), 'open');
  await context.setOffline(true);
  await page.evaluate(() => {
    for (const socket of (window as unknown as { openSockets: WebSocket[] }).openSockets) {
      socket.close(3000, 'network lost');
    }
  });
  await page.locator('[data-testid="stream-state"]:not([data-state="open"])').waitFor({
    timeout: 20_000,
  });
  await context.setOffline(false);
  await page.locator('[data-testid="stream-state"][data-state="open"]').waitFor({
    timeout: 20_000,
  });
  const afterReconnect = await markerAt();
  await markerMovedFrom(afterReconnect);
});
