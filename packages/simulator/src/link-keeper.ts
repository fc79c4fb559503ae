/**
 * The watch side of the keep-alive: `LK` every heartbeat interval, and a deadline for its
 * reply. Firmware that gets no `LK` reply drops the connection and reconnects (reference §1);
 * the same deadline covers the connect itself.
 */
const NEVER = Number.POSITIVE_INFINITY;

export class LinkKeeper {
  readonly #heartbeatMs: number;
  readonly #timeoutMs: number;
  #heartbeatAtMs = NEVER;
  #deadlineMs = NEVER;
  #intendedAtMs = 0;

  constructor(heartbeatSeconds: number, timeoutSeconds: number) {
    this.#heartbeatMs = heartbeatSeconds * 1000;
    this.#timeoutMs = timeoutSeconds * 1000;
  }

  /** A connect began: it and the first `LK` reply must come within the timeout. */
  connecting(nowMs: number): void {
    this.#deadlineMs = nowMs + this.#timeoutMs;
  }

  /** An `LK` went out; `intendedMs` is when it was due, which latency is measured from. */
  sent(intendedMs: number, nowMs: number): void {
    this.#intendedAtMs = intendedMs;
    this.#deadlineMs = nowMs + this.#timeoutMs;
  }

  /** An `LK` reply came: its latency in milliseconds, or undefined if none was awaited. */
  answered(nowMs: number): number | undefined {
    if (this.#deadlineMs === NEVER) return undefined;
    this.#deadlineMs = NEVER;
    return nowMs - this.#intendedAtMs;
  }

  /** The session is up: heartbeats start one interval from now. */
  online(nowMs: number): void {
    this.#heartbeatAtMs = nowMs + this.#heartbeatMs;
  }

  /** When a heartbeat is due: the time it was due (for latency); else undefined. */
  takeDueHeartbeat(nowMs: number): number | undefined {
    if (nowMs < this.#heartbeatAtMs) return undefined;
    const intended = this.#heartbeatAtMs;
    // After a stall, skip the missed beats rather than sending them in a burst.
    this.#heartbeatAtMs = Math.max(intended + this.#heartbeatMs, nowMs);
    return intended;
  }

  isOverdue(nowMs: number): boolean {
    return nowMs >= this.#deadlineMs;
  }

  /** The next heartbeat or deadline (Infinity when neither is set). */
  nextDueMs(): number {
    return Math.min(this.#heartbeatAtMs, this.#deadlineMs);
  }

  /** The connection is gone. */
  clear(): void {
    this.#heartbeatAtMs = NEVER;
    this.#deadlineMs = NEVER;
  }
}
