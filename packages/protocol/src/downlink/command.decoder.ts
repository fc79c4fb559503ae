import { openEnvelope, type FrameTarget } from '../frame/envelope.ts';
import { unescapeBinary } from '../frame/escape.ts';
import { lookupKeyword, type CommandName } from '../keywords.ts';
import {
  CommandError,
  type BareCommandName,
  type Command,
  type CommandOf,
  type NumberCommandName,
  type PhonebookEntry,
  type PhonebookPageName,
  type SwitchCommandName,
} from './command.model.ts';
import {
  RING_PROFILE_CODES,
  parseAlarm,
  parseCode,
  parseFlag,
  parseHeartRateMeasurement,
  parseHexText,
  parseHourPeriod,
  parseLevelOfScale,
  parsePeriod,
  parseTemperatureTime,
  parseUtcOffset,
  parseWeeklyPeriod,
  parseWholeNumber,
} from './command-field.format.ts';
import { validateCommand } from './command.validator.ts';

export type CommandDecodeResult =
  | { readonly ok: true; readonly target: FrameTarget; readonly command: Command }
  | { readonly ok: false; readonly reason: string };

/** A command's content after the keyword: the raw bytes, and the same split on commas. */
interface Fields {
  /** Bytes after the first comma, still escaped; undefined when there is no comma. */
  readonly payload: Buffer | undefined;
  readonly params: readonly string[];
}

type ParserTable = { readonly [K in CommandName]: (fields: Fields) => CommandOf<K> };

function expectCount(params: readonly string[], min: number, max = min): void {
  if (params.length < min || params.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new CommandError('params', `expected ${expected} values, got ${params.length}`);
  }
}

function bare<K extends BareCommandName>(type: K) {
  return ({ params }: Fields): { readonly type: K } => {
    expectCount(params, 0);
    return { type };
  };
}

function onOff<K extends SwitchCommandName>(type: K) {
  return ({ params }: Fields): { readonly type: K; readonly isEnabled: boolean } => {
    expectCount(params, 1);
    return { type, isEnabled: parseFlag(params[0], 'isEnabled') };
  };
}

function oneNumber<K extends NumberCommandName>(type: K) {
  return ({ params }: Fields): { readonly type: K; readonly phoneNumber: string } => {
    expectCount(params, 1);
    return { type, phoneNumber: params[0] ?? '' };
  };
}

function voice<K extends 'voiceMessage' | 'voiceMessage2'>(type: K) {
  return ({ payload }: Fields): { readonly type: K; readonly audio: Uint8Array } => {
    if (payload === undefined) throw new CommandError('audio', 'voice message without audio');
    const unescaped = unescapeBinary(payload);
    if (!unescaped.ok) throw new CommandError('audio', unescaped.reason);
    // A copy, so that the command does not pin the frame's buffer.
    return { type, audio: new Uint8Array(unescaped.bytes) };
  };
}

function phonebookPage<K extends PhonebookPageName>(type: K) {
  return ({ params }: Fields) => {
    if (params.length % 2 !== 0) throw new CommandError('entries', 'expected number,name pairs');
    const entries: (PhonebookEntry | null)[] = [];
    for (let i = 0; i < params.length; i += 2) {
      const phoneNumber = params[i] ?? '';
      const name = params[i + 1] ?? '';
      const isEmpty = phoneNumber === '' && name === '';
      entries.push(
        isEmpty ? null : { name: parseHexText(name, `entries[${i / 2}].name`), phoneNumber },
      );
    }
    return { type, entries };
  };
}

function each<T>(
  params: readonly string[],
  field: string,
  parse: (text: string, field: string) => T,
): T[] {
  return params.map((text, i) => parse(text, `${field}[${i}]`));
}

function single({ params }: Fields): string | undefined {
  expectCount(params, 1);
  return params[0];
}

function temperatureTimes({ params }: Fields) {
  const count = parseWholeNumber(params[0], 'times.length');
  const items = params.slice(1);
  if (count !== items.length)
    throw new CommandError('times', `count says ${count}, ${items.length} sent`);
  return {
    type: 'setTemperatureSchedule' as const,
    times: each(items, 'times', parseTemperatureTime),
  };
}

