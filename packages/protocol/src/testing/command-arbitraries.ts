/**
 * fast-check generators of valid downlink commands (one per command name, so a new command
 * cannot be left out of the property tests) and of frame targets.
 */
import fc from 'fast-check';
import type { FrameTarget } from '../frame/envelope.ts';
import { KEYWORD_TABLE, type CommandName } from '../keywords.ts';
import type {
  AlarmClock,
  BareCommandName,
  Command,
  CommandOf,
  HourPeriod,
  NumberCommandName,
  PhonebookEntry,
  PhonebookPageName,
  SwitchCommandName,
  TimePeriod,
  Weekdays,
} from '../downlink/command.model.ts';
import { COMMAND_LIMITS as L } from '../downlink/command.validator.ts';

/** Plain objects, as JSON.parse makes them: fast-check also makes null-prototype ones. */
function record<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}

const digits = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...Array.from('0123456789')), minLength, maxLength });

const hexDigits = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.constantFrom(...Array.from('0123456789ABCDEFabcdef')),
    minLength,
    maxLength,
  });

export const phoneNumberArb: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), digits(L.phoneNumberDigits.min, L.phoneNumberDigits.max))
  .map(([hasPlus, number]) => (hasPlus ? `+${number}` : number));

/** Printable UTF-16: ASCII, Latin, CJK, private use, and astral characters as surrogate pairs. */
const displayUnit: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xa0, max: 0xd7ff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xe000, max: 0xfffd }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
);

const textArb = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .array(displayUnit, { minLength: min, maxLength: max })
    .map((units) => units.join(''))
    .filter((text) => text.length >= min && text.length <= max);

export const clockTimeArb: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const periodArb: fc.Arbitrary<TimePeriod> = record({
  start: clockTimeArb,
  end: clockTimeArb,
}).filter((p) => p.start !== p.end);

const weekdaysArb: fc.Arbitrary<Weekdays> = fc.tuple(
  fc.boolean(),
  fc.boolean(),
  fc.boolean(),
  fc.boolean(),
  fc.boolean(),
  fc.boolean(),
  fc.boolean(),
);

const hourPeriodArb: fc.Arbitrary<HourPeriod> = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 24 }))
  .filter(([start, end]) => start < end)
  .map(([startHour, endHour]) => ({ startHour, endHour }));

const alarmArb: fc.Arbitrary<AlarmClock> = fc.oneof(
  record({
    time: clockTimeArb,
    isEnabled: fc.boolean(),
    repeat: fc.constantFrom('once' as const, 'daily' as const),
  }),
  record({
    time: clockTimeArb,
    isEnabled: fc.boolean(),
    repeat: fc.constant('weekly' as const),
    weekdays: weekdaysArb,
  }),
);

const entryArb: fc.Arbitrary<PhonebookEntry> = record({
  name: textArb(L.phonebookNameUnits.min, L.phonebookNameUnits.max),
  phoneNumber: phoneNumberArb,
});

const integer = (range: { min: number; max: number }): fc.Arbitrary<number> => fc.integer(range);

/** Mostly real AMR-like bytes, with the five bytes that need escaping over-represented. */
const audioArb: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(fc.constantFrom(0x7d, 0x5b, 0x5d, 0x2c, 0x2a), fc.integer({ min: 0, max: 255 })),
    {
      minLength: 1,
      maxLength: 400,
    },
  )
  .map((bytes) => Uint8Array.from(bytes));

const bare = <K extends BareCommandName>(type: K) => fc.constant({ type });
const onOff = <K extends SwitchCommandName>(type: K) =>
  record({ type: fc.constant(type), isEnabled: fc.boolean() });
const oneNumber = <K extends NumberCommandName>(type: K) =>
  record({ type: fc.constant(type), phoneNumber: phoneNumberArb });
const page = <K extends PhonebookPageName>(type: K) =>
  record({
    type: fc.constant(type),
    entries: fc.array(fc.option(entryArb, { nil: null }), { minLength: 1, maxLength: 5 }),
  });
const periods = <K extends 'setQuietTimes' | 'setPedometerPeriods'>(type: K, max: number) =>
  record({
    type: fc.constant(type),
    periods: fc.array(periodArb, { minLength: 1, maxLength: max }),
  });
