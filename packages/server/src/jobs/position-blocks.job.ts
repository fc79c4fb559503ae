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
  /** (Re)makes the block of the watch's hour; true when one was written. */
  build(watchId: WatchId, hourStart: number): Promise<boolean>;
  finish(throughId: number): Promise<void>;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

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
      if (due.isComplete) return written;
    }
  }
}

/** The start of the latest hour that began at least 5 minutes before `now`. */
export function blockCutoff(now: Date): Date {
  const settled = now.getTime() - 5 * MINUTE_MS;
  return new Date(Math.floor(settled / HOUR_MS) * HOUR_MS);
}
