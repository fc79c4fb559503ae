/**
 * Scanning a watch's QR code with the camera, in a browser without the Barcode Detection API
 * (Firefox, Safari, desktop Chromium): Chromium's fake camera plays a video of the code, the
 * app reads it with its own decoder, then the guardian types the code the watch shows.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import type { SimulatedWatch } from '@kinwatch/simulator';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext, screenshot } from './support/browser.ts';
import { fakeCameraArgs, writeQrVideo } from './support/fake-camera.ts';
import { freshPhone, signInByApi } from './support/guardians.ts';
import { startKinwatch, type KinwatchProcess } from './support/kinwatch-process.ts';
import { codeIn, nextScreenText, startWatch } from './support/watches.ts';

const SCAN_TIMEOUT_MS = 30_000;

let server: KinwatchProcess;
const browsers: Browser[] = [];
const videos: string[] = [];
let watch: SimulatedWatch | undefined;

before(async () => {
  server = await startKinwatch();
});

after(async () => {
  watch?.stop();
  await Promise.all(browsers.map((browser) => browser.close()));
  await Promise.all(videos.map((video) => rm(dirname(video), { recursive: true, force: true })));
  await server.stop();
});

/** A browser whose only camera films `text` as a QR code. */
async function browserFilming(text: string): Promise<Browser> {
  const video = await writeQrVideo(text);
  videos.push(video);
  const browser = await launchBrowser({ extraArgs: fakeCameraArgs(video) });
  browsers.push(browser);
  return browser;
}

/** A signed-in guardian whose browser has no native QR reader, as in Firefox and Safari. */
async function guardianIn(browser: Browser): Promise<BrowserContext> {
  const context = await phoneContext(browser, server.baseUrl);
  await context.grantPermissions(['camera']);
  await context.addInitScript(() => {
    delete (window as { BarcodeDetector?: unknown }).BarcodeDetector;
  });
  await signInByApi(context, server, freshPhone());
  return context;
}

/** Watches which script files the page loads. */
function loadedScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push(response.url());
  });
  return scripts;
}

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function openScanner(page: Page): Promise<void> {
  await page.goto('/bind');
  await page.getByRole('heading', { name: 'Which watch?' }).waitFor();
  await page.getByRole('button', { name: 'Scan with the camera' }).click();
  await page.getByLabel("Camera view for the watch's QR code").waitFor();
}

test('a QR code without a watch id is not taken for one', async () => {
  const browser = await browserFilming('https://example.com/summer-sale?ref=42');
  const context = await guardianIn(browser);
  const page = await context.newPage();
  const errors = collectErrors(page);

  await openScanner(page);
  const warning = page.getByText('That QR code has no watch ID in it.', { exact: false });
  await warning.waitFor({ timeout: SCAN_TIMEOUT_MS });
  // Still scanning, on the first step, with the ID field empty.
  await page.getByRole('status').getByText("Hold the watch's QR code inside the frame.").waitFor();
  assert.equal(await page.getByLabel('Watch ID').inputValue(), '');
  // In the middle of the screen: at its foot the tab bar would hide it.
  await warning.evaluate((element) => {
    element.scrollIntoView({ block: 'center' });
  });
  await screenshot(page, 'bind-scan-foreign-code');

  await page.getByRole('button', { name: 'Stop the camera' }).click();
  await page.getByRole('button', { name: 'Scan with the camera' }).waitFor();
  assert.equal(await page.getByLabel("Camera view for the watch's QR code").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a guardian scans the watch's QR code, then types the code the watch shows", async () => {
  watch = await startWatch(server.gatewayPort);
  const browser = await browserFilming(`IMEI:${watch.deviceId}`);
  const context = await guardianIn(browser);
  const page = await context.newPage();
  const errors = collectErrors(page);
  const scripts = loadedScripts(page);

  await page.goto('/bind');
  await page.getByRole('heading', { name: 'Which watch?' }).waitFor();
  assert.ok(!scripts.some((url) => /jsQR/i.test(url)), 'the QR decoder waits for a scan');
  await screenshot(page, 'bind-scan-start');
  const screenText = nextScreenText(watch, SCAN_TIMEOUT_MS);
  await page.getByRole('button', { name: 'Scan with the camera' }).click();

  // Recognised: the claim goes out for the scanned id and the watch shows a code.
  await page
    .getByRole('heading', { name: 'Your watch now shows a 6-digit code' })
    .waitFor({ timeout: SCAN_TIMEOUT_MS });
  await page.getByText(`We sent a code to watch ${watch.deviceId}.`, { exact: false }).waitFor();
  assert.ok(
    scripts.some((url) => /jsQR/i.test(url)),
    'read by the fallback decoder',
  );
  const code = codeIn(await screenText);
  await page.getByLabel('Code on the watch').fill(code);
  await page.getByLabel("Child's name").fill('Noah');
  await screenshot(page, 'bind-scan-confirm');
  await page.getByRole('button', { name: 'Add the watch' }).click();

  await page.waitForURL(/\/watches\/[^/]+$/);
  await page.locator('.topbar__title', { hasText: 'Noah' }).waitFor();
  const list = (await (await context.request.get('/api/v1/watches')).json()) as {
    watches: { role: string; child: { name: string } | null }[];
  };
  assert.deepEqual(
    list.watches.map((w) => [w.role, w.child?.name]),
    [['admin', 'Noah']],
  );
  assert.deepEqual(errors, []);
  await context.close();
});
