/**
 * Wakes a watch at the time it asks for: through the fleet's shared scheduler when there is
 * one, else with the watch's own single timer.
 */
import type { WatchScheduler } from './watch-options.ts';

export class WakeUp<W> {
  readonly #owner: W;
  readonly #scheduler: WatchScheduler | undefined;
  readonly #clock: () => number;
  readonly #wake: () => void;
  #scheduledMs = Number.NaN;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    owner: W,
    scheduler: WatchScheduler | undefined,
    clock: () => number,
    wake: () => void,
  ) {
    this.#owner = owner;
    this.#scheduler = scheduler;
    this.#clock = clock;
    this.#wake = wake;
  }

  /** Asks for a wake-up at `dueMs` (clock milliseconds), replacing the earlier one. */
  at(dueMs: number): void {
    if (dueMs === this.#scheduledMs || dueMs === Number.POSITIVE_INFINITY) return;
    this.#scheduledMs = dueMs;
    if (this.#scheduler !== undefined) {
      this.#scheduler.schedule(this.#owner, dueMs);
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#wake, Math.max(0, dueMs - this.#clock()));
  }

  /**
   * When work due at `dueMs` was meant to run: the scheduler's tick boundary (never after
   * `nowMs`), or `dueMs` itself with the watch's own timer.
   */
  intendedTimeOf(dueMs: number, nowMs: number): number {
    return Math.min(nowMs, this.#scheduler?.dispatchTimeOf?.(dueMs) ?? dueMs);
  }

  /** The owner woke up: the next `at` schedules afresh even for the same time. */
  woke(): void {
    this.#scheduledMs = Number.NaN;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#scheduler?.cancel(this.#owner);
    this.#scheduledMs = Number.NaN;
  }
}
