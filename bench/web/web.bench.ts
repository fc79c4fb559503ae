/**
 * The web app's first-screen JavaScript (gzip) and the delay from a live position's WebSocket
 * message to the child marker's DOM change on the live map, in Debian's Chromium against a
 * real server and a simulated watch on 127.0.0.1. Stops by itself (about a minute and a half).
 *
 *   npm run bench:web                         # build, sizes, 3 runs of 25 positions
 *   npm run bench:web -- --runs 2 --positions 20
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser, phoneContext } from '../../e2e/support/browser.ts';
import { bindByApi, freshPhone, signInByApi } from '../../e2e/support/guardians.ts';
import { startKinwatch } from '../../e2e/support/kinwatch-process.ts';
import { startWatch } from '../../e2e/support/watches.ts';
import { entryFiles, figure, screenChunk, type BundleFigure } from './bundle-size.ts';
import { FRAME_PROBE_SCRIPT, type FrameSample } from './frame-probe.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = fileURLToPath(new URL('../../packages/web/dist/', import.meta.url)).replace(/\/$/, '');
const TARGET_GZIP_BYTES = 200 * 1024;
const RUN_TIMEOUT_MS = 40_000;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    positions: { type: 'string', default: '25' },
    'skip-build': { type: 'boolean', default: false },
  },
});
const runs = Math.min(5, Math.max(1, Number(values.runs)));
const positions = Math.min(40, Math.max(5, Number(values.positions)));

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function median(numbers: readonly number[]): number {
  return quantile(
    [...numbers].sort((a, b) => a - b),
    0.5,
  );
}

function bundleFigures(): BundleFigure[] {
  if (!values['skip-build']) {
    const built = spawnSync(process.execPath, ['scripts/ensure-web-build.mjs', '--force'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (built.status !== 0) throw new Error('the web app did not build');
  }
  const assets = readdirSync(`${DIST}/assets`);
  const entry = entryFiles(DIST);
  return [
    figure(DIST, 'visitor (login screen)', entry, [screenChunk(DIST, 'LoginScreen', assets)]),
    figure(DIST, 'signed-in guardian (watch list)', entry, [
      screenChunk(DIST, 'WatchesScreen', assets),
      screenChunk(DIST, 'SosTakeover', assets),
    ]),
  ];
}

interface RunResult {
  readonly samples: number;
  readonly beforeNextFrame: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

function summarise(samples: readonly FrameSample[]): RunResult {
  const landed = samples.filter((sample) => sample.domAt !== null);
  const delays = landed
    .map((sample) => (sample.domAt ?? 0) - sample.messageAt)
    .sort((a, b) => a - b);
  const beforeNextFrame = landed.filter(
    (sample) => sample.frameAt === null || (sample.domAt ?? Infinity) <= sample.frameAt,
  ).length;
  return {
    samples: samples.length,
    beforeNextFrame,
    medianMs: quantile(delays, 0.5),
    p95Ms: quantile(delays, 0.95),
    maxMs: delays.at(-1) ?? Number.NaN,
  };
}

async function latencyRuns(): Promise<RunResult[]> {
  const server = await startKinwatch();
  const browser = await launchBrowser();
  const watches: Awaited<ReturnType<typeof startWatch>>[] = [];
  try {
    const context = await phoneContext(browser, server.baseUrl);
    await context.addInitScript({ content: FRAME_PROBE_SCRIPT });
    await signInByApi(context, server, freshPhone());
    const watch = await startWatch(server.gatewayPort, {
      uploadIntervalSeconds: 1,
      walkingSpeedKmh: 30,
      route: {
        name: 'bench-walk',
        dwellSeconds: 1,
        waypoints: [
          { latitude: 50, longitude: 10 },
          { latitude: 50.05, longitude: 10.05 },
        ],
      },
    });
    watches.push(watch);
    const watchId = await bindByApi(context, watch, 'Mia');
    const results: RunResult[] = [];
    for (let run = 1; run <= runs; run++) {
      const page = await context.newPage();
      await page.goto(`/watches/${watchId}`);
      // Other test runs on this machine may rebuild dist/ meanwhile: a run that cannot open
      // the map is reported, not hidden.
      const isOpen = await page
        .locator('.child-marker')
        .waitFor({ timeout: 30_000 })
        .then(() => true)
        .catch(() => false);
      if (!isOpen) {
        const shown = (
          await page
            .locator('main')
            .innerText()
            .catch(() => '')
        ).slice(0, 200);
        console.error(`run ${run}: the live map did not open (${shown}); run left out`);
        await page.close();
        continue;
      }
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      let samples: FrameSample[] = [];
      while (Date.now() < deadline) {
        samples = await page.evaluate<FrameSample[]>('window.frameSamples');
        samples = samples.filter((sample) => sample.isLive && sample.frameAt !== null);
        if (samples.length >= positions) break;
        await page.waitForTimeout(250);
      }
      const result = summarise(samples.slice(0, positions));
      results.push(result);
      console.error(
        `run ${run}: ${result.beforeNextFrame}/${result.samples} before the next frame, median ${result.medianMs.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms`,
      );
      await page.close();
    }
    await context.close();
    return results;
  } finally {
    for (const watch of watches) await watch.stop();
    await browser.close();
    await server.stop();
  }
}

const startedAt = new Date();
const startedMs = Date.now();
const loadBefore = loadavg()[0] ?? 0;
const sizes = bundleFigures();
for (const size of sizes) {
  console.error(
    `${size.name}: ${kib(size.gzipBytes)} gzip (${kib(size.rawBytes)} raw), ${size.files.length} files`,
  );
}
const results = await latencyRuns();
const loadAfter = loadavg()[0] ?? 0;
const cpu = cpus();

const lines = [
  `Run of ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpu[0]?.model.trim() ?? 'unknown CPU'} x${cpu.length}, load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.`,
  '',
  '| first screen | JavaScript files | raw | gzip | target < 200 KiB |',
  '| --- | --- | --- | --- | --- |',
  ...sizes.map(
    (size) =>
      `| ${size.name} | ${size.files.length} | ${kib(size.rawBytes)} | ${kib(size.gzipBytes)} | ${size.gzipBytes < TARGET_GZIP_BYTES ? 'met' : 'MISSED'} |`,
  ),
  '',
  '| run | positions | DOM changed before the next frame | median ms | p95 ms | max ms |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (result, index) =>
      `| ${index + 1} | ${result.samples} | ${result.beforeNextFrame}/${result.samples} | ${result.medianMs.toFixed(2)} | ${result.p95Ms.toFixed(2)} | ${result.maxMs.toFixed(2)} |`,
  ),
  '',
  `median of runs: ${median(results.map((r) => r.medianMs)).toFixed(2)} ms, p95 ${median(results.map((r) => r.p95Ms)).toFixed(2)} ms; before the next frame ${results.reduce((n, r) => n + r.beforeNextFrame, 0)}/${results.reduce((n, r) => n + r.samples, 0)}`,
];
console.log(lines.join('\n'));
console.error(`took ${((Date.now() - startedMs) / 1000).toFixed(0)} s`);