const hourPeriods = <K extends 'setTrackingPeriods' | 'setWeekendTrackingPeriods'>(type: K) =>
  record({
    type: fc.constant(type),
    periods: fc.array(hourPeriodArb, { minLength: 1, maxLength: L.trackingPeriods }),
  });
const callers = <K extends 'setAllowedCallers1' | 'setAllowedCallers2'>(type: K) =>
  record({
    type: fc.constant(type),
    phoneNumbers: fc.array(phoneNumberArb, { minLength: 1, maxLength: L.allowedCallersPerList }),
  });
const voice = <K extends 'voiceMessage' | 'voiceMessage2'>(type: K) =>
  record({ type: fc.constant(type), audio: audioArb });
const offsetArb = fc.integer({ min: -48, max: 56 }).map((quarters) => quarters / 4);
const sosSlot = fc.option(phoneNumberArb, { nil: null });

/** One generator per command name; the mapped type makes leaving one out a compile error. */
export const COMMAND_ARBITRARIES: { readonly [K in CommandName]: fc.Arbitrary<CommandOf<K>> } = {
  voiceMessage: voice('voiceMessage'),
  voiceMessage2: voice('voiceMessage2'),
  setUploadInterval: record({
    type: fc.constant('setUploadInterval'),
    intervalSeconds: integer(L.uploadIntervalSeconds),
  }),
  locateNow: bare('locateNow'),
  setTrackingPeriods: hourPeriods('setTrackingPeriods'),
  setWeekendTrackingPeriods: hourPeriods('setWeekendTrackingPeriods'),
  setTrackingDuration: record({
    type: fc.constant('setTrackingDuration'),
    minutes: integer(L.trackingDurationMinutes),
  }),
  powerOff: bare('powerOff'),
  restart: bare('restart'),
  factoryReset: bare('factoryReset'),
  findWatch: bare('findWatch'),
  queryFirmware: bare('queryFirmware'),
  queryParameters: bare('queryParameters'),
  setCentreNumber: oneNumber('setCentreNumber'),
  setAssistantNumber: oneNumber('setAssistantNumber'),
  setSosNumbers: record({
    type: fc.constant('setSosNumbers'),
    phoneNumbers: fc.tuple(sosSlot, sosSlot, sosSlot),
  }),
  setSosNumber1: oneNumber('setSosNumber1'),
  setSosNumber2: oneNumber('setSosNumber2'),
  setSosNumber3: oneNumber('setSosNumber3'),
  setPhonebook1: page('setPhonebook1'),
  setPhonebook2: page('setPhonebook2'),
  setPhonebook3: page('setPhonebook3'),
  setPhonebookEntry: record({
    type: fc.constant('setPhonebookEntry'),
    slot: integer(L.phonebookEntrySlot),
    name: textArb(L.phonebookNameUnits.min, L.phonebookNameUnits.max),
    phoneNumber: phoneNumberArb,
  }),
  deletePhonebookEntry: record({
    type: fc.constant('deletePhonebookEntry'),
    slot: integer(L.phonebookEntrySlot),
  }),
  setAllowedCallers1: callers('setAllowedCallers1'),
  setAllowedCallers2: callers('setAllowedCallers2'),
  setSosSms: onOff('setSosSms'),
  setLowBatteryAlarm: onOff('setLowBatteryAlarm'),
  setRemovalAlarm: onOff('setRemovalAlarm'),
  setRemovalSms: onOff('setRemovalSms'),
  setLanguageAndTimeZone: fc.record(
    {
      type: fc.constant('setLanguageAndTimeZone'),
      language: integer(L.languageCode),
      utcOffsetHours: offsetArb,
    },
    { requiredKeys: ['type', 'utcOffsetHours'], noNullPrototype: true },
  ),
  setLanguage: record({ type: fc.constant('setLanguage'), language: integer(L.languageCode) }),
  setTimeZone: record({ type: fc.constant('setTimeZone'), utcOffsetHours: offsetArb }),
  setQuietTimes: periods('setQuietTimes', L.quietPeriods),
  setWeeklyQuietTimes: record({
    type: fc.constant('setWeeklyQuietTimes'),
    periods: fc.array(
      fc.tuple(periodArb, weekdaysArb).map(([p, weekdays]) => ({ ...p, weekdays })),
      { minLength: 1, maxLength: L.quietPeriods },
    ),
  }),
  setAlarms: record({
    type: fc.constant('setAlarms'),
    alarms: fc.array(alarmArb, { minLength: 1, maxLength: L.alarms }),
  }),
  setPedometerPeriods: periods('setPedometerPeriods', L.pedometerPeriods),
  setSleepPeriod: record({ type: fc.constant('setSleepPeriod'), period: periodArb }),
  setPedometer: onOff('setPedometer'),
  setRewards: record({ type: fc.constant('setRewards'), count: integer(L.rewardCount) }),
  showText: record({
    type: fc.constant('showText'),
    text: textArb(L.messageUnits.min, L.messageUnits.max),
  }),
  setRingProfile: record({
    type: fc.constant('setRingProfile'),
    profile: fc.constantFrom('vibrateAndRing', 'ring', 'vibrate', 'silent'),
  }),
  removeFriends: bare('removeFriends'),
  takePhoto: bare('takePhoto'),
  setHeartRateInterval: record({
    type: fc.constant('setHeartRateInterval'),
    measurement: fc.oneof(
      fc.constant({ kind: 'off' as const }),
      fc.constant({ kind: 'once' as const }),
      record({
        kind: fc.constant('periodic' as const),
        intervalSeconds: integer(L.heartRateIntervalSeconds),
      }),
    ),
  }),
  measureTemperature: bare('measureTemperature'),
  setFallAlarm: record({
    type: fc.constant('setFallAlarm'),
    isEnabled: fc.boolean(),
    shouldCallCentre: fc.boolean(),
  }),
  setFallSensitivity: integer(L.fallSensitivityLevels).chain((maxLevel) =>
    record({
      type: fc.constant('setFallSensitivity'),
      level: fc.integer({ min: L.fallSensitivityLevels.min, max: maxLevel }),
      maxLevel: fc.constant(maxLevel),
    }),
  ),
  setTemperatureInterval: record({
    type: fc.constant('setTemperatureInterval'),
    isEnabled: fc.boolean(),
    intervalHours: integer(L.temperatureIntervalHours),
  }),
  setTemperatureSchedule: record({
    type: fc.constant('setTemperatureSchedule'),
    times: fc.array(
      record({ time: clockTimeArb, repeat: fc.constantFrom('daily' as const, 'once' as const) }),
      { minLength: 1, maxLength: L.temperatureTimes },
    ),
  }),
  setBluetooth: onOff('setBluetooth'),
};

