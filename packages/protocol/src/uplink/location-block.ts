import type { FieldCursor } from '../text/field-cursor.ts';
import type { AlarmName, LocationBlock, NetworkObservation } from './messages.ts';
import { parseNetworkBlock } from './network-block.ts';

/** A block read from the fields, or why it was refused (a string, as for `MessageResult`). */
export type BlockResult<T extends object> = T | string;

/** Bits 16..22 of the status word, in bit order. */
const ALARM_BITS: readonly AlarmName[] = [
  'sos',
  'lowBattery',
  'fenceOut',
  'fenceIn',
  'removed',
  'fall',
  'heartRateAbnormal',
];
const NONE: readonly never[] = Object.freeze([]);
const NO_TAIL: readonly string[] = Object.freeze([]);
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * What a child's watch can physically report; a reading outside these is a broken or forged
 * frame, and the frame is refused. Altitude and speed allow for a watch on an airliner.
 * Satellites: from one place at most about half of the GNSS satellites in orbit (GPS,
 * GLONASS, Galileo and BeiDou together) are above the horizon.
 */
export const LOCATION_LIMITS = Object.freeze({
  speedKmh: [0, 1000],
  courseDegrees: [0, 360],
  altitudeMeters: [-1000, 20_000],
  satellites: [0, 64],
  gsmSignalPercent: [0, 100],
  batteryPercent: [0, 100],
  steps: [0, 1e7],
  tumbles: [0, 1e7],
} as const satisfies Record<string, readonly [number, number]>);

/** The fields up to and including the cell count; a shorter block is truncated. */
const MIN_FIELDS = 17;

function fail(reason: string): string {
  return reason;
}

function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 0x30;
  const ones = text.charCodeAt(at + 1) - 0x30;
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return Number.NaN;
  return tens * 10 + ones;
}

const DAYS_BEFORE_2000_01_01 = 10_957;
const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;

/**
 * Days from 2000-01-01 to the date (2000..2099, where every fourth year is a leap year), by
 * arithmetic: Date.UTC is markedly slower, and every location report needs one.
 */
function daysSince2000(year: number, month: number, day: number): number {
  const leapDays = Math.floor((year + 3) / 4) + (year % 4 === 0 && month > 2 ? 1 : 0);
  return year * 365 + leapDays + (DAYS_BEFORE_MONTH[month - 1] as number) + day - 1;
}

/** A UTC instant from two-digit parts (year 00..99 is 2000..2099); undefined if impossible. */
function utcInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): Date | undefined {
  const isInRange =
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  if (!isInRange) return undefined;
  const monthDays = month === 2 && year % 4 !== 0 ? 28 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > monthDays) return undefined;
  const days = DAYS_BEFORE_2000_01_01 + daysSince2000(year, month, day);
  return new Date(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000);
}

/**
 * Device time from DDMMYY and HHMMSS, read as UTC (as Traccar does, and as the log timings in
 * Traccar issue #1864 fit). Undefined when either is not a real date or time.
 */
export function parseDeviceTime(
  date: string | undefined,
  time: string | undefined,
): Date | undefined {
  if (date?.length !== 6 || time?.length !== 6) return undefined;
  return utcInstant(
    twoDigits(date, 4),
    twoDigits(date, 2),
    twoDigits(date, 0),
    twoDigits(time, 0),
    twoDigits(time, 2),
    twoDigits(time, 4),
  );
}

/** Reads the DDMMYY and HHMMSS fields. */
function readTime(fields: FieldCursor): Date | undefined {
  const date = fields.readSixDigits();
  if (date < 0) return undefined;
  const time = fields.readSixDigits();
  if (time < 0) return undefined;
  return utcInstant(
    date % 100,
    Math.floor(date / 100) % 100,
    Math.floor(date / 10_000),
    Math.floor(time / 10_000),
    Math.floor(time / 100) % 100,
    time % 100,
  );
}

const LETTER_N = 0x4e;
const LETTER_S = 0x53;
const LETTER_E = 0x45;
const LETTER_W = 0x57;

/**
 * The sign a hemisphere letter gives, moving past it: -1 for `negative`, 1 for `positive`, 2 for
 * an empty letter (keep the sign as sent), 0 for anything else.
 */
function readHemisphere(fields: FieldCursor, negative: number, positive: number): number {
  // A one-letter field ends one character on, an empty one right here.
  if (fields.isChar(positive)) {
    fields.position += 2;
    return 1;
  }
  if (fields.isChar(negative)) {
    fields.position += 2;
    return -1;
  }
  if (fields.isEmpty()) {
    fields.position += 1;
    return 2;
  }
  fields.skip();
  return 0;
}

/** Applies the hemisphere rule: S/W force a negative value; N/E/empty keep the sign as sent. */
function signed(value: number, hemisphere: number): number {
  if (hemisphere === 0) return Number.NaN;
  return hemisphere < 0 ? -Math.abs(value) : value;
}

/** The alarm bits 16..22 of the status word that are set. */
function alarmsOf(word: number): readonly AlarmName[] {
  if ((word & 0x7f_0000) === 0) return NONE;
  const alarms: AlarmName[] = [];
  for (let bit = 16; bit < 23; bit++) {
    if ((word >>> bit) & 1) alarms.push(ALARM_BITS[bit - 16] as AlarmName);
  }
  return alarms;
}

/** The state bits 0..15 of the status word that are set. */
function stateBitsOf(word: number): readonly number[] {
  if ((word & 0xffff) === 0) return NONE;
  const stateBits: number[] = [];
  for (let bit = 0; bit < 16; bit++) {
    if ((word >>> bit) & 1) stateBits.push(bit);
  }
  return stateBits;
}

