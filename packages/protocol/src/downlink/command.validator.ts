import { escapedLength } from '../frame/escape.ts';
import type { FrameTarget } from '../frame/envelope.ts';
import { CommandError, dispatchCommand, type Command, type CommandTable } from './command.model.ts';
import {
  checkAlarm,
  checkBoolean,
  checkEach,
  checkHourPeriod,
  checkInteger,
  checkObject,
  checkOneOf,
  checkPeriod,
  checkPhoneNumber,
  checkTemperatureTime,
  checkText,
  checkUtcOffset,
  checkWeeklyPeriod,
  type Range,
} from './command-field.rules.ts';

/**
 * The limits commands are checked against. Where the reference gives one it is used; the rest
 * are chosen to keep frames small and values plausible, and say so.
 */
export const COMMAND_LIMITS = {
  /** Digits in a phone number, after an optional `+`. "≤ 20 ASCII digits" (V3.2, PHB). */
  phoneNumberDigits: { min: 3, max: 20 },
  /**
   * UTF-16 code units in a phonebook name. The V3.2 document allows 10 CJK characters; 10
   * code units is that for Chinese and a short first name elsewhere.
   */
  phonebookNameUnits: { min: 1, max: 10 },
  /** Slots per PHB/PHB2/PHB3 page (V3.2). */
  phonebookPageSlots: 5,
  /** PHBX slots: elderly models hold 30 or 100 entries (V3.2). */
  phonebookEntrySlot: { min: 1, max: 100 },
  /** Numbers per WHITELIST list: the layout is unverified, so no more than a phonebook page. */
  allowedCallersPerList: 5,
  /** UPLOAD: 10 s is the locate-now rate (PR #4545); a day is the longest useful interval. */
  uploadIntervalSeconds: { min: 10, max: 86_400 },
  /** WORKTIME: up to the 1440 minutes one server sends. */
  trackingDurationMinutes: { min: 1, max: 1_440 },
  /** WORK periods: the only sample has four. */
  trackingPeriods: 4,
  /** SILENCETIME and SILENCETIME2: "≤ 4 periods". */
  quietPeriods: 4,
  /** WALKTIME: "≤ 3". */
  pedometerPeriods: 3,
  /** REMIND: "3 alarms". */
  alarms: 3,
  /** BTTIMESET: the count is undocumented; five a day is plenty. */
  temperatureTimes: 5,
  /** MESSAGE text in UTF-16 code units: 400 hex digits, a frame under 450 bytes. */
  messageUnits: { min: 1, max: 100 },
  /** FLOWER: a counter a child reads on the watch face. */
  rewardCount: { min: 0, max: 99 },
  /** hrtstart periodic interval: "≥ 300 and ≤ 65535" (V3.2). */
  heartRateIntervalSeconds: { min: 300, max: 65_535 },
  /** bodytemp: "hours 1–12" (V3.2). */
  temperatureIntervalHours: { min: 1, max: 12 },
  /** LSSET scale: the document's sample is 3+6. */
  fallSensitivityLevels: { min: 1, max: 20 },
  /** LZ/LANG language codes are undocumented small numbers. */
  languageCode: { min: 0, max: 99 },
  /** Real zones run from UTC-12 to UTC+14, in quarter hours at the finest. */
  utcOffsetHours: { min: -12, max: 14 },
  /** LENGTH is four hex digits: the escaped content (keyword included) must fit. */
  contentBytes: 0xffff,
} as const;

const L = COMMAND_LIMITS;

const VENDOR = /^[0-9A-Za-z]{2}$/;
const DEVICE_ID = /^[0-9]{5,20}$/;
const INDEX = /^[0-9A-Fa-f]{1,8}$/;

/** Throws CommandError (field `target.*`) unless the target can be written into a header. */
export function validateTarget(target: FrameTarget): void {
  const value = checkObject(target, 'target');
  if (typeof value.vendor !== 'string' || !VENDOR.test(value.vendor)) {
    throw new CommandError('target.vendor', 'expected two letters or digits');
  }
  if (typeof value.deviceId !== 'string' || !DEVICE_ID.test(value.deviceId)) {
    throw new CommandError('target.deviceId', 'expected 5 to 20 digits');
  }
  if (value.index !== undefined && (typeof value.index !== 'string' || !INDEX.test(value.index))) {
    throw new CommandError('target.index', 'expected 1 to 8 hex digits');
  }
}

const none = (): void => undefined;
const isEnabled = (c: { isEnabled: boolean }): void => {
  checkBoolean(c.isEnabled, 'isEnabled');
};
const phoneNumber = (c: { phoneNumber: string }): void => {
  checkPhoneNumber(c.phoneNumber, 'phoneNumber');
};
const upTo = (max: number): Range => ({ min: 1, max });

function voice(prefixLength: number) {
  return (c: { audio: Uint8Array }): void => {
    if (!(c.audio instanceof Uint8Array)) throw new CommandError('audio', 'expected bytes');
    if (c.audio.length === 0) throw new CommandError('audio', 'is empty');
    const contentBytes = prefixLength + escapedLength(c.audio);
    if (contentBytes > L.contentBytes) {
      throw new CommandError(
        'audio',
        `${contentBytes} bytes escaped; a frame holds ${L.contentBytes}`,
      );
    }
  };
}

function phonebookSlot(value: unknown, field: string): void {
  if (value === null) return;
  const entry = checkObject(value, field);
  checkText(entry.name, `${field}.name`, L.phonebookNameUnits);
  checkPhoneNumber(entry.phoneNumber, `${field}.phoneNumber`);
}

