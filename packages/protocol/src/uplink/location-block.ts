import { parseDecimal, parseOptionalDecimal } from '../text/numbers.ts';
import type { AlarmName, LocationBlock, NetworkObservation } from './messages.ts';
import { parseNetworkBlock } from './network-block.ts';

export type BlockResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

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
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** The fields up to and including the cell count; a shorter block is truncated. */
const MIN_FIELDS = 17;

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 0x30;
  const ones = text.charCodeAt(at + 1) - 0x30;
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return Number.NaN;
  return tens * 10 + ones;
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
  const day = twoDigits(date, 0);
  const month = twoDigits(date, 2);
  const year = twoDigits(date, 4);
  const hour = twoDigits(time, 0);
  const minute = twoDigits(time, 2);
  const second = twoDigits(time, 4);
  const isInRange =
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  if (!isInRange) {
    return undefined;
  }
  const isLeap = year % 4 === 0;
  const monthDays = month === 2 && !isLeap ? 28 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > monthDays) return undefined;
  return new Date(Date.UTC(2000 + year, month - 1, day, hour, minute, second));
}

/**
 * Applies the hemisphere letter the way Traccar does since issue #2139: S or W force a negative
 * value; N, E or an empty letter keep the sign as sent (`-33.480366,N` stays negative).
 */
function signed(value: number, letter: string, negative: string, positive: string): number {
  if (letter === negative) return -Math.abs(value);
  if (letter === positive || letter === '') return value;
  return Number.NaN;
}

function statusBits(status: string): {
  alarms: readonly AlarmName[];
  stateBits: readonly number[];
} {
  const word = Number.parseInt(status, 16);
  let alarms: AlarmName[] | undefined;
  let stateBits: number[] | undefined;
  for (let bit = 0; bit < 16; bit++) {
    if ((word >>> bit) & 1) (stateBits ??= []).push(bit);
  }
  for (let bit = 16; bit < 23; bit++) {
    if ((word >>> bit) & 1) (alarms ??= []).push(ALARM_BITS[bit - 16] as AlarmName);
  }
  return { alarms: alarms ?? NONE, stateBits: stateBits ?? NONE };
}

function isHexWord(text: string): boolean {
  if (text.length === 0 || text.length > 8) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isHex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!isHex) return false;
  }
  return true;
}

/**
 * Reads the shared location block starting at `fields[at]` (the date). Rejects a block that is
 * truncated, has an impossible date, a non-numeric coordinate, a validity flag other than A/V,
 * or coordinates outside ±90/±180. Cells, Wi-Fi and the trailing accuracy follow §3.3 of the
 * protocol reference.
 */
export function parseLocationBlock(
  fields: readonly string[],
  at: number,
  radio: NetworkObservation['radio'] = 'gsm',
): BlockResult<LocationBlock> {
  if (fields.length - at < MIN_FIELDS) return fail('position truncated before status/cell block');
  const recordedAt = parseDeviceTime(fields[at], fields[at + 1]);
  if (recordedAt === undefined) return fail('invalid date or time');
  const validity = fields[at + 2];
  if (validity !== 'A' && validity !== 'V') return fail('validity flag not A/V');
  const latLetter = fields[at + 4] as string;
  const lonLetter = fields[at + 6] as string;
  const latitude = signed(parseDecimal(fields[at + 3]), latLetter, 'S', 'N');
  const longitude = signed(parseDecimal(fields[at + 5]), lonLetter, 'W', 'E');
  if (Number.isNaN(latitude)) return fail('non-numeric latitude or bad hemisphere');
  if (Number.isNaN(longitude)) return fail('non-numeric longitude or bad hemisphere');
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return fail('coordinates out of range');
  const numbers = readNumbers(fields, at);
  if (typeof numbers === 'string') return fail(`${numbers} is not a number in its range`);
  const status = fields[at + 15] as string;
  if (!isHexWord(status)) return fail('status word is not hex');
  const network = parseNetworkBlock(fields, at + 16, radio);
  if (!network.ok) return network;
  const { alarms, stateBits } = statusBits(status);
  const tail = network.value.tail;
  return {
    ok: true,
    value: {
      recordedAt,
      hasGnssFix: validity === 'A',
      latitude,
      longitude,
      isHemisphereMissing: latLetter === '' || lonLetter === '',
      ...numbers,
      status,
      alarms,
      stateBits,
      network: network.value.network,
      accuracyMeters: accuracyOf(tail),
      tail,
    },
  };
}

interface BlockNumbers {
  speedKmh: number;
  courseDegrees: number;
  altitudeMeters: number;
  satellites: number;
  gsmSignalPercent: number;
  batteryPercent: number;
  steps: number;
  tumbles: number;
}

/** What a child's watch can physically report; anything outside is a broken or forged frame. */
const LIMITS: Readonly<Record<keyof BlockNumbers, readonly [number, number]>> = {
  speedKmh: [0, 1000],
  courseDegrees: [0, 360],
  altitudeMeters: [-1000, 20_000],
  satellites: [0, 99],
  gsmSignalPercent: [0, 100],
  batteryPercent: [0, 100],
  steps: [0, 10_000_000],
  tumbles: [0, 10_000_000],
};

/** The numeric fields, or the name of the first one that is not a number in its range. */
function readNumbers(fields: readonly string[], at: number): BlockNumbers | keyof BlockNumbers {
  const values = {
    speedKmh: parseOptionalDecimal(fields[at + 7], 0),
    courseDegrees: parseOptionalDecimal(fields[at + 8], 0),
    altitudeMeters: parseOptionalDecimal(fields[at + 9], 0),
    satellites: parseOptionalDecimal(fields[at + 10], 0),
    gsmSignalPercent: parseOptionalDecimal(fields[at + 11], 0),
    batteryPercent: parseOptionalDecimal(fields[at + 12], 0),
    steps: parseOptionalDecimal(fields[at + 13], 0),
    tumbles: parseOptionalDecimal(fields[at + 14], 0),
  };
  for (const key in values) {
    const [min, max] = LIMITS[key as keyof BlockNumbers];
    const value = values[key as keyof BlockNumbers];
    if (!(value >= min && value <= max)) return key as keyof BlockNumbers;
  }
  return values;
}

/** Newer firmware ends the block with the accuracy in metres (`...,-93,8.263865`). */
function accuracyOf(tail: readonly string[]): number | undefined {
  const first = tail[0];
  if (tail.length !== 1 || first === undefined || !first.includes('.')) return undefined;
  const value = parseDecimal(first);
  return value > 0 && value < 100_000 ? value : undefined;
}
