/**
 * Times of a history as the guardian reads them: in their language and their time zone.
 */
import { dayRange, wholeDayOf, type DayKey, type TimeRange } from './history-range.ts';

/** "Sun 29 Nov 2026" for a day of the calendar. */
export function formatDay(day: DayKey, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(dayRange(day, timeZone).fromMs + 12 * 3_600_000));
}

/** "10:02:03", with the date in front when `withDate`. */
export function formatMoment(
  atMs: number,
  locale: string,
  timeZone: string,
  withDate: boolean,
): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    ...(withDate ? { day: 'numeric', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(atMs));
}

/** A whole day as its date; any other range as "start – end" with times. */
export function formatRange(range: TimeRange, locale: string, timeZone: string): string {
  const day = wholeDayOf(range, timeZone);
  if (day !== null) return formatDay(day, locale, timeZone);
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).formatRange(new Date(range.fromMs), new Date(range.toMs));
}

/** "±8 m" or "±1.2 km". */
export function formatAccuracy(meters: number, locale: string): string {
  if (meters >= 1000) {
    const km = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(meters / 1000);
    return `±${km} km`;
  }
  return `±${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(meters)} m`;
}
