/**
 * Commands from the server to a watch: the model, its validation, the encoder, the decoder
 * (for the watch simulator) and the matching of acknowledgements to pending commands.
 */
export {
  CommandError,
  dispatchCommand,
  type AlarmClock,
  type BareCommandName,
  type ClockTime,
  type Command,
  type CommandOf,
  type CommandTable,
  type DeletePhonebookEntry,
  type HeartRateMeasurement,
  type HourPeriod,
  type NumberCommandName,
  type PhonebookEntry,
  type PhonebookPageName,
  type RingProfile,
  type SetAlarms,
  type SetFallAlarm,
  type SetFallSensitivity,
  type SetHeartRateInterval,
  type SetLanguage,
  type SetLanguageAndTimeZone,
  type SetPedometerPeriods,
  type SetPhonebookEntry,
  type SetQuietTimes,
  type SetRewards,
  type SetRingProfile,
  type SetSleepPeriod,
  type SetSosNumbers,
  type SetTemperatureInterval,
  type SetTemperatureSchedule,
  type SetTimeZone,
  type SetTrackingDuration,
  type SetUploadInterval,
  type SetWeeklyQuietTimes,
  type ShowText,
  type SwitchCommandName,
  type TemperatureMeasurementTime,
  type TimePeriod,
  type WeeklyTimePeriod,
  type Weekdays,
} from './command.model.ts';
export { COMMAND_LIMITS, validateCommand, validateTarget } from './command.validator.ts';
export { encodeCommand, type EncodeOptions } from './command.encoder.ts';
export { decodeCommand, type CommandDecodeResult } from './command.decoder.ts';
export {
  ACK_TIMEOUT_SECONDS,
  ackTimeoutSeconds,
  expectsAck,
  matchAck,
  type PendingCommand,
} from './ack.matcher.ts';
