/**
 * The period a guardian looks at: a calendar day in the guardian's own time zone, or a custom
 * range of at most `MAX_RANGE_DAYS`. Times are epoch milliseconds; `from` is inclusive and `to`
 * exclusive, as the server reads them.
 */

/** The server refuses longer ranges with `rangeTooLarge`. */
export const MAX_RANGE_DAYS = 31;
const DAY_MS = 86_400_000;

/** A calendar day as `YYYY-MM-DD` (what `<input type="date">` holds). */
export type DayKey = string;

export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Why a range cannot be asked for: the server's codes, plus `incomplete` for a missing end. */
export type RangeProblem = 'incomplete' | 'invalidRange' | 'rangeTooLarge';

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The IANA time zone of the browser (the guardian's), e.g. `Europe/Zurich`. */
export function guardianTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function wallClockParts(atMs: number, timeZone: string): number[] {
  let format = partFormatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(atMs));
  const value = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value ?? '0');
  return [
    value('year'),
    value('month'),
    value('day'),
    value('hour'),
    value('minute'),
    value('second'),
  ];
}

/** How far the zone's wall clock is ahead of UTC at that instant, in milliseconds. */
export function zoneOffsetMs(atMs: number, timeZone: string): number {
  const wholeSecondMs = Math.floor(atMs / 1000) * 1000;
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = wallClockParts(
    wholeSecondMs,
    timeZone,
  );
  return Date.UTC(year, month - 1, day, hour, minute, second) - wholeSecondMs;
}

/**
 * The instant at which the zone's wall clock shows this date and time. A time skipped by a
 * daylight-saving change lands just after the change; a repeated one takes the earlier instant.
 */
export function wallTimeToMs(
  wall: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0);
  // The offsets in force half a day either side: two when a change falls near this time.
  const offsetBefore = zoneOffsetMs(asUtc - DAY_MS / 2, timeZone);
  const offsetAfter = zoneOffsetMs(asUtc + DAY_MS / 2, timeZone);
  const fitting = [asUtc - offsetBefore, asUtc - offsetAfter].filter(
    (candidate) => asUtc - candidate === zoneOffsetMs(candidate, timeZone),
  );
  return fitting.length === 0 ? asUtc - offsetBefore : Math.min(...fitting);
}

export function isDayKey(text: string): boolean {
  const match = DAY_PATTERN.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function dayParts(day: DayKey): { year: number; month: number; day: number } {
  const match = DAY_PATTERN.exec(day);
  if (!match || !isDayKey(day)) throw new RangeError(`not a day: ${day}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The calendar day the zone's wall clock shows at that instant. */
export function dayKeyOf(atMs: number, timeZone: string): DayKey {
  const [year = 0, month = 1, day = 1] = wallClockParts(atMs, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The day `count` days after (or before, when negative) `day`. */
export function addDays(day: DayKey, count: number): DayKey {
  const parts = dayParts(day);
  const date = new Date(Date.UTC(parts.year, parts.month - 1, parts.day + count));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** From the zone's midnight starting `day` to the midnight starting the next (23 to 25 hours). */
export function dayRange(day: DayKey, timeZone: string): TimeRange {
  return {
    fromMs: wallTimeToMs(dayParts(day), timeZone),
    toMs: wallTimeToMs(dayParts(addDays(day, 1)), timeZone),
  };
}

/** The instant of an `<input type="datetime-local">` value in the zone; null when blank or bad. */
export function parseLocalDateTime(text: string, timeZone: string): number | null {
  const match = LOCAL_PATTERN.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number);
  if (!isDayKey(text.slice(0, 10)) || (hour ?? 24) > 23 || (minute ?? 60) > 59) return null;
  return wallTimeToMs(
    { year: year ?? 0, month: month ?? 1, day: day ?? 1, hour: hour ?? 0, minute: minute ?? 0 },
    timeZone,
  );
}

/** The `<input type="datetime-local">` value showing that instant in the zone. */
export function toLocalDateTime(atMs: number, timeZone: string): string {
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0] = wallClockParts(atMs, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`;
}

/** What the server would refuse about a range, or null when it may be asked for. */
export function rangeProblem(fromMs: number | null, toMs: number | null): RangeProblem | null {
  if (fromMs === null || toMs === null) return 'incomplete';
  if (!(toMs > fromMs)) return 'invalidRange';
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) return 'rangeTooLarge';
  return null;
}

/** What the screen shows: one day of the guardian's calendar, or a chosen range. */
export type Period =
  | { readonly kind: 'day'; readonly day: DayKey }
  | { readonly kind: 'custom'; readonly fromMs: number; readonly toMs: number };

export function periodRange(period: Period, timeZone: string): TimeRange {
  return period.kind === 'day'
    ? dayRange(period.day, timeZone)
    : { fromMs: period.fromMs, toMs: period.toMs };
}

/** The day a range is exactly (midnight to midnight in the zone), or null. */
export function wholeDayOf(range: TimeRange, timeZone: string): DayKey | null {
  const day = dayKeyOf(range.fromMs, timeZone);
  const whole = dayRange(day, timeZone);
  return whole.fromMs === range.fromMs && whole.toMs === range.toMs ? day : null;
}
