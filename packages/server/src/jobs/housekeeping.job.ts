import type { Clock, Logger } from '@kinwatch/core';

/** Something that can drop what is older than a moment. */
export interface Prunable {
  readonly name: string;
  prune(before: Date): Promise<number>;
}

const HOUR_MS = 3_600_000;
/** Rate-limit windows are at most a day long; a day more keeps every live window. */
const KEEP_MS = 2 * 24 * HOUR_MS;

/**
 * Hourly clean-up of what has served its purpose (old rate-limit windows, expired sessions,
 * codes and claims), so that no such row outlives its use by more than two days.
 */
export class Housekeeping {
  readonly #targets: readonly Prunable[];
  readonly #clock: Clock;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor(targets: readonly Prunable[], clock: Clock, logger: Logger) {
    this.#targets = targets;
    this.#clock = clock;
    this.#logger = logger;
  }

  start(): void {
    this.#timer = setInterval(() => {
      void this.runOnce();
    }, HOUR_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Prunes every target; a failure is logged and the others still run. */
  async runOnce(): Promise<Record<string, number>> {
    const before = new Date(this.#clock.now().getTime() - KEEP_MS);
    const removed: Record<string, number> = {};
    for (const target of this.#targets) {
      try {
        removed[target.name] = await target.prune(before);
      } catch (error) {
        this.#logger.warn(
          { err: error, target: target.name },
          'housekeeping failed; retried in an hour',
        );
      }
    }
    return removed;
  }
}
