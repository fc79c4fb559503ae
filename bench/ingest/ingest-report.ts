/** Prints the ingest benchmark's results as markdown (for docs/benchmarks.md) and as JSON. */
import type { MachineFacts } from './machine.ts';
import { median } from './machine.ts';
import { TARGET_RATIO, type RunOptions, type StoreResult } from './ingest-rounds.ts';
import { ROWS_PER_INSERT } from './raw-insert.ts';

interface Report {
  readonly machine: MachineFacts;
  readonly isPinned: boolean;
  readonly options: RunOptions;
  readonly results: readonly StoreResult[];
}

const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number | undefined, digits = 1) =>
  value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
const percent = (value: number | undefined) =>
  value === undefined ? 'n/a' : `${Math.round(value * 100)} %`;

/** Cores the server (and its database backends) kept busy: CPU per row times rows per second. */
function serverLoad(phase: StoreResult['rounds'][number]['kinwatch']): string {
  if (phase.cpuMicrosPerRow === undefined) return 'n/a';
  return `${Math.round((phase.cpuMicrosPerRow * phase.rowsPerSecond) / 1e4)} %`;
}

function storeSection(result: StoreResult, options: RunOptions): string[] {
  const lines = [
    `### ${result.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
    '',
    `Table preloaded with ${whole(result.preloadRows)} rows; both sides write into it. ` +
      `Sealed blob per row: ${result.blobBytes} bytes. Baseline: ${ROWS_PER_INSERT}-row multi-row ` +
      'INSERT, one statement per transaction. Kinwatch: `UD` GPS reports over TCP, rows ' +
      `committed per second from \`kinwatch_positions_written_total\`, ${options.inFlight} reports in flight, the committed count read every ${options.pollMs} ms.`,
    '',
    '| round | order | machine busy (gate / raw / Kinwatch) | raw rows/s | raw commit p99 | raw CPU per row | Kinwatch rows/s | Kinwatch CPU per row | Kinwatch server CPU | load client CPU per row | mean batch | **ratio** | CPU ratio |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of result.rounds) {
    lines.push(
      `| ${r.round} | ${r.isRawFirst ? 'raw first' : 'Kinwatch first'} | ` +
        `${percent(r.gateBusy)} / ${percent(r.rawBusy)} / ${percent(r.kinwatchBusy)} | ` +
        `${whole(r.raw.rowsPerSecond)} | ${fixed(r.raw.commitP99Ms, 2)} ms | ` +
        `${fixed(r.raw.cpuMicrosPerRow)} µs | ` +
        `${whole(r.kinwatch.rowsPerSecond)} | ${fixed(r.kinwatch.cpuMicrosPerRow)} µs | ` +
        `${serverLoad(r.kinwatch)} | ${fixed(r.kinwatch.loadCpuMicrosPerRow)} µs | ` +
        `${fixed(r.kinwatch.meanBatchRows, 0)} | **${r.ratio.toFixed(3)}** | ${fixed(r.cpuRatio, 3)} |`,
    );
  }
  const ratios = result.rounds.map((r) => r.ratio);
  const met = result.medianRatio >= TARGET_RATIO;
  const paced = result.paced;
  const latencyBound = 20 + 2 * result.rawCommitP99Ms;
  const latencyMet = (paced.receiptToCommitP99Ms ?? Number.POSITIVE_INFINITY) <= latencyBound;
  lines.push(
    '',
    `- Median raw: ${whole(median(result.rounds.map((r) => r.raw.rowsPerSecond)))} rows/s; ` +
      `median Kinwatch: ${whole(median(result.rounds.map((r) => r.kinwatch.rowsPerSecond)))} rows/s.`,
    `- **Median of per-round ratios: ${result.medianRatio.toFixed(3)}** ` +
      `(range ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}); ` +
      `target ≥ ${TARGET_RATIO}: **${met ? 'met' : 'missed'}** ` +
      `(${result.roundsMeetingTarget} of ${result.rounds.length} rounds at or above it).`,
    `- CPU-normalised (rows per CPU second of the server process${result.store === 'postgres' ? ' and its PostgreSQL backends' : ''}, ` +
      `against the same for the baseline): median ${fixed(result.medianCpuRatio, 3)}. ` +
      `Server CPU while the baseline ran: ${result.rounds.map((r) => fixed(r.serverCpuDuringRawMs, 0)).join(', ')} ms.`,
    `- Receipt → commit at ${whole(paced.offeredPerSecond)} reports/s (half the median rate, paced): ` +
      `p50 ${fixed(paced.receiptToCommitP50Ms)} ms, p99 ${fixed(paced.receiptToCommitP99Ms)} ms ` +
      `(batch commit p99 ${fixed(paced.commitP99Ms)} ms, mean batch ${fixed(paced.meanBatchRows, 0)} rows). ` +
      `G4 bound, 20 ms window + 2 × raw commit p99 (${fixed(result.rawCommitP99Ms, 2)} ms): ` +
      `${fixed(latencyBound)} ms, **${latencyMet ? 'met' : 'missed'}**.`,
    `- Zero loss: ${whole(result.sent)} reports sent, ${whole(result.committed)} committed, ` +
      `${whole(result.stored)} rows in the table besides the ${whole(result.preloadRows)} preloaded ` +
      `and the baseline's ${whole(result.rawRows)}; SIGTERM exit code ${String(result.exitCode)}.`,
    '',
  );
  return lines;
}

/** The lines on the machine and the run's settings, printed before the first store. */
export function printHeader(report: Omit<Report, 'results'>): void {
  const { machine, options } = report;
  const lines = [
    `Machine: ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, ` +
      `Node ${machine.node}, open-file limit ${machine.fdLimit}. ` +
      (report.isPinned
        ? `Server pinned to CPU ${options.cpus?.server}; the baseline inserts on that CPU too ` +
          `(while the server idles); the load client runs on CPU ${options.cpus?.client}.`
        : 'Not pinned.'),
    `Rounds: ${options.rounds} × (raw ${options.warmupMs / 1000} s warm-up + ${options.measureMs / 1000} s, ` +
      `Kinwatch ${options.warmupMs / 1000} s + ${options.measureMs / 1000} s), order alternating; ` +
      `${options.watches} watches, one connection each.`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * One store's section and its figures as JSON, printed as soon as the store is done, so that a
 * failure in a later store does not lose them.
 */
export function printStore(result: StoreResult, options: RunOptions): void {
  process.stdout.write(`${storeSection(result, options).join('\n')}\n`);
  process.stdout.write(`<!-- ${JSON.stringify(result)} -->\n\n`);
}
