import type { Clock } from '../observability/clock.ports.ts';
import { addressLimitKey } from './client-address.ts';
import type { RateCounterStore } from './sms.ports.ts';

const HOUR_SECONDS = 3_600;
const DAY_SECONDS = 86_400;
/** Digits dropped from a number to get its range: operators sell numbers in blocks of 1,000. */
const PREFIX_DROPPED_DIGITS = 3;
const E164 = /^\+[1-9][0-9]{5,14}$/;

/**
 * How many SMS may go out. Each limit counts messages in fixed windows (an hour from hh:00, a
 * day from 00:00 UTC), so a sender may get up to twice a limit across a window boundary.
 */
export interface SmsLimits {
  /** ISO 3166-1 alpha-2 codes (upper case) of the numbers that may get a message; '*': all. */
  readonly allowedRegions: readonly string[] | '*';
  /** Messages to one number per hour. */
  readonly perNumberPerHour: number;
  /** Messages to one number per day. */
  readonly perNumberPerDay: number;
  /** Messages requested from one IPv4 address or IPv6 /64 per hour. */
  readonly perAddressPerHour: number;
  /** Messages to one number range (the number without its last 3 digits) per hour. */
  readonly perPrefixPerHour: number;
  /** Messages to anyone per day: the ceiling of what the provider bill can be. */
  readonly dailyBudget: number;
}

export const DEFAULT_SMS_LIMITS: SmsLimits = Object.freeze({
  allowedRegions: '*',
  perNumberPerHour: 5,
  perNumberPerDay: 10,
  perAddressPerHour: 20,
  perPrefixPerHour: 30,
  dailyBudget: 1_000,
});

/** A message someone asks the server to send. */
export interface SmsRequest {
  /** E.164, e.g. `+447700900123`. */
  readonly to: string;
  /** ISO 3166-1 alpha-2 code of the number's country, as the caller decided it; undefined when unknown. */
  readonly region: string | undefined;
  /** The requesting client's IP address (IPv4 or IPv6). */
  readonly clientAddress: string;
}

export type SmsRefusalReason =
  'countryNotAllowed' | 'numberLimit' | 'addressLimit' | 'prefixLimit' | 'dailyBudget';

/** The message may not be sent now. */
export class SmsRefusedError extends Error {
  readonly code = 'smsRefused';
  readonly reason: SmsRefusalReason;
  /**
   * Seconds until every limit that refused has a new window: asking again earlier is refused
   * again. 0 when waiting does not help (`countryNotAllowed`).
   */
  readonly retryAfterSeconds: number;

  constructor(reason: SmsRefusalReason, retryAfterSeconds: number) {
    super(`SMS refused: ${reason}, retry after ${retryAfterSeconds} s`);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface Limit {
  readonly reason: SmsRefusalReason;
  readonly key: string;
  readonly windowSeconds: number;
  readonly max: number;
}

/**
 * Decides whether an SMS may go out, against toll fraud and SMS pumping (a bot asking for
 * codes to premium or inflated-route numbers that pay the attacker) and against flooding one
 * person's phone. Counters live in a RateCounterStore, so every server process shares them.
 */
export class SmsGuard {
  readonly #limits: SmsLimits;
  readonly #counters: RateCounterStore;
  readonly #clock: Clock;

  constructor(limits: SmsLimits, counters: RateCounterStore, clock: Clock) {
    this.#limits = limits;
    this.#counters = counters;
    this.#clock = clock;
  }

  /**
   * Resolves when the message may be sent, and counts it against every limit. Throws
   * SmsRefusedError otherwise; the reason is the first refusing limit in the order country,
   * number, address, prefix, budget. Throws RangeError when `to` is not E.164.
   *
   * A refused request counts against nothing: all limits are read first and the message is
   * counted only once admitted, so an attacker hammering one number or range cannot use up
   * the budget of another number, address or range. Two requests admitted at the same moment
   * could both pass the read, so the counts returned by the write are checked again and the
   * later request is refused: a limit is never exceeded, at the price of such a racing
   * request having been counted.
   */
  async admit(request: SmsRequest): Promise<void> {
    if (!E164.test(request.to))
      throw new RangeError('expected an E.164 number, such as +447700900123');
    if (!this.#isRegionAllowed(request.region)) throw new SmsRefusedError('countryNotAllowed', 0);
    const at = this.#clock.now();
    const limits = this.#limitsOf(request);
    const before = await Promise.all(
      limits.map((limit) => this.#counters.count(limit.key, limit.windowSeconds, at)),
    );
    refuseOverLimit(
      limits,
      before.map((count) => count + 1),
      at,
    );
    const after = await Promise.all(
      limits.map((limit) => this.#counters.hit(limit.key, limit.windowSeconds, at)),
    );
    refuseOverLimit(limits, after, at);
  }

  #isRegionAllowed(region: string | undefined): boolean {
    const allowed = this.#limits.allowedRegions;
    if (allowed === '*') return true;
    return region !== undefined && allowed.includes(region.toUpperCase());
  }

  #limitsOf(request: SmsRequest): Limit[] {
    const limits = this.#limits;
    const prefix = request.to.slice(0, -PREFIX_DROPPED_DIGITS);
    const address = addressLimitKey(request.clientAddress);
    return [
      limit('numberLimit', `sms.number:${request.to}`, HOUR_SECONDS, limits.perNumberPerHour),
      limit('numberLimit', `sms.number:${request.to}`, DAY_SECONDS, limits.perNumberPerDay),
      limit('addressLimit', `sms.address:${address}`, HOUR_SECONDS, limits.perAddressPerHour),
      limit('prefixLimit', `sms.prefix:${prefix}`, HOUR_SECONDS, limits.perPrefixPerHour),
      limit('dailyBudget', 'sms.budget', DAY_SECONDS, limits.dailyBudget),
    ];
  }
}

function limit(reason: SmsRefusalReason, key: string, windowSeconds: number, max: number): Limit {
  return { reason, key, windowSeconds, max };
}

/** Throws when any count (the message included) is over its limit. */
function refuseOverLimit(limits: readonly Limit[], counts: readonly number[], at: Date): void {
  const over = limits.filter((limit, index) => (counts[index] ?? 0) > limit.max);
  const first = over[0];
  if (first === undefined) return;
  const waits = over.map((limit) => secondsToWindowEnd(limit.windowSeconds, at));
  throw new SmsRefusedError(first.reason, Math.max(...waits));
}

/** Windows start at multiples of their length since the epoch, as RateCounterStore keeps them. */
function secondsToWindowEnd(windowSeconds: number, at: Date): number {
  const windowMs = windowSeconds * 1000;
  const endMs = (Math.floor(at.getTime() / windowMs) + 1) * windowMs;
  return Math.ceil((endMs - at.getTime()) / 1000);
}
