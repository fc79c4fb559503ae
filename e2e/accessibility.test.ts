/**
 * Accessibility checks over every main screen of a signed-in guardian with a bound watch:
 * every control has an accessible name, the keyboard reaches the navigation, and the layout
 * holds when the text is twice as large (no sideways scrolling of the page).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimulatedWatch } from '@kinwatch/simulator';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, phoneContext } from './support/browser.ts';
import { bindByApi, freshPhone, signInByApi } from './support/guardians.ts';
import { startKinwatch, type KinwatchProcess } from './support/kinwatch-process.ts';
import { startWatch } from './support/watches.ts';

let server: KinwatchProcess;
let browser: Browser;
let context: BrowserContext;
let watch: SimulatedWatch;
let watchId: string;

before(async () => {
  server = await startKinwatch();
  browser = await launchBrowser();
  context = await phoneContext(browser, server.baseUrl);
  await signInByApi(context, server, freshPhone());
  watch = await startWatch(server.gatewayPort);
  watchId = await bindByApi(context, watch, 'Mia');
});

after(async () => {
  await watch.stop();
  await context.close();
  await browser.close();
  await server.stop();
});

function screens(): readonly string[] {
  const base = `/watches/${watchId}`;
  return [
    '/',
    base,
    `${base}/history`,
    `${base}/zones`,
    `${base}/alerts`,
    `${base}/activity`,
    `${base}/family`,
    '/alerts',
    '/bind',
    '/account',
  ];
}

/**
 * Controls without an accessible name, described for the failure message. The page code is a
 * string: the test runner's transform would add helpers to a function that the page lacks.
 */
const UNNAMED_CONTROLS = `(() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=slider], [tabindex]:not([tabindex="-1"])';
  function nameOf(element) {
    const labelled = element.getAttribute('aria-labelledby');
    if (labelled) {
      return labelled.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
    }
    const aria = element.getAttribute('aria-label');
    if (aria && aria.trim()) return aria.trim();
    if (element.labels) {
      const fromLabels = [...element.labels].map((label) => label.textContent).join(' ').trim();
      if (fromLabels) return fromLabels;
    }
    if (element instanceof HTMLInputElement && ['submit', 'button'].includes(element.type)) return element.value;
    const text = element.textContent.trim();
    if (text) return text;
    const image = element.querySelector('img[alt]');
    if (image && image.getAttribute('alt').trim()) return image.getAttribute('alt');
    return (element.getAttribute('title') ?? '').trim();
  }
  return [...document.querySelectorAll(selector)]
    .filter((element) => {
      const box = element.getBoundingClientRect();
      // Leaflet's own attribution links and map panes are not ours to name.
      return box.width > 0 && box.height > 0 && !element.closest('.leaflet-control-attribution, .leaflet-pane');
    })
    .filter((element) => nameOf(element) === '')
    .map((element) => element.outerHTML.slice(0, 160));
})()`;

function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(UNNAMED_CONTROLS);
}

test('every control on every screen has an accessible name', async () => {
  const page = await context.newPage();
  for (const path of screens()) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await page
      .locator('.skeleton')
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    assert.deepEqual(await unnamedControls(page), [], `unnamed controls on ${path}`);
  }
  await page.close();
});

test('the keyboard reaches the skip link and the navigation', async () => {
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('navigation', { name: /main/i }).waitFor();
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.textContent.trim());
  assert.match(first ?? '', /skip to content/i);
  const reached = new Set<string>();
  for (let step = 0; step < 15; step += 1) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => document.activeElement?.textContent.trim() ?? '');
    reached.add(name);
  }
  for (const label of ['Watches', 'Alerts', 'Add watch', 'Account']) {
    assert.ok(
      [...reached].some((name) => name.includes(label)),
      `Tab never reached "${label}" (reached: ${[...reached].join(' | ')})`,
    );
  }
  await page.close();
});

test('with text at twice the size, no screen scrolls sideways', async () => {
  const page = await context.newPage();
  for (const path of screens()) {
    await page.goto(path);
    await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `${path} scrolls sideways by ${overflow}px at 200% text`);
  }
  await page.close();
});
