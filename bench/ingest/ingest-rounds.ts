/**
 * One store's part of the ingest benchmark: set up the raw baseline and a running Kinwatch on
 * that store, then alternate the two for the configured rounds, then a paced phase for
 * receipt-to-commit latency, then check that every report sent was stored.
 */
import { mkdirSync } from 'node:fs';
import { encodePositionFields } from '../../packages/server/src/adapters/sql/position-fields.ts';
import { KeyringCipher } from '../../packages/server/src/adapters/crypto/keyring-cipher.ts';
import { KinwatchProcess, provisionWatches, type KinwatchSettings } from './kinwatch-process.ts';
import { busyMeter, median, percentile, pinSelf, quietGate } from './machine.ts';
import { rawPostgres, rawSqlite, readTable, type RawStore } from './raw-insert.ts';
import {
  between,
  committedCount,
  drain,
  cpuBetween,
  serverCpu,
  snapshot,
  type KinwatchPhase,
} from './server-sampling.ts';
import { UdLoad, sleep } from './ud-load.ts';

export interface StoreSetup {
  readonly store: 'sqlite' | 'postgres';
  readonly kinwatch: KinwatchSettings;
  /** The database Kinwatch uses; the baseline writes into the same table. */
  readonly kinwatchUrl: string;
}

export interface RunOptions {
  readonly rounds: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly watches: number;
  /** Rows put in the table before the first round (history, one fix a minute per watch). */
  readonly preloadRows: number;
  /** Reports kept sent and not yet committed while saturating. */
  readonly inFlight: number;
  /**
   * How often, while saturating, the load client reads the committed count (a scrape of
   * `/metrics`) and sends as many reports as were committed since.
   */
  readonly pollMs: number;
  /**
   * CPUs for the server (and the baseline's inserts) and for the load client; undefined leaves
   * both to the scheduler.
   */
  readonly cpus: { readonly server: number; readonly client: number } | undefined;
  readonly cpuProfileDir: string | undefined;
  /** Reports a second in the paced phase; default half the median Kinwatch rate. */
  readonly pacedRate?: number | undefined;
  /** More `KINWATCH_*` settings for the server, e.g. to compare a setting's two values. */
  readonly serverEnv?: Readonly<Record<string, string>> | undefined;
  /** Node flags for the server, e.g. a young-generation size to compare. */
  readonly serverNodeFlags?: readonly string[] | undefined;
}

export interface RoundResult {
  readonly round: number;
  readonly isRawFirst: boolean;
  readonly gateBusy: number | undefined;
  readonly raw: {
    readonly rowsPerSecond: number;
    readonly commitP99Ms: number;
    readonly cpuMicrosPerRow: number | undefined;
  };
  /** Server CPU (its process and database backends) while the baseline ran, ms: should be ~0. */
  readonly serverCpuDuringRawMs: number | undefined;
  readonly rawBusy: number | undefined;
  readonly kinwatch: KinwatchPhase;
  readonly kinwatchBusy: number | undefined;
  readonly ratio: number;
  /** Rows per CPU second of the server against the baseline's: less sensitive to neighbours. */
  readonly cpuRatio: number | undefined;
}

export interface StoreResult {
  readonly store: string;
  readonly blobBytes: number;
  readonly rounds: readonly RoundResult[];
  readonly medianRatio: number;
  readonly medianCpuRatio: number | undefined;
  readonly roundsMeetingTarget: number;
  readonly paced: KinwatchPhase & { readonly offeredPerSecond: number };
  readonly rawCommitP50Ms: number;
  readonly rawCommitP99Ms: number;
  readonly preloadRows: number;
  readonly rawRows: number;
  readonly sent: number;
  readonly committed: number;
  /** Rows in the table at the end, less the baseline's and the preload's. */
  readonly stored: number;
  readonly exitCode: number | null;
}

export const TARGET_RATIO = 0.7;
/**
 * After a Kinwatch phase the server writes the watches' buffered status (every 5 s): wait it
 * out, so that those writes do not fall into the baseline's phase.
 */
const STATUS_FLUSH_WAIT_MS = 6000;
const HOUR_MS = 3600_000;
const PRIME_MS = 5000;

