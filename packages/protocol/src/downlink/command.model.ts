import type { CommandName } from '../keywords.ts';

/**
 * The commands Kinwatch sends to a watch, one member per descriptive name in the keyword
 * table. Values are in the units their names say; the encoder turns them into wire text.
 * Commands are plain data (no classes, `null` rather than `undefined` inside arrays) so they
 * survive a trip through JSON, except the `audio` bytes of voice messages.
 */

interface Base<K extends CommandName> {
  readonly type: K;
}

/** A 24-hour clock time, zero-padded: `'07:30'`, `'21:10'`. */
export type ClockTime = string;

/** One flag per day, Sunday first, Saturday last (the V3.2 document's mask order). */
export type Weekdays = readonly [boolean, boolean, boolean, boolean, boolean, boolean, boolean];

/** A daily period; `end` may be earlier than `start` for a period that spans midnight. */
export interface TimePeriod {
  readonly start: ClockTime;
  readonly end: ClockTime;
}

export interface WeeklyTimePeriod extends TimePeriod {
  readonly weekdays: Weekdays;
}

/** Whole hours, `startHour` 0..23 and `endHour` 1..24, start before end. */
export interface HourPeriod {
  readonly startHour: number;
  readonly endHour: number;
}

export interface PhonebookEntry {
  /** Shown on the watch; 1 to 10 UTF-16 code units. */
  readonly name: string;
  readonly phoneNumber: string;
}

export type AlarmClock = {
  readonly time: ClockTime;
  readonly isEnabled: boolean;
} & (
  { readonly repeat: 'once' | 'daily' } | { readonly repeat: 'weekly'; readonly weekdays: Weekdays }
);

export type HeartRateMeasurement =
  | { readonly kind: 'off' }
  | { readonly kind: 'once' }
  | { readonly kind: 'periodic'; readonly intervalSeconds: number };

export type RingProfile = 'vibrateAndRing' | 'ring' | 'vibrate' | 'silent';

export interface TemperatureMeasurementTime {
  readonly time: ClockTime;
  readonly repeat: 'daily' | 'once';
}

/**
 * Commands without parameters. `removeFriends` is the one the watch never acknowledges.
 * `takePhoto` (`rcapture`) makes the watch take a photo without the child's involvement: the
 * privacy rules forbid remote photo capture, so the server's command allowlist must not let
 * it through; the codec models it only because the keyword table lists it as a command.
 */
export type BareCommandName =
  | 'locateNow'
  | 'powerOff'
  | 'restart'
  | 'factoryReset'
  | 'findWatch'
  | 'queryFirmware'
  | 'queryParameters'
  | 'removeFriends'
  | 'takePhoto'
  | 'measureTemperature';

/** On/off switches (`SOSSMS,1`, `PEDO,0`...). */
export type SwitchCommandName =
  | 'setSosSms'
  | 'setLowBatteryAlarm'
  | 'setRemovalAlarm'
  | 'setRemovalSms'
  | 'setPedometer'
  | 'setBluetooth';

/** One number in one place: the centre (admin) number, the assistant number, one SOS slot. */
export type NumberCommandName =
  'setCentreNumber' | 'setAssistantNumber' | 'setSosNumber1' | 'setSosNumber2' | 'setSosNumber3';

/** Phonebook pages: entries 1-5, 6-10 and 11-15 of the watch's contact list. */
export type PhonebookPageName = 'setPhonebook1' | 'setPhonebook2' | 'setPhonebook3';

type BareCommand = { [K in BareCommandName]: Base<K> }[BareCommandName];

type SwitchCommand = {
  [K in SwitchCommandName]: Base<K> & { readonly isEnabled: boolean };
}[SwitchCommandName];

type NumberCommand = {
  [K in NumberCommandName]: Base<K> & { readonly phoneNumber: string };
}[NumberCommandName];

type PhonebookPage = {
  [K in PhonebookPageName]: Base<K> & {
    /**
     * The page's slots in order, 1 to 5. `null` sends the slot's two fields empty, which the
     * vendor cloud does for unused slots (`PHB,1111111,<name>,2222222,<name>,,,,,,`, issue
     * #2702); a shorter list sends fewer fields, as the V3.2 document's example does.
     */
    readonly entries: readonly (PhonebookEntry | null)[];
  };
}[PhonebookPageName];

type AllowedCallers = {
  [K in 'setAllowedCallers1' | 'setAllowedCallers2']: Base<K> & {
    /** 1 to 5 numbers per list. The firmware's exact layout is unverified (reference §6.2). */
    readonly phoneNumbers: readonly string[];
  };
}['setAllowedCallers1' | 'setAllowedCallers2'];

type VoiceCommand = {
  [K in 'voiceMessage' | 'voiceMessage2']: Base<K> & {
    /** AMR-NB audio as it should play (unescaped); the encoder escapes it. */
    readonly audio: Uint8Array;
  };
}['voiceMessage' | 'voiceMessage2'];

type TrackingPeriods = {
  [K in 'setTrackingPeriods' | 'setWeekendTrackingPeriods']: Base<K> & {
    readonly periods: readonly HourPeriod[];
  };
}['setTrackingPeriods' | 'setWeekendTrackingPeriods'];

export interface SetUploadInterval extends Base<'setUploadInterval'> {
  /** How often a moving watch reports its position. A stationary watch sends nothing. */
  readonly intervalSeconds: number;
}

