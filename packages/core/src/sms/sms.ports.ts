/** A text message to one mobile number. */
export interface SmsMessage {
  /** E.164, e.g. `+447700900123`. */
  readonly to: string;
  readonly text: string;
}

/**
 * Sends text messages through one provider (a file for self-hosters and tests, a generic HTTP
 * gateway, a vendor's API). Resolves when the provider has taken the message; throws
 * SmsDeliveryError when it refused or could not be reached.
 */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

/** The provider did not take the message. */
export class SmsDeliveryError extends Error {
  readonly code = 'smsDeliveryFailed';
}

/**
 * Counters of events in fixed time windows, shared by every server process (SMS limits,
 * attempts). `hit` adds one to the window of `at` and returns the count including it.
 * A window of `windowSeconds` starts at a whole multiple of that length since the Unix epoch
 * (an hour at hh:00, a day at 00:00 UTC); counters of one key with different window lengths
 * are separate. `windowSeconds` is a positive integer, else RangeError.
 */
export interface RateCounterStore {
  hit(key: string, windowSeconds: number, at: Date): Promise<number>;
  /** The count in the window of `at`, without adding. */
  count(key: string, windowSeconds: number, at: Date): Promise<number>;
  /** Drops windows that ended before `before`. */
  prune(before: Date): Promise<number>;
}