const phonebookPage = (c: { entries: readonly unknown[] }): void => {
  checkEach(c.entries, 'entries', upTo(L.phonebookPageSlots), phonebookSlot);
};
const hourPeriods = (c: { periods: readonly unknown[] }): void => {
  checkEach(c.periods, 'periods', upTo(L.trackingPeriods), checkHourPeriod);
};
const allowedCallers = (c: { phoneNumbers: readonly unknown[] }): void => {
  checkEach(c.phoneNumbers, 'phoneNumbers', upTo(L.allowedCallersPerList), checkPhoneNumber);
};
const periods =
  (max: number) =>
  (c: { periods: readonly unknown[] }): void => {
    checkEach(c.periods, 'periods', upTo(max), checkPeriod);
  };
const integer =
  <F extends string>(field: F, range: Range) =>
  (c: { readonly [K in F]: number }): void => {
    checkInteger(c[field], field, range);
  };
const utcOffset = (c: { utcOffsetHours: number }): void => {
  checkUtcOffset(c.utcOffsetHours, 'utcOffsetHours', L.utcOffsetHours);
};

function heartRate(c: { measurement: unknown }): void {
  const m = checkObject(c.measurement, 'measurement');
  const kind = checkOneOf(m.kind, 'measurement.kind', ['off', 'once', 'periodic']);
  if (kind !== 'periodic') return;
  checkInteger(m.intervalSeconds, 'measurement.intervalSeconds', L.heartRateIntervalSeconds);
}

const VALIDATORS: CommandTable<void> = {
  voiceMessage: voice('TK,'.length),
  voiceMessage2: voice('TK2,'.length),
  setUploadInterval: integer('intervalSeconds', L.uploadIntervalSeconds),
  locateNow: none,
  setTrackingPeriods: hourPeriods,
  setWeekendTrackingPeriods: hourPeriods,
  setTrackingDuration: integer('minutes', L.trackingDurationMinutes),
  powerOff: none,
  restart: none,
  factoryReset: none,
  findWatch: none,
  queryFirmware: none,
  queryParameters: none,
  setCentreNumber: phoneNumber,
  setAssistantNumber: phoneNumber,
  setSosNumbers: (c) => {
    checkEach(c.phoneNumbers, 'phoneNumbers', { min: 3, max: 3 }, (n, field) => {
      if (n !== null) checkPhoneNumber(n, field);
    });
  },
  setSosNumber1: phoneNumber,
  setSosNumber2: phoneNumber,
  setSosNumber3: phoneNumber,
  setPhonebook1: phonebookPage,
  setPhonebook2: phonebookPage,
  setPhonebook3: phonebookPage,
  setPhonebookEntry: (c) => {
    checkInteger(c.slot, 'slot', L.phonebookEntrySlot);
    checkText(c.name, 'name', L.phonebookNameUnits);
    checkPhoneNumber(c.phoneNumber, 'phoneNumber');
  },
  deletePhonebookEntry: integer('slot', L.phonebookEntrySlot),
  setAllowedCallers1: allowedCallers,
  setAllowedCallers2: allowedCallers,
  setSosSms: isEnabled,
  setLowBatteryAlarm: isEnabled,
  setRemovalAlarm: isEnabled,
  setRemovalSms: isEnabled,
  setLanguageAndTimeZone: (c) => {
    if (c.language !== undefined) checkInteger(c.language, 'language', L.languageCode);
    utcOffset(c);
  },
  setLanguage: integer('language', L.languageCode),
  setTimeZone: utcOffset,
  setQuietTimes: periods(L.quietPeriods),
  setWeeklyQuietTimes: (c) => {
    checkEach(c.periods, 'periods', upTo(L.quietPeriods), checkWeeklyPeriod);
  },
  setAlarms: (c) => {
    checkEach(c.alarms, 'alarms', upTo(L.alarms), checkAlarm);
  },
  setPedometerPeriods: periods(L.pedometerPeriods),
  setSleepPeriod: (c) => {
    checkPeriod(c.period, 'period');
  },
  setPedometer: isEnabled,
  setRewards: integer('count', L.rewardCount),
  showText: (c) => {
    checkText(c.text, 'text', L.messageUnits);
  },
  setRingProfile: (c) => {
    checkOneOf(c.profile, 'profile', ['vibrateAndRing', 'ring', 'vibrate', 'silent']);
  },
  removeFriends: none,
  takePhoto: none,
  setHeartRateInterval: heartRate,
  measureTemperature: none,
  setFallAlarm: (c) => {
    checkBoolean(c.isEnabled, 'isEnabled');
    checkBoolean(c.shouldCallCentre, 'shouldCallCentre');
  },
  setFallSensitivity: (c) => {
    checkInteger(c.maxLevel, 'maxLevel', L.fallSensitivityLevels);
    checkInteger(c.level, 'level', { min: L.fallSensitivityLevels.min, max: c.maxLevel });
  },
  setTemperatureInterval: (c) => {
    checkBoolean(c.isEnabled, 'isEnabled');
    checkInteger(c.intervalHours, 'intervalHours', L.temperatureIntervalHours);
  },
  setTemperatureSchedule: (c) => {
    checkEach(c.times, 'times', upTo(L.temperatureTimes), checkTemperatureTime);
  },
  setBluetooth: isEnabled,
};

/**
 * Checks every parameter of a command against its type and `COMMAND_LIMITS`, at run time too
 * (commands may arrive as JSON). Throws CommandError naming the first bad field; returns
 * nothing when the command can be encoded.
 */
export function validateCommand(command: Command): void {
  const value = checkObject(command, 'command');
  if (typeof value.type !== 'string' || !Object.hasOwn(VALIDATORS, value.type)) {
    const type = typeof value.type === 'string' ? value.type : typeof value.type;
    throw new CommandError('type', `not a command Kinwatch sends: ${type}`);
  }
  dispatchCommand(VALIDATORS, command);
}
