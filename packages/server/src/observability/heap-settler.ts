import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import type { Logger } from '@kinwatch/core';
import type { PrometheusMetrics } from './prometheus-metrics.ts';

/** Asks V8 for a full collection; resolves when it is done. */
export type CollectGarbage = () => Promise<void>;

/** What the settler reads: the heap V8 has reserved, and how busy the main thread was. */
export interface HeapReadings {
  /** Bytes V8 holds for the heap (`total_heap_size`), garbage and free pages included. */
  heapTotal(): number;
  /** Share of the time since the last call that the event loop was busy, 0 to 1. */
  busySinceLast(): number;
}

export interface HeapSettlerOptions {
  /** How often the heap and the event loop are read. Default 5 s. */
  readonly intervalMs?: number;
  /** Readings in a row with the event loop at most `quietBusy` busy. Default 2. */
  readonly quietReadings?: number;
  /** The event loop's busy share at or below which a reading counts as quiet. Default 0.05. */
  readonly quietBusy?: number;
  /**
   * Growth of the reserved heap since the last settle (or the start) that calls for one.
   * Default 32 MiB.
   */
  readonly growthBytes?: number;
}

const MIB = 1024 * 1024;

/**
 * Gives the memory of a burst back once the burst is over. When thousands of watches connect at
 * once (a restart of the server, a network coming back), V8 grows its young generation and
 * promotes what the connections briefly needed; then the fleet goes idle, allocates almost
 * nothing, and V8 has no reason to collect: the process can keep tens of MB it no longer uses
 * for hours (measured: 135 MB reserved 30 s after 19,000 watches connected, 81 MB after a full
 * collection). The settler reads the reserved heap and the event loop's busy share every few
 * seconds; when the heap has grown by `growthBytes` since the last settle and the event loop has
 * been quiet for `quietReadings` readings in a row, it asks for one full collection, run
 * concurrently by V8 (no long pause for the watches), and takes the heap after it as the new
 * base. Under load it never acts: a busy event loop is not quiet.
 */
export class HeapSettler {
  readonly #collect: CollectGarbage;
  readonly #readings: HeapReadings;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #quietReadings: number;
  readonly #quietBusy: number;
  readonly #growthBytes: number;
  readonly #settles;
  #base: number;
  #quietInARow = 0;
  #timer: NodeJS.Timeout | undefined;
  #settling: Promise<void> | undefined;

  constructor(
    collect: CollectGarbage,
    readings: HeapReadings,
    logger: Logger,
    metrics: PrometheusMetrics,
    options: HeapSettlerOptions = {},
  ) {
    this.#collect = collect;
    this.#readings = readings;
    this.#logger = logger;
    this.#intervalMs = options.intervalMs ?? 5_000;
    this.#quietReadings = options.quietReadings ?? 2;
    this.#quietBusy = options.quietBusy ?? 0.05;
    this.#growthBytes = options.growthBytes ?? 32 * MIB;
    this.#settles = metrics.counter(
      'kinwatch_heap_settles_total',
      'Full collections asked for after a burst, once the process had gone quiet',
    );
    this.#base = readings.heapTotal();
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#readings.busySinceLast();
    this.#timer = setInterval(() => void this.check(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops reading; a collection under way finishes on its own. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One reading (the timer's step; public for tests). Resolves when any collection it asked for
   * is done.
   */
  async check(): Promise<void> {
    if (this.#settling !== undefined) return;
    const busy = this.#readings.busySinceLast();
    this.#quietInARow = busy <= this.#quietBusy ? this.#quietInARow + 1 : 0;
    const before = this.#readings.heapTotal();
    // A heap that shrank on its own is the new base: growth counts from the lowest point.
    if (before < this.#base) this.#base = before;
    if (this.#quietInARow < this.#quietReadings || before - this.#base < this.#growthBytes) return;
    this.#settling = this.#settle(before);
    await this.#settling;
  }

  async #settle(before: number): Promise<void> {
    try {
      await this.#collect();
      const after = this.#readings.heapTotal();
      this.#base = after;
      this.#settles.inc();
      this.#logger.info(
        { heapBeforeMb: Math.round(before / MIB), heapAfterMb: Math.round(after / MIB) },
        'heap settled after a burst',
      );
    } catch (error) {
      // Not tried again until the heap grows further: a failing collection must not repeat.
      this.#base = before;
      this.#logger.warn({ err: String(error) }, 'heap not settled');
    } finally {
      this.#quietInARow = 0;
      this.#settling = undefined;
    }
  }
}

/**
 * V8's own collection, made callable at run time: `--expose-gc` set now applies to contexts
 * created after it, and `gc` is taken from a new one. Undefined when this V8 does not offer it
 * (the settler is then not started).
 */
export function v8CollectGarbage(): CollectGarbage | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc !== 'function') return undefined;
    // Major and concurrent: marking runs beside the event loop, and the call resolves at the end.
    return async () => {
      await (gc as (options: object) => Promise<void>)({ type: 'major', execution: 'async' });
    };
  } catch {
    return undefined;
  }
}

/** The readings from V8 and from the event loop's utilisation. */
export function processHeapReadings(): HeapReadings {
  let last = performance.eventLoopUtilization();
  return {
    heapTotal: () => getHeapStatistics().total_heap_size,
    busySinceLast: () => {
      const now = performance.eventLoopUtilization();
      const share = performance.eventLoopUtilization(now, last).utilization;
      last = now;
      return share;
    },
  };
}
