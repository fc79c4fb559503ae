import { CommandError } from './command.model.ts';

/**
 * Checks for single command fields. Each takes `unknown` because commands may arrive as JSON
 * from another process, and throws CommandError naming the field.
 */

export interface Range {
  readonly min: number;
  readonly max: number;
}

const PHONE_NUMBER = /^\+?[0-9]{3,20}$/;
const CLOCK_TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

export function checkObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CommandError(field, 'expected an object');
  }
  return value as Record<string, unknown>;
}

export function checkList(
  value: unknown,
  field: string,
  min: number,
  max: number,
): readonly unknown[] {
  if (!Array.isArray(value)) throw new CommandError(field, 'expected a list');
  const list = value as readonly unknown[];
  if (list.length < min || list.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new CommandError(field, `expected ${expected} items, got ${list.length}`);
  }
  return list;
}

/** A list of `min` to `max` items, each passing `check` (which gets the item's field path). */
export function checkEach(
  value: unknown,
  field: string,
  count: Range,
  check: (item: unknown, field: string) => void,
): void {
  checkList(value, field, count.min, count.max).forEach((item, i) => {
    check(item, `${field}[${i}]`);
  });
}

export function checkBoolean(value: unknown, field: string): void {
  if (typeof value !== 'boolean') throw new CommandError(field, 'expected true or false');
}

export function checkInteger(value: unknown, field: string, range: Range): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new CommandError(field, 'expected a whole number');
  }
  if (value < range.min || value > range.max) {
    throw new CommandError(field, `${value} is outside ${range.min}..${range.max}`);
  }
}

export function checkOneOf<T extends string>(
  value: unknown,
  field: string,
  options: readonly T[],
): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new CommandError(field, `expected one of ${options.join(', ')}`);
  }
  return value as T;
}

/** Digits with an optional leading `+`: 3 to 20 digits. No spaces, dashes or brackets. */
export function checkPhoneNumber(value: unknown, field: string): void {
  if (typeof value !== 'string' || !PHONE_NUMBER.test(value)) {
    throw new CommandError(field, 'expected 3 to 20 digits with an optional leading +');
  }
}

/**
 * Text shown on the watch: length in UTF-16 code units (what travels, four hex digits each),
 * no control characters, no unpaired surrogates (they cannot be displayed).
 */
export function checkText(value: unknown, field: string, length: Range): void {
  if (typeof value !== 'string') throw new CommandError(field, 'expected text');
  if (value.length < length.min || value.length > length.max) {
    throw new CommandError(
      field,
      `expected ${length.min} to ${length.max} UTF-16 code units, got ${value.length}`,
    );
  }
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x20 || unit === 0x7f) {
      throw new CommandError(field, `control character at ${i}`);
    }
    if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      throw new CommandError(field, `unpaired surrogate at ${i}`);
    }
  }
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Zero-padded 24-hour `HH:MM`. */
export function checkClockTime(value: unknown, field: string): void {
  if (typeof value !== 'string' || !CLOCK_TIME.test(value)) {
    throw new CommandError(field, 'expected a time HH:MM from 00:00 to 23:59');
  }
}

/** A daily period: two clock times that differ (an end before the start spans midnight). */
export function checkPeriod(value: unknown, field: string): void {
  const period = checkObject(value, field);
  checkClockTime(period.start, `${field}.start`);
  checkClockTime(period.end, `${field}.end`);
  if (period.start === period.end) throw new CommandError(field, 'start and end are the same');
}

export function checkWeeklyPeriod(value: unknown, field: string): void {
  checkPeriod(value, field);
  checkWeekdays(checkObject(value, field).weekdays, `${field}.weekdays`);
}

export function checkHourPeriod(value: unknown, field: string): void {
  const period = checkObject(value, field);
  checkInteger(period.startHour, `${field}.startHour`, { min: 0, max: 23 });
  checkInteger(period.endHour, `${field}.endHour`, { min: 1, max: 24 });
  if ((period.endHour as number) <= (period.startHour as number)) {
    throw new CommandError(field, 'endHour must be after startHour');
  }
}

/** Seven booleans, Sunday first. */
export function checkWeekdays(value: unknown, field: string): void {
  const days = checkList(value, field, 7, 7);
  days.forEach((day, i) => {
    checkBoolean(day, `${field}[${i}]`);
  });
}

export function checkAlarm(value: unknown, field: string): void {
  const alarm = checkObject(value, field);
  checkClockTime(alarm.time, `${field}.time`);
  checkBoolean(alarm.isEnabled, `${field}.isEnabled`);
  const repeat = checkOneOf(alarm.repeat, `${field}.repeat`, ['once', 'daily', 'weekly']);
  if (repeat === 'weekly') checkWeekdays(alarm.weekdays, `${field}.weekdays`);
}

export function checkTemperatureTime(value: unknown, field: string): void {
  const time = checkObject(value, field);
  checkClockTime(time.time, `${field}.time`);
  checkOneOf(time.repeat, `${field}.repeat`, ['daily', 'once']);
}

/** Hours within the range, in quarter hours (the finest step any zone uses). */
export function checkUtcOffset(value: unknown, field: string, range: Range): void {
  if (typeof value !== 'number' || !Number.isInteger(value * 4)) {
    throw new CommandError(field, 'expected hours in steps of 0.25');
  }
  if (value < range.min || value > range.max) {
    throw new CommandError(field, `${value} is outside ${range.min}..${range.max}`);
  }
}
