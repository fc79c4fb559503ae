/**
 * When a watch reports its position: every upload interval (skipped while the child stands
 * still, as firmware does), plus a burst after a locate-now command (`CR`: a report about every
 * 10 s for about 3 minutes, Traccar PR #4545).
 */
const NEVER = Number.POSITIVE_INFINITY;

export interface DueReports {
  /** The upload interval came round (the watch still checks whether it is moving). */
  readonly isIntervalDue: boolean;
  /** A locate-now burst report is due (sent even when standing still). */
  readonly isBurstDue: boolean;
}

export class ReportSchedule {
  readonly #burstIntervalMs: number;
  readonly #burstCount: number;
  readonly #firstFixMs: number;
  #intervalMs: number;
  #nextAtMs = NEVER;
  #burstLeft = 0;
  #burstAtMs = NEVER;

  /**
   * `firstFixSeconds`: how long after a locate-now the first burst report is due, the time the
   * watch takes to get a fix (0: at once).
   */
  constructor(
    intervalSeconds: number,
    burstIntervalSeconds: number,
    burstCount: number,
    firstFixSeconds = 0,
  ) {
    this.#intervalMs = intervalSeconds * 1000;
    this.#burstIntervalMs = burstIntervalSeconds * 1000;
    this.#burstCount = burstCount;
    this.#firstFixMs = firstFixSeconds * 1000;
  }

  get intervalSeconds(): number {
    return this.#intervalMs / 1000;
  }

  /** Starts reporting; `phase` (0..1) of an interval passes before the first report. */
  start(nowMs: number, phase: number): void {
    this.#nextAtMs = nowMs + this.#intervalMs * phase;
  }

  /** Stops everything (the connection is gone). */
  clear(): void {
    this.#nextAtMs = NEVER;
    this.#burstLeft = 0;
  }

  /** A new interval; the next report comes no later than one new interval from now. */
  changeInterval(seconds: number, nowMs: number): void {
    this.#intervalMs = seconds * 1000;
    this.#nextAtMs = Math.min(this.#nextAtMs, nowMs + this.#intervalMs);
  }

  /** Locate now: the first burst report is due once the watch has its fix. */
  startBurst(nowMs: number): void {
    this.#burstLeft = this.#burstCount;
    this.#burstAtMs = nowMs + this.#firstFixMs;
  }

  /** What is due at `nowMs`; each due report counts as taken. */
  takeDue(nowMs: number): DueReports {
    const isIntervalDue = nowMs >= this.#nextAtMs;
    if (isIntervalDue) this.#nextAtMs = nowMs + this.#intervalMs;
    const isBurstDue = this.#burstLeft > 0 && nowMs >= this.#burstAtMs;
    if (isBurstDue) {
      this.#burstLeft--;
      this.#burstAtMs = nowMs + this.#burstIntervalMs;
    }
    return { isIntervalDue, isBurstDue };
  }

  /** When the next report is due (Infinity when none is). */
  nextDueMs(): number {
    return this.#burstLeft > 0 ? Math.min(this.#nextAtMs, this.#burstAtMs) : this.#nextAtMs;
  }
}