const PARSERS: ParserTable = {
  voiceMessage: voice('voiceMessage'),
  voiceMessage2: voice('voiceMessage2'),
  setUploadInterval: (f) => ({
    type: 'setUploadInterval',
    intervalSeconds: parseWholeNumber(single(f), 'intervalSeconds'),
  }),
  locateNow: bare('locateNow'),
  setTrackingPeriods: ({ params }) => ({
    type: 'setTrackingPeriods',
    periods: each(params, 'periods', parseHourPeriod),
  }),
  setWeekendTrackingPeriods: ({ params }) => ({
    type: 'setWeekendTrackingPeriods',
    periods: each(params, 'periods', parseHourPeriod),
  }),
  setTrackingDuration: (f) => ({
    type: 'setTrackingDuration',
    minutes: parseWholeNumber(single(f), 'minutes'),
  }),
  powerOff: bare('powerOff'),
  restart: bare('restart'),
  factoryReset: bare('factoryReset'),
  findWatch: bare('findWatch'),
  queryFirmware: bare('queryFirmware'),
  queryParameters: bare('queryParameters'),
  setCentreNumber: oneNumber('setCentreNumber'),
  setAssistantNumber: oneNumber('setAssistantNumber'),
  setSosNumbers: ({ params }) => {
    expectCount(params, 3);
    const slot = (i: number): string | null => (params[i] === '' ? null : (params[i] ?? null));
    return { type: 'setSosNumbers', phoneNumbers: [slot(0), slot(1), slot(2)] };
  },
  setSosNumber1: oneNumber('setSosNumber1'),
  setSosNumber2: oneNumber('setSosNumber2'),
  setSosNumber3: oneNumber('setSosNumber3'),
  setPhonebook1: phonebookPage('setPhonebook1'),
  setPhonebook2: phonebookPage('setPhonebook2'),
  setPhonebook3: phonebookPage('setPhonebook3'),
  setPhonebookEntry: ({ params }) => {
    expectCount(params, 3, 4);
    if ((params[3] ?? '') !== '')
      throw new CommandError('photo', 'contact photos are not supported');
    return {
      type: 'setPhonebookEntry',
      slot: parseWholeNumber(params[0], 'slot'),
      name: parseHexText(params[1], 'name'),
      phoneNumber: params[2] ?? '',
    };
  },
  deletePhonebookEntry: (f) => ({
    type: 'deletePhonebookEntry',
    slot: parseWholeNumber(single(f), 'slot'),
  }),
  setAllowedCallers1: ({ params }) => ({ type: 'setAllowedCallers1', phoneNumbers: params }),
  setAllowedCallers2: ({ params }) => ({ type: 'setAllowedCallers2', phoneNumbers: params }),
  setSosSms: onOff('setSosSms'),
  setLowBatteryAlarm: onOff('setLowBatteryAlarm'),
  setRemovalAlarm: onOff('setRemovalAlarm'),
  setRemovalSms: onOff('setRemovalSms'),
  setLanguageAndTimeZone: ({ params }) => {
    expectCount(params, 2);
    const utcOffsetHours = parseUtcOffset(params[1], 'utcOffsetHours');
    if (params[0] === '') return { type: 'setLanguageAndTimeZone', utcOffsetHours };
    const language = parseWholeNumber(params[0], 'language');
    return { type: 'setLanguageAndTimeZone', language, utcOffsetHours };
  },
  setLanguage: (f) => ({ type: 'setLanguage', language: parseWholeNumber(single(f), 'language') }),
  setTimeZone: (f) => ({
    type: 'setTimeZone',
    utcOffsetHours: parseUtcOffset(single(f), 'utcOffsetHours'),
  }),
  setQuietTimes: ({ params }) => ({
    type: 'setQuietTimes',
    periods: each(params, 'periods', parsePeriod),
  }),
  setWeeklyQuietTimes: ({ params }) => ({
    type: 'setWeeklyQuietTimes',
    periods: each(params, 'periods', parseWeeklyPeriod),
  }),
  setAlarms: ({ params }) => ({ type: 'setAlarms', alarms: each(params, 'alarms', parseAlarm) }),
  setPedometerPeriods: ({ params }) => ({
    type: 'setPedometerPeriods',
    periods: each(params, 'periods', parsePeriod),
  }),
  setSleepPeriod: (f) => ({ type: 'setSleepPeriod', period: parsePeriod(single(f), 'period') }),
  setPedometer: onOff('setPedometer'),
  setRewards: (f) => ({ type: 'setRewards', count: parseWholeNumber(single(f), 'count') }),
  showText: (f) => ({ type: 'showText', text: parseHexText(single(f), 'text') }),
  setRingProfile: (f) => ({
    type: 'setRingProfile',
    profile: parseCode(RING_PROFILE_CODES, single(f), 'profile'),
  }),
  removeFriends: bare('removeFriends'),
  takePhoto: bare('takePhoto'),
  setHeartRateInterval: (f) => ({
    type: 'setHeartRateInterval',
    measurement: parseHeartRateMeasurement(single(f), 'measurement'),
  }),
  measureTemperature: bare('measureTemperature'),
  setFallAlarm: ({ params }) => {
    expectCount(params, 2);
    return {
      type: 'setFallAlarm',
      isEnabled: parseFlag(params[0], 'isEnabled'),
      shouldCallCentre: parseFlag(params[1], 'shouldCallCentre'),
    };
  },
  setFallSensitivity: (f) => ({ type: 'setFallSensitivity', ...parseLevelOfScale(single(f)) }),
  setTemperatureInterval: ({ params }) => {
    expectCount(params, 2);
    return {
      type: 'setTemperatureInterval',
      isEnabled: parseFlag(params[0], 'isEnabled'),
      intervalHours: parseWholeNumber(params[1], 'intervalHours'),
    };
  },
  setTemperatureSchedule: temperatureTimes,
  setBluetooth: onOff('setBluetooth'),
};

