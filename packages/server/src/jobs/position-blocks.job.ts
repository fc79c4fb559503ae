import type { Clock, Logger, WatchId } from '@kinwatch/core';

/** What the job drives: the SQL adapter's `SqlPositionBlocks`. */
export interface PositionBlockStore {
  /**
   * The watches' hours with positions stored since the last `finish`, received before
   * `receivedBefore`, reading at most `maxPositions` positions.
   */
  dueHours(
    receivedBefore: Date,
    maxPositions: number,
  ): Promise<{
    readonly hours: readonly { readonly watchId: WatchId; readonly hourStart: number }[];
    readonly throughId: number | undefined;
    readonly isComplete: boolean;
  }>;
  /**
   * (Re)makes the block of the watch's hour, also when its block is of an older format; true
   * when one was written.
   */
  build(watchId: WatchId, hourStart: number): Promise<boolean>;
  finish(throughId: number): Promise<void>;
  /** Up to `max` hours with blocks of an older format, after `after` in (watch, hour) order. */
  staleHours(after: WatchHour | undefined, max: number): Promise<readonly WatchHour[]>;
}

interface WatchHour {
  readonly watchId: WatchId;
  readonly hourStart: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Hours with blocks of an older format asked for at a time. */
const STALE_HOURS_PER_QUERY = 500;

export interface PositionBlockBuilderOptions {
  /** Between runs; default 10 minutes. */
  readonly intervalMs?: number;
  /** Positions read per pass over what was stored; default 200,000. */
  readonly positionsPerPass?: number;
}

/**
 * Every 10 minutes, makes the blocks of the hours of the positions stored since its last run
 * and received before the current hour, once that hour is 5 minutes old (by then what was
 * received in it is committed): one block per watch and hour of device time, so that reading
 * a day opens some 24 blocks and the positions of the current hour, instead of 1,440 positions
 * one by one. A position stored late for an hour that has its block has the block made again.
 *
 * Its first complete run in a process also makes again every block of an older format (a new
 * layout, or a change to the positions' JSON kept in blocks): such blocks are not used by
 * readers, and the format only changes with a new version of the server, so with a restart.
 */
export class PositionBlockBuilder {
  readonly #store: PositionBlockStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #positionsPerPass: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #isStopping = false;
  #hasRemadeStale = false;

  constructor(
    store: PositionBlockStore,
    clock: Clock,
    logger: Logger,
    options: PositionBlockBuilderOptions = {},
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#logger = logger;
    this.#intervalMs = options.intervalMs ?? 10 * MINUTE_MS;
    this.#positionsPerPass = options.positionsPerPass ?? 200_000;
  }

  start(): void {
    this.#isStopping = false;
    this.#timer = setInterval(() => {
      if (this.#running !== undefined) return;
      this.#running = this.runOnce()
        .catch((error: unknown) => {
          this.#logger.warn({ err: error }, 'position blocks failed; retried at the next run');
          return 0;
        })
        .finally(() => {
          this.#running = undefined;
        });
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a run in progress to stop after the block it is making. */
  async stop(): Promise<void> {
    this.#isStopping = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Makes every block due now; returns how many were written. */
  async runOnce(): Promise<number> {
    const receivedBefore = blockCutoff(this.#clock.now());
    let written = 0;
    for (;;) {
      const due = await this.#store.dueHours(receivedBefore, this.#positionsPerPass);
      for (const [index, { watchId, hourStart }] of due.hours.entries()) {
        // Stopped part-way, the pass is not recorded as done: the next run makes it again.
        if (this.#isStopping) return written;
        if (await this.#store.build(watchId, hourStart)) written += 1;
        // Let requests and the position writer in now and then.
        if (index % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
      }
      if (due.throughId !== undefined) await this.#store.finish(due.throughId);
      if (due.isComplete) break;
    }
    return written + (await this.#remakeStale());
  }

  /** Makes again the blocks of an older format, once per process; how many were written. */
  async #remakeStale(): Promise<number> {
    let written = 0;
    let after: WatchHour | undefined;
    while (!this.#hasRemadeStale) {
      const hours = await this.#store.staleHours(after, STALE_HOURS_PER_QUERY);
      for (const [index, { watchId, hourStart }] of hours.entries()) {
        if (this.#isStopping) return written;
        if (await this.#store.build(watchId, hourStart)) written += 1;
        if (index % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
      }
      after = hours.at(-1);
      if (hours.length < STALE_HOURS_PER_QUERY) this.#hasRemadeStale = true;
    }
    return written;
  }
}

/** The start of the latest hour that began at least 5 minutes before `now`. */
export function blockCutoff(now: Date): Date {
  const settled = now.getTime() - 5 * MINUTE_MS;
  return new Date(Math.floor(settled / HOUR_MS) * HOUR_MS);
}
