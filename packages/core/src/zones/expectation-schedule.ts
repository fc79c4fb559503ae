import type { Weekday, ZoneExpectation } from './zone.model.ts';

const DAY_MS = 86_400_000;
/** Windows are looked for at most this far back: a checker that was down longer skips them. */
export const MAX_EXPECTATION_LOOKBACK_MS = 7 * DAY_MS;

const DAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** One occurrence of an expectation: the instants its local start and end fall on. */
export interface ExpectationWindow {
  readonly start: Date;
  readonly end: Date;
}

/** Minutes after midnight of `HH:MM` (00:00 to 23:59), or undefined when malformed. */
export function minuteOfDay(time: string): number | undefined {
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(time);
  if (match === null) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for a time zone name the runtime's IANA database knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The zone's wall-clock time at `instantMs`, read as if it were UTC, in epoch ms. */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * The instant at which the zone's clocks show `localMs` (a wall-clock time written as UTC).
 * Two passes settle daylight-saving changes; a time skipped by a spring-forward change lands
 * just after the jump.
 */
function instantOf(localMs: number, timeZone: string): number {
  const firstGuess = localMs - (wallClockMs(localMs, timeZone) - localMs);
  return localMs - (wallClockMs(firstGuess, timeZone) - firstGuess);
}

/**
 * The windows of `expectation` that end after `from` and at or before `to`, oldest first; only
 * the last `MAX_EXPECTATION_LOOKBACK_MS` before `to` are considered.
 */
export function windowsEndingBetween(
  expectation: ZoneExpectation,
  from: Date,
  to: Date,
): ExpectationWindow[] {
  const startMinute = minuteOfDay(expectation.start);
  const endMinute = minuteOfDay(expectation.end);
  if (startMinute === undefined || endMinute === undefined) return [];
  const toMs = to.getTime();
  const fromMs = Math.max(from.getTime(), toMs - MAX_EXPECTATION_LOOKBACK_MS);
  const { timeZone } = expectation;
  const firstDay = Math.floor(wallClockMs(fromMs, timeZone) / DAY_MS) - 1;
  const lastDay = Math.floor(wallClockMs(toMs, timeZone) / DAY_MS) + 1;
  const windows: ExpectationWindow[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const midnight = day * DAY_MS;
    const weekday = DAYS[new Date(midnight).getUTCDay()] as Weekday;
    if (!expectation.days.includes(weekday)) continue;
    const end = instantOf(midnight + endMinute * 60_000, timeZone);
    if (end <= fromMs || end > toMs) continue;
    const start = instantOf(midnight + startMinute * 60_000, timeZone);
    windows.push({ start: new Date(start), end: new Date(end) });
  }
  return windows;
}

/** The local weekday and `HH:MM` of an instant in a time zone (for messages and tests). */
export function localTime(instant: Date, timeZone: string): { weekday: Weekday; time: string } {
  const local = new Date(wallClockMs(instant.getTime(), timeZone));
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    weekday: DAYS[local.getUTCDay()] as Weekday,
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
  };
}
