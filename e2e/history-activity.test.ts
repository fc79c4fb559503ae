/**
 * A guardian looks back: the day's track on the map with its time slider, a GPX download of it,
 * and then the activity log, where that view and that export stand attributed to "You".
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { SimulatedWatch } from '@kinwatch/simulator';
import type { Browser } from 'playwright-core';
import { launchBrowser, phoneContext, screenshot } from './support/browser.ts';
import { bindByApi, freshPhone, signInByApi } from './support/guardians.ts';
import { startKinwatch, type KinwatchProcess } from './support/kinwatch-process.ts';
import { startWatch } from './support/watches.ts';

let server: KinwatchProcess;
let browser: Browser;
const watches: SimulatedWatch[] = [];

before(async () => {
  server = await startKinwatch();
  browser = await launchBrowser();
});

after(async () => {
  for (const watch of watches) watch.stop();
  await browser.close();
  await server.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('history: track, slider, GPX export, and the views in the activity log', async () => {
  const context = await phoneContext(browser, server.baseUrl);
  const phone = freshPhone();
  await signInByApi(context, server, phone);
  const watch = await startWatch(server.gatewayPort, { walkingSpeedKmh: 40 });
  watches.push(watch);
  const watchId = await bindByApi(context, watch, 'Mia');

  // Let the watch walk until a few fixes are stored (it reports every 2 s).
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const location = await context.request.get(`/api/v1/watches/${watchId}/location`);
    if (location.status() === 200) break;
    await sleep(500);
  }
  await sleep(7_000);

  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`/watches/${watchId}/history`);

  const slider = page.getByRole('slider', { name: /Time/ });
  await slider.waitFor({ timeout: 15_000 });
  assert.ok((await page.locator('path.history-track').count()) === 1, 'the track is drawn');
  const timeLabel = page.getByTestId('playback-time');
  const firstTime = (await timeLabel.textContent()) ?? '';
  assert.match(firstTime, /^\d\d:\d\d:\d\d$/);
  assert.equal((await slider.getAttribute('aria-valuetext')) !== null, true);
  await page.getByTestId('point-facts').getByText(/GPS/).waitFor();

  await slider.focus();
  await page.keyboard.press('ArrowRight');
  let steppedTime = firstTime;
  for (let tries = 0; tries < 50 && steppedTime === firstTime; tries++) {
    await sleep(100);
    steppedTime = (await timeLabel.textContent()) ?? '';
  }
  assert.ok(steppedTime > firstTime, `${steppedTime} comes after ${firstTime}`);
  await page.keyboard.press('End');
  const lastTime = (await timeLabel.textContent()) ?? '';
  assert.ok(lastTime >= steppedTime, `${lastTime} is the end of the track`);
  assert.equal(await slider.getAttribute('max'), await slider.inputValue());
  await page.getByText(/recorded in the activity log that every guardian/).waitFor();
  await screenshot(page, 'history');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /as GPX/ }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.gpx$/);
  const path = await download.path();
  const gpx = await readFile(path, 'utf8');
  assert.match(gpx, /<gpx[\s>]/);
  assert.ok((gpx.match(/<trkpt /g) ?? []).length >= 2, 'the file holds the track points');

  await page.getByRole('link', { name: 'Open the activity log' }).click();
  await page.getByRole('heading', { name: 'Activity' }).waitFor();
  await page.getByText('Every guardian of this watch sees this log.').waitFor();
  await page.getByText(/^You downloaded the location history of .+ as GPX$/).waitFor();
  const viewed = page.getByText(/^You viewed the location history of /);
  await viewed.first().waitFor();
  await page
    .getByText('1 position in the file')
    .or(page.getByText(/\d+ positions in the file/))
    .waitFor();
  await screenshot(page, 'activity');

  assert.deepEqual(errors, []);
  await context.close();
});
