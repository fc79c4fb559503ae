import { parseDecimal, parseInteger } from '../text/numbers.ts';
import { fromUtf16Hex } from '../text/utf16-hex.ts';
import { accept, refuse, type MessageResult } from './decoder-result.ts';

function inRange(value: number, min: number, max: number): boolean {
  return value >= min && value <= max;
}

/** `heart,<bpm>` or `PULSE,<bpm>`; 0 means the measurement failed. */
export function decodeHeartRate(keyword: string, values: readonly string[]): MessageResult {
  const beatsPerMinute = parseInteger(values[0]);
  if (!inRange(beatsPerMinute, 0, 300)) return refuse('heart rate missing or out of range');
  return accept({ type: 'heartRate', keyword, beatsPerMinute });
}

/** `bphrt,systolic,diastolic,heart,height,sex,age,weight` or `BLOOD,systolic,diastolic`. */
export function decodeBloodPressure(keyword: string, values: readonly string[]): MessageResult {
  const systolicMmHg = parseInteger(values[0]);
  const diastolicMmHg = parseInteger(values[1]);
  if (!inRange(systolicMmHg, 0, 400) || !inRange(diastolicMmHg, 0, 300)) {
    return refuse('blood pressure missing or out of range');
  }
  const heart = keyword === 'bphrt' ? parseInteger(values[2]) : Number.NaN;
  return accept({
    type: 'bloodPressure',
    keyword,
    systolicMmHg,
    diastolicMmHg,
    beatsPerMinute: Number.isNaN(heart) ? undefined : heart,
  });
}

/**
 * `btemp2,<0 forehead | 1 wrist>,<celsius>` or `TEMP,<celsius>`. Every reading is kept,
 * forehead ones included (Traccar drops those). 0 and 1 degrees are the firmware's "too low"
 * and "too high" error values; they are kept as sent for the service to judge.
 */
export function decodeBodyTemperature(keyword: string, values: readonly string[]): MessageResult {
  const isModeFirst = keyword === 'btemp2';
  const celsius = parseDecimal(isModeFirst ? values[1] : values[0]);
  if (!inRange(celsius, 0, 60)) return refuse('temperature missing or out of range');
  const mode = isModeFirst ? values[0] : undefined;
  const site = mode === '0' ? 'forehead' : mode === '1' ? 'wrist' : 'unknown';
  return accept({ type: 'bodyTemperature', keyword, site, celsius });
}

/** `oxygen,<type>,<SpO2>`; the document says SpO2 may be a decimal. */
export function decodeBloodOxygen(keyword: string, values: readonly string[]): MessageResult {
  const saturationPercent = parseDecimal(values[1]);
  if (!inRange(saturationPercent, 0, 100))
    return refuse('oxygen saturation missing or out of range');
  return accept({ type: 'bloodOxygen', keyword, saturationPercent });
}

/** `calllog,tel,<UTF-16BE name>,<1 in | 2 out>,<1 answered | 2 not>,<epoch s>,<seconds>` */
export function decodeCallLog(keyword: string, values: readonly string[]): MessageResult {
  const [phoneNumber, nameHex, kind, status, epoch, seconds] = values;
  if (phoneNumber === undefined || phoneNumber === '') return refuse('call log without a number');
  const epochSeconds = parseInteger(epoch);
  const durationSeconds = parseInteger(seconds);
  return accept({
    type: 'callLog',
    keyword,
    phoneNumber,
    contactName: fromUtf16Hex(nameHex ?? '') ?? '',
    direction: kind === '1' ? 'incoming' : kind === '2' ? 'outgoing' : 'unknown',
    isAnswered: status === '1',
    startedAt: epochSeconds > 0 ? new Date(epochSeconds * 1000) : undefined,
    durationSeconds: Number.isNaN(durationSeconds) ? 0 : durationSeconds,
  });
}
