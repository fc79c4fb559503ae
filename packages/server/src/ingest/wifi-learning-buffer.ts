import type { Logger, WifiObservation, WifiRepository } from '@kinwatch/core';

export interface WifiLearningBufferOptions {
  /** Observations are written together at most this long after the first of them. Default 1 s. */
  readonly windowMs?: number;
  /**
   * Written early when this many wait. Default 200: an upsert costs about 20 µs of CPU, so a
   * transaction stalls the event loop on SQLite for some 4 ms besides its commit.
   */
  readonly maxBatch?: number;
  /** Beyond this many waiting (the database is down), new observations are dropped. Default 20,000. */
  readonly maxPending?: number;
}

/**
 * Learning where access points are is a side effect of GPS fixes, a few per report: written one
 * commit each, it cost more disk syncs than the positions themselves, and every sync holds up
 * the whole process on SQLite. Observations are kept here and written in one transaction per
 * window, in the order they came. Learning is best effort: a crash loses at most one window
 * (the positions themselves are unaffected), and when the database is down the oldest waiting
 * observations are kept and new ones dropped, counted in the log.
 */
export class WifiLearningBuffer implements Pick<WifiRepository, 'learn'> {
  readonly #repository: Pick<WifiRepository, 'learnMany'>;
  readonly #logger: Logger;
  readonly #windowMs: number;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  #pending: WifiObservation[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #dropped = 0;

  constructor(
    repository: Pick<WifiRepository, 'learnMany'>,
    logger: Logger,
    options: WifiLearningBufferOptions = {},
  ) {
    this.#repository = repository;
    this.#logger = logger;
    this.#windowMs = options.windowMs ?? 1000;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#maxPending = options.maxPending ?? 20_000;
  }

  /** Resolves at once; the observation is written with the next batch. */
  learn(observation: WifiObservation): Promise<void> {
    if (this.#pending.length >= this.#maxPending) {
      this.#dropped += 1;
      return Promise.resolve();
    }
    this.#pending.push(observation);
    if (this.#pending.length >= this.#maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#windowMs);
    return Promise.resolve();
  }

  /** Writes what waits; resolves when it is written (or its failure logged). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return this.#writing;
    this.#writing = this.#writing.then(() => this.#write(batch));
    return this.#writing;
  }

  async #write(batch: readonly WifiObservation[]): Promise<void> {
    try {
      await this.#repository.learnMany(batch);
    } catch (error) {
      this.#logger.warn(
        { err: String(error), observations: batch.length },
        'access point observations not learned',
      );
    }
    if (this.#dropped > 0) {
      this.#logger.warn({ dropped: this.#dropped }, 'access point observations dropped');
      this.#dropped = 0;
    }
  }
}
