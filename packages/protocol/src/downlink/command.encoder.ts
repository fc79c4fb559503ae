import { encodeBinaryFrame, encodeFrame, type FrameTarget } from '../frame/envelope.ts';
import { commandKeyword } from '../keywords.ts';
import { toUtf16Hex } from '../text/utf16-hex.ts';
import {
  dispatchCommand,
  type Command,
  type CommandTable,
  type PhonebookEntry,
  type TimePeriod,
} from './command.model.ts';
import {
  RING_PROFILE_CODES,
  formatAlarm,
  formatFlag,
  formatHeartRateMeasurement,
  formatHourPeriod,
  formatPeriod,
  formatTemperatureTime,
  formatUtcOffset,
  formatWeeklyPeriod,
} from './command-field.format.ts';
import { validateCommand, validateTarget } from './command.validator.ts';

export interface EncodeOptions {
  /**
   * Case of the UTF-16BE hex that carries names and MESSAGE text. The V3.2 document writes
   * upper case (`597D003100320033`); the SeTracker cloud (issue #2702) and Traccar write lower
   * case (`0066007200690065006e00640031`). Default `upper`.
   */
  readonly hexCase?: 'upper' | 'lower';
}

type Params = readonly string[];
type Hex = (text: string) => string;

const none = (): Params => [];
const flag = (c: { isEnabled: boolean }): Params => [formatFlag(c.isEnabled)];
const number = (c: { phoneNumber: string }): Params => [c.phoneNumber];
const periodList = (c: { periods: readonly TimePeriod[] }): Params => c.periods.map(formatPeriod);
const hourPeriods = (c: { periods: readonly { startHour: number; endHour: number }[] }): Params =>
  c.periods.map(formatHourPeriod);

const phonebookPage = (c: { entries: readonly (PhonebookEntry | null)[] }, hex: Hex): Params =>
  c.entries.flatMap((e) => (e === null ? ['', ''] : [e.phoneNumber, hex(e.name)]));

/** Parameters after the keyword, for every command except voice (which is binary). */
const PARAMS: CommandTable<Params, [Hex]> = {
  // Voice content is binary and written by encodeCommand itself.
  voiceMessage: none,
  voiceMessage2: none,
  setUploadInterval: (c) => [String(c.intervalSeconds)],
  locateNow: none,
  setTrackingPeriods: hourPeriods,
  setWeekendTrackingPeriods: hourPeriods,
  setTrackingDuration: (c) => [String(c.minutes)],
  powerOff: none,
  restart: none,
  factoryReset: none,
  findWatch: none,
  queryFirmware: none,
  queryParameters: none,
  setCentreNumber: number,
  setAssistantNumber: number,
  setSosNumbers: (c) => c.phoneNumbers.map((n) => n ?? ''),
  setSosNumber1: number,
  setSosNumber2: number,
  setSosNumber3: number,
  setPhonebook1: phonebookPage,
  setPhonebook2: phonebookPage,
  setPhonebook3: phonebookPage,
  // The photo field stays empty: Kinwatch sends no contact photos.
  setPhonebookEntry: (c, hex) => [String(c.slot), hex(c.name), c.phoneNumber, ''],
  deletePhonebookEntry: (c) => [String(c.slot)],
  setAllowedCallers1: (c) => c.phoneNumbers,
  setAllowedCallers2: (c) => c.phoneNumbers,
  setSosSms: flag,
  setLowBatteryAlarm: flag,
  setRemovalAlarm: flag,
  setRemovalSms: flag,
  setLanguageAndTimeZone: (c) => [
    c.language === undefined ? '' : String(c.language),
    formatUtcOffset(c.utcOffsetHours, true),
  ],
  setLanguage: (c) => [String(c.language)],
  setTimeZone: (c) => [formatUtcOffset(c.utcOffsetHours, false)],
  setQuietTimes: periodList,
  setWeeklyQuietTimes: (c) => c.periods.map(formatWeeklyPeriod),
  setAlarms: (c) => c.alarms.map(formatAlarm),
  setPedometerPeriods: periodList,
  setSleepPeriod: (c) => [formatPeriod(c.period)],
  setPedometer: flag,
  setRewards: (c) => [String(c.count)],
  showText: (c, hex) => [hex(c.text)],
  setRingProfile: (c) => [RING_PROFILE_CODES[c.profile]],
  removeFriends: none,
  takePhoto: none,
  setHeartRateInterval: (c) => [formatHeartRateMeasurement(c.measurement)],
  measureTemperature: none,
  setFallAlarm: (c) => [formatFlag(c.isEnabled), formatFlag(c.shouldCallCentre)],
  setFallSensitivity: (c) => [`${c.level}+${c.maxLevel}`],
  setTemperatureInterval: (c) => [formatFlag(c.isEnabled), String(c.intervalHours)],
  setTemperatureSchedule: (c) => [String(c.times.length), ...c.times.map(formatTemperatureTime)],
  setBluetooth: flag,
};

const upperHex: Hex = toUtf16Hex;
const lowerHex: Hex = (text) => toUtf16Hex(text).toLowerCase();

/** Keyword and parameters of a command whose content is all text. */
function textContent(command: Command, options: EncodeOptions = {}): string {
  const params = dispatchCommand(
    PARAMS,
    command,
    options.hexCase === 'lower' ? lowerHex : upperHex,
  );
  const keyword = commandKeyword(command.type);
  return params.length === 0 ? keyword : `${keyword},${params.join(',')}`;
}

/**
 * Encodes a command for one watch: `[vendor*id*[index*]LLLL*KEYWORD,params]`, LENGTH in upper
 * case and exact (for voice, the escaped byte count). Validates the target and the command
 * first and throws CommandError naming the bad field; nothing else throws.
 */
export function encodeCommand(
  target: FrameTarget,
  command: Command,
  options: EncodeOptions = {},
): Buffer {
  validateTarget(target);
  validateCommand(command);
  if (command.type === 'voiceMessage' || command.type === 'voiceMessage2') {
    return encodeBinaryFrame(target, `${commandKeyword(command.type)},`, command.audio);
  }
  return encodeFrame(target, textContent(command, options));
}
