import { fromUtf16Hex } from '../text/utf16-hex.ts';
import {
  CommandError,
  type AlarmClock,
  type ClockTime,
  type HeartRateMeasurement,
  type HourPeriod,
  type RingProfile,
  type TemperatureMeasurementTime,
  type TimePeriod,
  type WeeklyTimePeriod,
  type Weekdays,
} from './command.model.ts';

/**
 * How command parameters are written on the wire, and read back. Each `format*` has a `parse*`
 * that reads what it writes (and the usual variations). Parsers check syntax only and throw
 * CommandError naming the field; ranges are the validator's job.
 */

/** The wire digit of each ring profile (`profile,4` is silent). */
export const RING_PROFILE_CODES: Readonly<Record<RingProfile, string>> = {
  vibrateAndRing: '1',
  ring: '2',
  vibrate: '3',
  silent: '4',
};

/** REMIND repeat codes: 1 once, 2 daily, 3 on the days of the mask. */
const ALARM_REPEAT_CODES: Readonly<Record<AlarmClock['repeat'], string>> = {
  once: '1',
  daily: '2',
  weekly: '3',
};

/** BTTIMESET repeat codes: 0 daily, 1 once. */
const TEMPERATURE_REPEAT_CODES: Readonly<Record<TemperatureMeasurementTime['repeat'], string>> = {
  daily: '0',
  once: '1',
};

const WHOLE_NUMBER = /^[0-9]{1,9}$/;
const CLOCK_TIME = /^([0-9]{1,2}):([0-9]{2})$/;
const UTC_OFFSET = /^([+-]?)([0-9]{1,2})(\.[0-9]{1,2})?$/;
const WEEKDAY_MASK = /^[01]{7}$/;

function describe(text: string | undefined): string {
  if (text === undefined) return 'nothing';
  return text.length > 24 ? `"${text.slice(0, 24)}..."` : `"${text}"`;
}

/** Splits `a-b-c` into exactly `count` parts. */
function parts(text: string | undefined, count: number, field: string, separator = '-'): string[] {
  const found = (text ?? '').split(separator);
  if (found.length !== count) {
    throw new CommandError(
      field,
      `expected ${count} parts joined by ${separator}, got ${describe(text)}`,
    );
  }
  return found;
}

/** The key whose wire code is `code`. */
export function parseCode<T extends string>(
  codes: Readonly<Record<T, string>>,
  code: string | undefined,
  field: string,
): T {
  const found = (Object.keys(codes) as T[]).find((key) => codes[key] === code);
  if (found === undefined) throw new CommandError(field, `unknown code ${describe(code)}`);
  return found;
}

export function formatFlag(isOn: boolean): string {
  return isOn ? '1' : '0';
}

/** `1` or `0`. */
export function parseFlag(text: string | undefined, field: string): boolean {
  if (text === '1') return true;
  if (text === '0') return false;
  throw new CommandError(field, `expected 0 or 1, got ${describe(text)}`);
}

/** Unsigned decimal digits, at most nine. */
export function parseWholeNumber(text: string | undefined, field: string): number {
  if (text === undefined || !WHOLE_NUMBER.test(text)) {
    throw new CommandError(field, `expected a whole number, got ${describe(text)}`);
  }
  return Number(text);
}

/** UTF-16BE hex, either case: names and MESSAGE text. */
export function parseHexText(hex: string | undefined, field: string): string {
  const text = hex === undefined ? undefined : fromUtf16Hex(hex);
  if (text === undefined)
    throw new CommandError(field, 'expected UTF-16BE hex, four digits a unit');
  return text;
}

/**
 * `HH:MM`, or `H:MM` without the leading zero. Most settings are printed unpadded in the V3.2
 * document and the C# server (`SILENCETIME,21:10-7:30`, `WALKTIME,8:10-9:30`); alarms are
 * printed padded (`REMIND,08:10-1-1`).
 */
export function formatClockTime(time: ClockTime, isHourPadded: boolean): string {
  return isHourPadded || !time.startsWith('0') ? time : time.slice(1);
}

/** Reads `H:MM` or `HH:MM` and returns the zero-padded form. */
export function parseClockTime(text: string | undefined, field: string): ClockTime {
  const match = text === undefined ? null : CLOCK_TIME.exec(text);
  if (match === null)
    throw new CommandError(field, `expected H:MM or HH:MM, got ${describe(text)}`);
  return `${(match[1] ?? '').padStart(2, '0')}:${match[2] ?? ''}`;
}

/** `start-end`, hours unpadded: `21:10-7:30`. */
export function formatPeriod(period: TimePeriod): string {
  return `${formatClockTime(period.start, false)}-${formatClockTime(period.end, false)}`;
}

export function parsePeriod(text: string | undefined, field: string): TimePeriod {
  const [start, end] = parts(text, 2, field);
  return {
    start: parseClockTime(start, `${field}.start`),
    end: parseClockTime(end, `${field}.end`),
  };
}

/** Seven `1`/`0` characters, Sunday first: `0111110` is Monday to Friday. */
export function formatWeekdays(weekdays: Weekdays): string {
  return weekdays.map(formatFlag).join('');
}