export interface SetTrackingDuration extends Base<'setTrackingDuration'> {
  /** How long tracking stays on after a locate-now. */
  readonly minutes: number;
}

export interface SetSosNumbers extends Base<'setSosNumbers'> {
  /** SOS slots 1-3; `null` leaves a field empty (how firmware reads that is unverified). */
  readonly phoneNumbers: readonly [string | null, string | null, string | null];
}

export interface SetPhonebookEntry extends Base<'setPhonebookEntry'> {
  /** Position in the watch's long phonebook (elderly models), 1-based [?]. */
  readonly slot: number;
  readonly name: string;
  readonly phoneNumber: string;
}

export interface DeletePhonebookEntry extends Base<'deletePhonebookEntry'> {
  readonly slot: number;
}

/** Language codes are undocumented; issue #2702 reports 5 as German. */
export interface SetLanguageAndTimeZone extends Base<'setLanguageAndTimeZone'> {
  /** Absent: the field is sent empty and the watch keeps its language (Traccar's default). */
  readonly language?: number;
  /** Standard-time offset from UTC in hours, a multiple of 0.25 (`5.75` for Nepal). */
  readonly utcOffsetHours: number;
}

export interface SetLanguage extends Base<'setLanguage'> {
  readonly language: number;
}

export interface SetTimeZone extends Base<'setTimeZone'> {
  readonly utcOffsetHours: number;
}

/** Class mode on weekdays: calls and games are blocked during the periods. */
export interface SetQuietTimes extends Base<'setQuietTimes'> {
  readonly periods: readonly TimePeriod[];
}

export interface SetWeeklyQuietTimes extends Base<'setWeeklyQuietTimes'> {
  readonly periods: readonly WeeklyTimePeriod[];
}

export interface SetAlarms extends Base<'setAlarms'> {
  readonly alarms: readonly AlarmClock[];
}

export interface SetPedometerPeriods extends Base<'setPedometerPeriods'> {
  readonly periods: readonly TimePeriod[];
}

/** The window in which turn-overs ("tumbles") are counted. */
export interface SetSleepPeriod extends Base<'setSleepPeriod'> {
  readonly period: TimePeriod;
}

/** The "little red flowers" reward counter shown on the watch. */
export interface SetRewards extends Base<'setRewards'> {
  readonly count: number;
}

export interface ShowText extends Base<'showText'> {
  /** 1 to 100 UTF-16 code units, no control characters. */
  readonly text: string;
}

export interface SetRingProfile extends Base<'setRingProfile'> {
  readonly profile: RingProfile;
}

export interface SetHeartRateInterval extends Base<'setHeartRateInterval'> {
  readonly measurement: HeartRateMeasurement;
}

export interface SetFallAlarm extends Base<'setFallAlarm'> {
  readonly isEnabled: boolean;
  /** Whether the watch also phones the centre number after a fall (a normal, audible call). */
  readonly shouldCallCentre: boolean;
}

/** Fall-detection sensitivity: a larger level is less sensitive (`LSSET,3+6`). */
export interface SetFallSensitivity extends Base<'setFallSensitivity'> {
  readonly level: number;
  /** The top of the scale the level is on: 6 in the V3.2 document. */
  readonly maxLevel: number;
}

export interface SetTemperatureInterval extends Base<'setTemperatureInterval'> {
  readonly isEnabled: boolean;
  readonly intervalHours: number;
}

export interface SetTemperatureSchedule extends Base<'setTemperatureSchedule'> {
  readonly times: readonly TemperatureMeasurementTime[];
}

export type Command =
  | BareCommand
  | SwitchCommand
  | NumberCommand
  | PhonebookPage
  | AllowedCallers
  | VoiceCommand
  | TrackingPeriods
  | SetUploadInterval
  | SetTrackingDuration
  | SetSosNumbers
  | SetPhonebookEntry
  | DeletePhonebookEntry
  | SetLanguageAndTimeZone
  | SetLanguage
  | SetTimeZone
  | SetQuietTimes
  | SetWeeklyQuietTimes
  | SetAlarms
  | SetPedometerPeriods
  | SetSleepPeriod
  | SetRewards
  | ShowText
  | SetRingProfile
  | SetHeartRateInterval
  | SetFallAlarm
  | SetFallSensitivity
  | SetTemperatureInterval
  | SetTemperatureSchedule;

/** The member of `Command` with the given name. */
export type CommandOf<K extends CommandName> = Extract<Command, { readonly type: K }>;

/**
 * One function per command name, each given the command and any `Args`. Tables of this type
 * are how the validator, the encoder and the decoder stay complete: adding a command to the
 * keyword table without handling it in each of them does not compile.
 */
export type CommandTable<R, Args extends unknown[] = []> = {
  readonly [K in CommandName]: (command: CommandOf<K>, ...args: Args) => R;
};

/** Calls the table's function for the command's type. */
export function dispatchCommand<R, Args extends unknown[]>(
  table: CommandTable<R, Args>,
  command: Command,
  ...args: Args
): R {
  const handler = table[command.type] as (command: Command, ...args: Args) => R;
  return handler(command, ...args);
}

/** A parameter (or the frame target) is invalid. `field` is a path such as `entries[2].name`. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