/**
 * Reads the shared location block starting at `fields[at]` (the date). Rejects a block that is
 * truncated, has an impossible date, a non-numeric coordinate, a validity flag other than A/V,
 * or coordinates outside ±90/±180. Cells, Wi-Fi and the trailing accuracy follow §3.3 of the
 * protocol reference.
 */
export function parseLocationBlock(
  fields: FieldCursor,
  radio: NetworkObservation['radio'] = 'gsm',
): BlockResult<LocationBlock> {
  const start = fields.position;
  const result = readBlock(fields, radio);
  // A short block fails somewhere in its fields; name the real cause.
  if (typeof result === 'string' && countFields(fields, start) < MIN_FIELDS) {
    return fail('position truncated before status/cell block');
  }
  return result;
}

function countFields(fields: FieldCursor, from: number): number {
  const text = fields.text;
  let count = 1;
  for (let i = text.indexOf(',', from); i !== -1 && i < fields.end; i = text.indexOf(',', i + 1))
    count++;
  return count;
}

function readBlock(
  fields: FieldCursor,
  radio: NetworkObservation['radio'],
): BlockResult<LocationBlock> {
  const recordedAt = readTime(fields);
  if (recordedAt === undefined) return fail('invalid date or time');
  const hasGnssFix = fields.isChar(0x41);
  if (!hasGnssFix && !fields.isChar(0x56)) return fail('validity flag not A/V');
  fields.position += 2;
  const rawLatitude = fields.readDecimal();
  const latitudeSign = readHemisphere(fields, LETTER_S, LETTER_N);
  const latitude = signed(rawLatitude, latitudeSign);
  if (Number.isNaN(latitude)) return fail('non-numeric latitude or bad hemisphere');
  const rawLongitude = fields.readDecimal();
  const longitudeSign = readHemisphere(fields, LETTER_W, LETTER_E);
  const longitude = signed(rawLongitude, longitudeSign);
  if (Number.isNaN(longitude)) return fail('non-numeric longitude or bad hemisphere');
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return fail('coordinates out of range');
  const speedKmh = fields.readOptionalDecimal(0);
  const courseDegrees = fields.readOptionalDecimal(0);
  const altitudeMeters = fields.readOptionalDecimal(0);
  const satellites = fields.readOptionalDecimal(0);
  const gsmSignalPercent = fields.readOptionalDecimal(0);
  const batteryPercent = fields.readOptionalDecimal(0);
  const steps = fields.readOptionalDecimal(0);
  const tumbles = fields.readOptionalDecimal(0);
  if (
    !isWithin(speedKmh, LOCATION_LIMITS.speedKmh) ||
    !isWithin(courseDegrees, LOCATION_LIMITS.courseDegrees) ||
    !isWithin(altitudeMeters, LOCATION_LIMITS.altitudeMeters) ||
    !isWithin(satellites, LOCATION_LIMITS.satellites) ||
    !isWithin(gsmSignalPercent, LOCATION_LIMITS.gsmSignalPercent) ||
    !isWithin(batteryPercent, LOCATION_LIMITS.batteryPercent) ||
    !isWithin(steps, LOCATION_LIMITS.steps) ||
    !isWithin(tumbles, LOCATION_LIMITS.tumbles)
  ) {
    return outOfRange({
      speedKmh,
      courseDegrees,
      altitudeMeters,
      satellites,
      gsmSignalPercent,
      batteryPercent,
      steps,
      tumbles,
    });
  }
  const statusStart = fields.position;
  const word = fields.readHex(8);
  if (Number.isNaN(word)) return fail('status word is not hex');
  const status = fields.text.slice(statusStart, fields.position - 1);
  const network = parseNetworkBlock(fields, radio);
  if (typeof network === 'string') return network;
  const alarms = alarmsOf(word);
  const stateBits = stateBitsOf(word);
  const accuracyMeters = readAccuracy(fields);
  const tail = fields.hasField ? fields.readRest() : NO_TAIL;
  return {
    recordedAt,
    hasGnssFix,
    latitude,
    longitude,
    isHemisphereMissing: latitudeSign === 2 || longitudeSign === 2,
    speedKmh,
    courseDegrees,
    altitudeMeters,
    satellites,
    gsmSignalPercent,
    batteryPercent,
    steps,
    tumbles,
    status,
    alarms,
    stateBits,
    network,
    accuracyMeters,
    tail,
  };
}

/** Whether a reading is within what a child's watch can physically report. */
function isWithin(value: number, range: readonly [number, number]): boolean {
  return value >= range[0] && value <= range[1];
}

/** Why a block is refused: the first reading outside its limits, with the range it missed. */
function outOfRange(readings: Record<keyof typeof LOCATION_LIMITS, number>): string {
  for (const [field, [min, max]] of Object.entries(LOCATION_LIMITS)) {
    const value = readings[field as keyof typeof LOCATION_LIMITS];
    if (!(value >= min && value <= max)) return fail(`${field} is not a number in ${min}..${max}`);
  }
  // Not reached: the caller found a reading outside its limits.
  return fail('a reading is out of range');
}

/**
 * Newer firmware ends the block with the accuracy in metres (`...,-93,8.263865`): one last field
 * with a decimal point. Older SG firmware sends `00` or `10` there, which is not an accuracy.
 * Does not move the cursor.
 */
function readAccuracy(fields: FieldCursor): number | undefined {
  const start = fields.position;
  const text = fields.text;
  const end = fields.end;
  if (start >= end || text.indexOf(',', start) !== -1) return undefined;
  const point = text.indexOf('.', start);
  if (point === -1 || point >= end) return undefined;
  const value = fields.readDecimal();
  fields.position = start;
  return value > 0 && value < 100_000 ? value : undefined;
}