/** The size of what Kinwatch stores in `sealed` for a GPS fix. */
async function sealedBytes(): Promise<number> {
  const cipher = new KeyringCipher({
    masterKey: { bytes: Buffer.alloc(32, 7), id: 'bench', origin: 'bench', isNew: false },
    store: {
      find: () => Promise.resolve(undefined),
      insertIfAbsent: (_watchId, key) => Promise.resolve(key),
      delete: () => Promise.resolve(true),
    },
  });
  const fields = {
    latitude: 48.1,
    longitude: 11.5,
    accuracyMeters: 8,
    speedKmh: 4.3,
    courseDegrees: 0,
    altitudeMeters: 520,
  };
  return (await cipher.seal('bench-watch', encodePositionFields(fields))).length;
}

async function kinwatchPhase(
  { server, load, raw }: Parts,
  options: RunOptions,
): Promise<KinwatchPhase> {
  const committed = () => committedCount(server);
  await load.saturate(committed, options.inFlight, options.warmupMs, options.pollMs);
  const before = await snapshot(server, raw);
  await load.saturate(committed, options.inFlight, options.measureMs, options.pollMs);
  const after = await snapshot(server, raw);
  await drain(server, load);
  return between(before, after);
}

async function openRaw(setup: StoreSetup, watchIds: string[], blobBytes: number) {
  const startedAtMs = Date.now() - 12 * HOUR_MS;
  if (setup.store === 'sqlite') {
    return rawSqlite(setup.kinwatchUrl.slice('sqlite:'.length), watchIds, blobBytes, startedAtMs);
  }
  return rawPostgres(setup.kinwatchUrl, watchIds, blobBytes, startedAtMs);
}

interface Parts {
  readonly server: KinwatchProcess;
  readonly load: UdLoad;
  readonly raw: RawStore;
  readonly rawCommits: number[];
}

async function round(index: number, parts: Parts, options: RunOptions): Promise<RoundResult> {
  const gateBusy = await quietGate(0.25, 20_000);
  const isRawFirst = index % 2 === 0;
  let raw: RoundResult['raw'] | undefined;
  let rawBusy: number | undefined;
  let serverCpuDuringRawMs: number | undefined;
  let kinwatch: KinwatchPhase | undefined;
  let kinwatchBusy: number | undefined;
  for (const side of isRawFirst ? ['raw', 'kinwatch'] : ['kinwatch', 'raw']) {
    const meter = busyMeter();
    if (side === 'raw') {
      // The baseline inserts on the server's CPU, so that neither side gets the quieter one.
      if (options.cpus !== undefined) pinSelf(options.cpus.server);
      const serverBefore = await serverCpu(parts.server, parts.raw);
      const phase = await parts.raw.run(options.warmupMs, options.measureMs);
      const serverAfter = await serverCpu(parts.server, parts.raw);
      if (options.cpus !== undefined) pinSelf(options.cpus.client);
      parts.rawCommits.push(...phase.commitMs);
      raw = {
        rowsPerSecond: phase.rowsPerSecond,
        commitP99Ms: percentile(phase.commitMs, 0.99),
        cpuMicrosPerRow: phase.cpuMicrosPerRow,
      };
      const serverSeconds = cpuBetween(serverBefore, serverAfter);
      if (serverSeconds !== undefined) serverCpuDuringRawMs = serverSeconds * 1000;
      rawBusy = meter.stop();
    } else {
      kinwatch = await kinwatchPhase(parts, options);
      kinwatchBusy = meter.stop();
      await sleep(STATUS_FLUSH_WAIT_MS);
    }
  }
  if (raw === undefined || kinwatch === undefined) throw new Error('a phase did not run');
  const ratio = kinwatch.rowsPerSecond / raw.rowsPerSecond;
  const cpuRatio =
    raw.cpuMicrosPerRow === undefined || kinwatch.cpuMicrosPerRow === undefined
      ? undefined
      : raw.cpuMicrosPerRow / kinwatch.cpuMicrosPerRow;
  process.stderr.write(
    `  round ${index + 1}: raw ${raw.rowsPerSecond.toFixed(0)} rows/s, ` +
      `kinwatch ${kinwatch.rowsPerSecond.toFixed(0)} rows/s, ratio ${ratio.toFixed(3)}, ` +
      `cpu ratio ${cpuRatio?.toFixed(3) ?? 'n/a'}\n`,
  );
  return {
    round: index + 1,
    isRawFirst,
    gateBusy,
    raw,
    rawBusy,
    serverCpuDuringRawMs,
    kinwatch,
    kinwatchBusy,
    ratio,
    cpuRatio,
  };
}