export function parseWeekdays(text: string | undefined, field: string): Weekdays {
  if (text === undefined || !WEEKDAY_MASK.test(text)) {
    throw new CommandError(field, `expected seven 0/1 (Sunday first), got ${describe(text)}`);
  }
  const day = (i: number): boolean => text[i] === '1';
  return [day(0), day(1), day(2), day(3), day(4), day(5), day(6)];
}

/** `21:10-7:30-0111110` (SILENCETIME2). */
export function formatWeeklyPeriod(period: WeeklyTimePeriod): string {
  return `${formatPeriod(period)}-${formatWeekdays(period.weekdays)}`;
}

export function parseWeeklyPeriod(text: string, field: string): WeeklyTimePeriod {
  const [start, end, mask] = parts(text, 3, field);
  return {
    ...parsePeriod(`${start ?? ''}-${end ?? ''}`, field),
    weekdays: parseWeekdays(mask, `${field}.weekdays`),
  };
}

/** `6-9`: whole hours (WORK). */
export function formatHourPeriod(period: HourPeriod): string {
  return `${period.startHour}-${period.endHour}`;
}

export function parseHourPeriod(text: string, field: string): HourPeriod {
  const [start, end] = parts(text, 2, field);
  return {
    startHour: parseWholeNumber(start, `${field}.startHour`),
    endHour: parseWholeNumber(end, `${field}.endHour`),
  };
}

/** `08:10-1-3-0111110`: time (padded), on/off, repeat code, and the mask for weekly alarms. */
export function formatAlarm(alarm: AlarmClock): string {
  const head = `${formatClockTime(alarm.time, true)}-${formatFlag(alarm.isEnabled)}-${ALARM_REPEAT_CODES[alarm.repeat]}`;
  return alarm.repeat === 'weekly' ? `${head}-${formatWeekdays(alarm.weekdays)}` : head;
}

export function parseAlarm(text: string, field: string): AlarmClock {
  const repeat = parseCode(ALARM_REPEAT_CODES, text.split('-')[2], `${field}.repeat`);
  const [time, isEnabled, , mask] = parts(text, repeat === 'weekly' ? 4 : 3, field);
  const common = {
    time: parseClockTime(time, `${field}.time`),
    isEnabled: parseFlag(isEnabled, `${field}.isEnabled`),
  };
  if (repeat !== 'weekly') return { ...common, repeat };
  return { ...common, repeat, weekdays: parseWeekdays(mask, `${field}.weekdays`) };
}

/** `08:00-0`: time (padded) and 0 daily / 1 once (BTTIMESET). */
export function formatTemperatureTime(time: TemperatureMeasurementTime): string {
  return `${formatClockTime(time.time, true)}-${TEMPERATURE_REPEAT_CODES[time.repeat]}`;
}

export function parseTemperatureTime(text: string, field: string): TemperatureMeasurementTime {
  const [time, repeat] = parts(text, 2, field);
  return {
    time: parseClockTime(time, `${field}.time`),
    repeat: parseCode(TEMPERATURE_REPEAT_CODES, repeat, `${field}.repeat`),
  };
}

/** hrtstart: `0` off, `1` once, otherwise the interval in seconds. */
export function formatHeartRateMeasurement(measurement: HeartRateMeasurement): string {
  if (measurement.kind === 'off') return '0';
  if (measurement.kind === 'once') return '1';
  return String(measurement.intervalSeconds);
}

export function parseHeartRateMeasurement(
  text: string | undefined,
  field: string,
): HeartRateMeasurement {
  const seconds = parseWholeNumber(text, field);
  if (seconds === 0) return { kind: 'off' };
  if (seconds === 1) return { kind: 'once' };
  return { kind: 'periodic', intervalSeconds: seconds };
}

/** `3+6`: level and scale (LSSET). */
export function parseLevelOfScale(text: string | undefined): { level: number; maxLevel: number } {
  const [level, maxLevel] = parts(text, 2, 'level', '+');
  return {
    level: parseWholeNumber(level, 'level'),
    maxLevel: parseWholeNumber(maxLevel, 'maxLevel'),
  };
}

/**
 * An offset in hours with at most two decimals and no trailing zeros. `LZ` carries an explicit
 * sign (`+1`, `+5.75`, `-11.5`: Traccar and the SeTracker cloud); the V3.2 document prints
 * `ZONE,8` without one, so `ZONE` writes a sign only for negative offsets.
 */
export function formatUtcOffset(hours: number, isSignAlwaysWritten: boolean): string {
  const magnitude = Math.abs(hours).toString();
  if (hours < 0) return `-${magnitude}`;
  return isSignAlwaysWritten ? `+${magnitude}` : magnitude;
}

/** Reads `+1`, `8`, `-11.5`, `+5.75`. */
export function parseUtcOffset(text: string | undefined, field: string): number {
  const match = text === undefined ? null : UTC_OFFSET.exec(text);
  if (match === null)
    throw new CommandError(field, `expected hours such as +1 or -11.5, got ${describe(text)}`);
  const magnitude = Number(`${match[2] ?? ''}${match[3] ?? ''}`);
  // `-0` would not equal the 0 it was encoded from.
  return match[1] === '-' && magnitude !== 0 ? -magnitude : magnitude;
}
