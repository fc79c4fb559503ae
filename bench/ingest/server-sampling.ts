/**
 * What the ingest benchmark reads from a running Kinwatch: committed rows and the writer's
 * histograms from /metrics, and the CPU of the server process and of its database backends.
 */
import type { KinwatchProcess } from './kinwatch-process.ts';
import { processCpuSeconds } from './machine.ts';
import {
  histogramDelta,
  histogramValue,
  metricValue,
  quantile,
  type HistogramSnapshot,
} from './prometheus-text.ts';
import type { RawStore } from './raw-insert.ts';
import { sleep, type UdLoad } from './ud-load.ts';

export interface KinwatchPhase {
  readonly rowsPerSecond: number;
  /** Server CPU (its process and, on PostgreSQL, its database backends) per committed row. */
  readonly cpuMicrosPerRow: number | undefined;
  readonly meanBatchRows: number | undefined;
  readonly receiptToCommitP50Ms: number | undefined;
  readonly receiptToCommitP99Ms: number | undefined;
  readonly commitP99Ms: number | undefined;
  /**
   * CPU of this process (the load client; the baseline is idle meanwhile) per committed row: what
   * the simulated watches cost the machine that the server and the database share.
   */
  readonly loadCpuMicrosPerRow: number;
}

const WRITTEN = 'kinwatch_positions_written_total';
const RECEIPT_TO_COMMIT = 'kinwatch_position_receipt_to_commit_seconds';
const COMMIT = 'kinwatch_position_commit_seconds';
const BATCH_ROWS = 'kinwatch_position_batch_rows';
const DRAIN_TIMEOUT_MS = 60_000;

/** Positions the server has committed so far. */
export async function committedCount(server: KinwatchProcess): Promise<number> {
  return metricValue(await server.metrics(), WRITTEN) ?? 0;
}

/** Counters and CPU at one moment. */
export interface Snapshot {
  readonly at: number;
  readonly written: number;
  readonly cpu: ServerCpu | undefined;
  /** CPU seconds of this process so far. */
  readonly loadCpu: number;
  readonly receiptToCommit: HistogramSnapshot | undefined;
  readonly commit: HistogramSnapshot | undefined;
  readonly batchRows: HistogramSnapshot | undefined;
}

/** CPU seconds so far of the server process and of each database backend serving it, by pid. */
export type ServerCpu = ReadonlyMap<number, number>;

export async function serverCpu(
  server: KinwatchProcess,
  raw: RawStore,
): Promise<ServerCpu | undefined> {
  const own = processCpuSeconds(server.pid);
  if (own === undefined) return undefined;
  const cpu = new Map([[server.pid, own]]);
  for (const pid of await raw.otherBackends()) {
    const seconds = processCpuSeconds(pid);
    if (seconds !== undefined) cpu.set(pid, seconds);
  }
  return cpu;
}

/**
 * CPU seconds used between two readings. A backend that appeared in between counts whole; one
 * that closed in between (pg's pool drops idle connections) is left out, having been idle.
 */
export function cpuBetween(before: ServerCpu | undefined, after: ServerCpu | undefined) {
  if (before === undefined || after === undefined) return undefined;
  let seconds = 0;
  for (const [pid, total] of after) seconds += total - (before.get(pid) ?? 0);
  return seconds;
}

export async function snapshot(server: KinwatchProcess, raw: RawStore): Promise<Snapshot> {
  const cpu = await serverCpu(server, raw);
  const text = await server.metrics();
  return {
    at: performance.now(),
    written: metricValue(text, WRITTEN) ?? 0,
    cpu,
    loadCpu: ownCpuSeconds(),
    receiptToCommit: histogramValue(text, RECEIPT_TO_COMMIT),
    commit: histogramValue(text, COMMIT),
    batchRows: histogramValue(text, BATCH_ROWS),
  };
}

export function between(before: Snapshot, after: Snapshot): KinwatchPhase {
  const rows = after.written - before.written;
  const seconds = (after.at - before.at) / 1000;
  const cpuSeconds = cpuBetween(before.cpu, after.cpu);
  const cpu = cpuSeconds === undefined ? undefined : (cpuSeconds * 1e6) / Math.max(rows, 1);
  const delay =
    after.receiptToCommit && histogramDelta(after.receiptToCommit, before.receiptToCommit);
  const commit = after.commit && histogramDelta(after.commit, before.commit);
  const batches = after.batchRows && histogramDelta(after.batchRows, before.batchRows);
  const ms = (value: number | undefined) => (value === undefined ? undefined : value * 1000);
  return {
    rowsPerSecond: rows / seconds,
    cpuMicrosPerRow: cpu,
    meanBatchRows: batches && batches.count > 0 ? batches.sum / batches.count : undefined,
    receiptToCommitP50Ms: ms(delay && quantile(delay, 0.5)),
    receiptToCommitP99Ms: ms(delay && quantile(delay, 0.99)),
    commitP99Ms: ms(commit && quantile(commit, 0.99)),
    loadCpuMicrosPerRow: ((after.loadCpu - before.loadCpu) * 1e6) / Math.max(rows, 1),
  };
}

function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Waits until the server has committed every report sent. */
export async function drain(server: KinwatchProcess, load: UdLoad): Promise<number> {
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const written = metricValue(await server.metrics(), WRITTEN) ?? 0;
    if (written >= load.sent) return written;
    if (performance.now() > deadline) {
      throw new Error(`only ${written} of ${load.sent} reports committed after the drain timeout`);
    }
    await sleep(50);
  }
}
