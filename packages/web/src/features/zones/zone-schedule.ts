/**
 * Expectations ("arrive at this zone on these days between start and end"): the checks the
 * server makes, done while the guardian types, and the grouping of days used in summaries.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Monday first, as schedules are read in both languages the app speaks. */
export const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const SCHOOL_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
export const MAX_EXPECTATIONS_PER_ZONE = 10;

export interface ExpectationDraft {
  readonly days: readonly Weekday[];
  /** Local wall-clock time HH:MM in `timeZone`. */
  readonly start: string;
  readonly end: string;
  /** IANA name, e.g. Europe/Berlin. */
  readonly timeZone: string;
}

export type ExpectationProblem =
  'noDays' | 'badStart' | 'badEnd' | 'endNotAfterStart' | 'badTimeZone';

/** Minutes after midnight of `HH:MM` (00:00 to 23:59); undefined for anything else. */
export function minuteOfDay(time: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Whether the runtime knows the IANA time zone name. */
export function isTimeZone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The problems of one expectation, in the order a form shows them; empty when it is fine. */
export function expectationProblems(expectation: ExpectationDraft): ExpectationProblem[] {
  const problems: ExpectationProblem[] = [];
  if (expectation.days.length === 0) problems.push('noDays');
  const start = minuteOfDay(expectation.start);
  const end = minuteOfDay(expectation.end);
  if (start === undefined) problems.push('badStart');
  if (end === undefined) problems.push('badEnd');
  if (start !== undefined && end !== undefined && end <= start) problems.push('endNotAfterStart');
  if (!isTimeZone(expectation.timeZone)) problems.push('badTimeZone');
  return problems;
}

/** The browser's time zone, the default of a new expectation. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function newExpectation(timeZone: string = browserTimeZone()): ExpectationDraft {
  return { days: SCHOOL_DAYS, start: '07:50', end: '08:15', timeZone };
}

/** Days in week order (Monday first), each once. */
export function sortedDays(days: readonly Weekday[]): Weekday[] {
  return WEEK.filter((day) => days.includes(day));
}

/** Adds or removes one day, keeping week order. */
export function toggleDay(days: readonly Weekday[], day: Weekday): Weekday[] {
  return days.includes(day)
    ? sortedDays(days.filter((d) => d !== day))
    : sortedDays([...days, day]);
}

/** How a summary names a set of days: a common group, or the days one by one. */
export type DaysGroup =
  | { readonly kind: 'everyDay' }
  | { readonly kind: 'schoolDays' }
  | { readonly kind: 'weekend' }
  | { readonly kind: 'days'; readonly days: readonly Weekday[] };

export function groupDays(days: readonly Weekday[]): DaysGroup {
  const sorted = sortedDays(days);
  const key = sorted.join(',');
  if (sorted.length === 7) return { kind: 'everyDay' };
  if (key === SCHOOL_DAYS.join(',')) return { kind: 'schoolDays' };
  if (key === 'sat,sun') return { kind: 'weekend' };
  return { kind: 'days', days: sorted };
}