function commandName(keyword: string): CommandName {
  const entry = lookupKeyword(keyword);
  if (entry?.direction === 'forbidden') {
    throw new CommandError('keyword', `${keyword} (covert listening) is never a Kinwatch command`);
  }
  if (entry === undefined || (entry.direction !== 'down' && entry.direction !== 'both')) {
    throw new CommandError('keyword', `${keyword} is not a command`);
  }
  return entry.name as CommandName;
}

function decodeOrThrow(frame: Buffer): CommandDecodeResult {
  const opened = openEnvelope(frame);
  if (!opened.ok) return { ok: false, reason: opened.reason };
  const { envelope, content } = opened;
  const commaAt = content.indexOf(0x2c);
  const name = commandName(
    content.toString('latin1', 0, commaAt === -1 ? content.length : commaAt),
  );
  const payload = commaAt === -1 ? undefined : content.subarray(commaAt + 1);
  const isBinary = name === 'voiceMessage' || name === 'voiceMessage2';
  const params = payload === undefined || isBinary ? [] : payload.toString('latin1').split(',');
  const parse = PARSERS[name] as (fields: Fields) => Command;
  const command = parse({ payload, params });
  validateCommand(command);
  const target: FrameTarget =
    envelope.index === undefined
      ? { vendor: envelope.vendor, deviceId: envelope.deviceId }
      : { vendor: envelope.vendor, deviceId: envelope.deviceId, index: envelope.index };
  return { ok: true, target, command };
}

/**
 * Reads a downlink frame (one whole `[...]`, as the splitter yields it) back into the command
 * it carries and the target it was addressed to; the watch simulator acts on the result.
 * Accepts what `encodeCommand` writes and the usual variations (lower-case LENGTH or hex, an
 * unpadded or signed offset, `7:30` or `07:30`); a LENGTH mismatch is ignored, as watches do.
 * Commands that fail validation, reply frames (`LK`, `AL`...) and `MONITOR` come back as
 * `ok: false` with the reason. Never throws.
 */
export function decodeCommand(frame: Buffer): CommandDecodeResult {
  try {
    return decodeOrThrow(frame);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'undecodable command' };
  }
}