type TableEntry = (typeof KEYWORD_TABLE)[number];

/** Every command name, in keyword-table order, read from the table rather than from above. */
export const COMMAND_NAMES: readonly CommandName[] = KEYWORD_TABLE.filter(
  (e): e is Extract<TableEntry, { direction: 'down' | 'both' }> =>
    e.direction === 'down' || e.direction === 'both',
).map((e) => e.name);

/** The generator of one kind of command. */
export function commandArbFor(name: CommandName): fc.Arbitrary<Command> {
  return COMMAND_ARBITRARIES[name] as fc.Arbitrary<Command>;
}

/** One valid command of the kind, the same on every run. */
export function sampleCommand(name: CommandName): Command {
  const [command] = fc.sample(commandArbFor(name), { numRuns: 1, seed: 7 });
  if (command === undefined) throw new Error(`no sample for ${name}`);
  return command;
}

/** Any valid command, every kind equally likely. */
export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  ...(Object.values(COMMAND_ARBITRARIES) as fc.Arbitrary<Command>[]),
);

/** Vendor codes seen in the wild plus random ones; ids of 5-20 digits; an index or none. */
export const targetArb: fc.Arbitrary<FrameTarget> = fc.record(
  {
    vendor: fc.oneof(
      fc.constantFrom('3G', 'SG', 'CS', 'ZJ', 'YW', '3g'),
      fc.string({
        unit: fc.constantFrom(...Array.from('0123456789ABCZabcz')),
        minLength: 2,
        maxLength: 2,
      }),
    ),
    deviceId: digits(5, 20),
    index: hexDigits(1, 8),
  },
  { requiredKeys: ['vendor', 'deviceId'], noNullPrototype: true },
);
