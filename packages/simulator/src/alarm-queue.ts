/**
 * Alarms a watch has raised and not yet seen answered. Firmware resends an alarm until the
 * server's `AL` reply arrives (reference §1, §8); the simulator does the same, a bounded number
 * of times. The `AL` reply carries nothing but its keyword, so it answers the oldest alarm sent.
 */
import type { AlarmName } from '@kinwatch/protocol';

interface PendingAlarm {
  readonly kind: AlarmName;
  attempts: number;
  nextAtMs: number;
  readonly settle: (isAnswered: boolean) => void;
}

export class AlarmQueue {
  readonly #retryMs: number;
  readonly #maxAttempts: number;
  #pending: PendingAlarm[] = [];

  constructor(retrySeconds: number, maxAttempts: number) {
    this.#retryMs = retrySeconds * 1000;
    this.#maxAttempts = maxAttempts;
  }

  get size(): number {
    return this.#pending.length;
  }

  /** Queues an alarm, due at once. Resolves true when answered, false when given up. */
  add(kind: AlarmName, nowMs: number): Promise<boolean> {
    return new Promise((settle) => {
      this.#pending.push({ kind, attempts: 0, nextAtMs: nowMs, settle });
    });
  }

  /** The alarms to send now; each counts as an attempt. Gives up those out of attempts. */
  takeDue(nowMs: number): AlarmName[] {
    const due: AlarmName[] = [];
    for (const alarm of [...this.#pending]) {
      if (alarm.nextAtMs > nowMs) continue;
      if (alarm.attempts >= this.#maxAttempts) {
        this.#remove(alarm, false);
        continue;
      }
      alarm.attempts++;
      alarm.nextAtMs = nowMs + this.#retryMs;
      due.push(alarm.kind);
    }
    return due;
  }

  /** The server answered `AL`: settles the oldest alarm already sent. */
  answer(): AlarmName | undefined {
    const alarm = this.#pending.find((a) => a.attempts > 0);
    if (alarm !== undefined) this.#remove(alarm, true);
    return alarm?.kind;
  }

  /** When the next alarm is due (Infinity when none is pending). */
  nextDueMs(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const alarm of this.#pending) next = Math.min(next, alarm.nextAtMs);
    return next;
  }

  /** Settles every pending alarm as not answered. */
  abandonAll(): void {
    for (const alarm of [...this.#pending]) this.#remove(alarm, false);
  }

  #remove(alarm: PendingAlarm, isAnswered: boolean): void {
    this.#pending = this.#pending.filter((a) => a !== alarm);
    alarm.settle(isAnswered);
  }
}