/**
 * Before the first round: every watch's data key is created (one committed insert each) and
 * both sides' code is compiled, so that round 1 measures the same steady state as the others.
 */
async function prime(parts: Parts, options: RunOptions): Promise<void> {
  process.stderr.write('  priming: one report per watch, then 5 s of each side\n');
  const committed = () => committedCount(parts.server);
  parts.load.send(options.watches);
  await drain(parts.server, parts.load);
  await parts.load.saturate(committed, options.inFlight, PRIME_MS, options.pollMs);
  await drain(parts.server, parts.load);
  await sleep(STATUS_FLUSH_WAIT_MS);
  if (options.cpus !== undefined) pinSelf(options.cpus.server);
  await parts.raw.run(PRIME_MS, 100);
  if (options.cpus !== undefined) pinSelf(options.cpus.client);
}

export async function runStore(setup: StoreSetup, options: RunOptions): Promise<StoreResult> {
  process.stderr.write(`${setup.store}: preparing ${options.watches} watches\n`);
  mkdirSync(setup.kinwatch.dataDir, { recursive: true });
  const deviceIds = Array.from({ length: options.watches }, (_, i) => String(8_812_000_000 + i));
  const kinwatch: KinwatchSettings = {
    ...setup.kinwatch,
    extra: {
      KINWATCH_GATEWAY_MAX_FRAMES_PER_SECOND: '100000',
      KINWATCH_GATEWAY_MAX_CONNECTIONS_PER_IP: '100000',
      ...options.serverEnv,
    },
  };
  provisionWatches(kinwatch, deviceIds);
  const { watchIds } = await readTable(setup.kinwatchUrl);
  const blobBytes = await sealedBytes();
  const raw = await openRaw(setup, watchIds, blobBytes);
  let server: KinwatchProcess | undefined;
  let load: UdLoad | undefined;
  try {
    process.stderr.write(`${setup.store}: preloading ${options.preloadRows} rows\n`);
    await raw.preload(options.preloadRows, Date.now() - 36 * HOUR_MS);
    const preloadRows = raw.inserted;
    server = await KinwatchProcess.start(kinwatch, {
      cpu: options.cpus?.server,
      nodeArgs: [
        ...(options.serverNodeFlags ?? []),
        ...(options.cpuProfileDir === undefined
          ? []
          : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]),
      ],
    });
    load = await UdLoad.connect({
      port: server.gatewayPort,
      deviceIds,
      startedAtMs: Date.now() - 12 * HOUR_MS,
    });
    const parts = { server, load, raw, rawCommits: [] as number[] };
    await prime(parts, options);
    const rounds: RoundResult[] = [];
    for (let index = 0; index < options.rounds; index++) {
      rounds.push(await round(index, parts, options));
    }
    const offeredPerSecond =
      options.pacedRate ?? Math.round(median(rounds.map((r) => r.kinwatch.rowsPerSecond)) / 2);
    const before = await snapshot(server, raw);
    await load.pace(offeredPerSecond, options.measureMs);
    await drain(server, load);
    const paced = { ...between(before, await snapshot(server, raw)), offeredPerSecond };
    const committed = await drain(server, load);
    load.close();
    const exitCode = await server.stop();
    const { positions } = await readTable(setup.kinwatchUrl);
    return {
      store: setup.store,
      blobBytes,
      rounds,
      medianRatio: median(rounds.map((r) => r.ratio)),
      medianCpuRatio: rounds.every((r) => r.cpuRatio !== undefined)
        ? median(rounds.map((r) => r.cpuRatio ?? 0))
        : undefined,
      roundsMeetingTarget: rounds.filter((r) => r.ratio >= TARGET_RATIO).length,
      paced,
      rawCommitP50Ms: percentile(parts.rawCommits, 0.5),
      rawCommitP99Ms: percentile(parts.rawCommits, 0.99),
      preloadRows,
      rawRows: raw.inserted - preloadRows,
      sent: load.sent,
      committed,
      stored: positions - raw.inserted,
      exitCode,
    };
  } finally {
    load?.close();
    await server?.stop(5000);
    await raw.close();
  }
}
