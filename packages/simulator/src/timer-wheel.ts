/**
 * One timer for many items: a hashed timer wheel. Tens of thousands of simulated watches each
 * need a wake-up at some future moment; one interval timer with fixed slots replaces a
 * `setTimeout` per watch, which would cost a timer object and a heap operation per change.
 */

export interface TimerWheelOptions {
  /** Slot width and interval period, in milliseconds. Default 10. */
  readonly tickMs?: number;
  /** Number of slots; items further out than slots x tickMs wait extra rotations. Default 4096. */
  readonly slots?: number;
  /** Milliseconds on any fixed origin. Default `performance.now()`. */
  readonly clock?: () => number;
}

interface Entry<T> {
  readonly item: T;
  readonly dueMs: number;
}

export class TimerWheel<T> {
  readonly #onDue: (item: T, nowMs: number) => void;
  readonly #tickMs: number;
  readonly #slots: Entry<T>[][];
  readonly #clock: () => number;
  /** The current due time of each scheduled item; entries that disagree are stale. */
  readonly #dueOf = new Map<T, number>();
  #cursorTick: number;
  #timer: NodeJS.Timeout | undefined;

  /** `onDue` is called once per due item, from `advance`; it may schedule items again. */
  constructor(onDue: (item: T, nowMs: number) => void, options: TimerWheelOptions = {}) {
    this.#onDue = onDue;
    this.#tickMs = options.tickMs ?? 10;
    this.#slots = Array.from({ length: options.slots ?? 4096 }, () => []);
    this.#clock = options.clock ?? (() => performance.now());
    this.#cursorTick = Math.floor(this.#clock() / this.#tickMs);
  }

  /** Items currently scheduled. */
  get size(): number {
    return this.#dueOf.size;
  }

  /** Schedules `item` at `dueMs` (clock milliseconds), replacing its earlier schedule. */
  schedule(item: T, dueMs: number): void {
    this.#dueOf.set(item, dueMs);
    // A time already passed goes into the next slot to be visited.
    const tick = Math.max(Math.floor(dueMs / this.#tickMs), this.#cursorTick + 1);
    this.#slot(tick).push({ item, dueMs });
  }

  cancel(item: T): void {
    this.#dueOf.delete(item);
  }

  /** Fires every item due by `nowMs`. Returns how many fired. */
  advance(nowMs: number = this.#clock()): number {
    const nowTick = Math.floor(nowMs / this.#tickMs);
    // After a long stall every slot is visited once, which reaches every due item.
    const steps = Math.min(nowTick - this.#cursorTick, this.#slots.length);
    let fired = 0;
    for (let step = 0; step < steps; step++) {
      this.#cursorTick = nowTick - steps + step + 1;
      const slot = this.#slot(this.#cursorTick);
      const entries = slot.splice(0, slot.length);
      for (const entry of entries) {
        if (this.#dueOf.get(entry.item) !== entry.dueMs) continue;
        if (entry.dueMs > nowMs) {
          // Later in this same slot, or a later rotation: wait for the next visit.
          this.#slot(Math.max(Math.floor(entry.dueMs / this.#tickMs), this.#cursorTick + 1)).push(
            entry,
          );
          continue;
        }
        this.#dueOf.delete(entry.item);
        this.#onDue(entry.item, nowMs);
        fired++;
      }
    }
    this.#cursorTick = Math.max(this.#cursorTick, nowTick);
    return fired;
  }

  /**
   * When an item due at `dueMs` is meant to fire: the next tick boundary. Latency measured from
   * this time leaves out the tick's granularity but keeps any stall of the timer.
   */
  dispatchTimeOf(dueMs: number): number {
    return Math.ceil(dueMs / this.#tickMs) * this.#tickMs;
  }

  /** Starts the one timer; it keeps the process alive until `stop`. */
  start(): void {
    if (this.#timer === undefined) this.#arm();
  }

  /** Stops the timer; scheduled items stay scheduled. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Fires on tick boundaries of the clock. An interval timer would drift by each callback's
   * run time, and `dispatchTimeOf` would no longer say when items were meant to fire.
   */
  #arm(): void {
    const now = this.#clock();
    const next = (Math.floor(now / this.#tickMs) + 1) * this.#tickMs;
    this.#timer = setTimeout(() => {
      this.advance();
      if (this.#timer !== undefined) this.#arm();
    }, next - now);
  }

  #slot(tick: number): Entry<T>[] {
    return this.#slots[tick % this.#slots.length] as Entry<T>[];
  }
}
