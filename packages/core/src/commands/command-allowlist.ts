/**
 * The commands Kinwatch may send to a watch, by descriptive name. The gateway refuses anything
 * else, whatever a client or a stored row asks for. Covert listening (`MONITOR`), re-pointing the
 * watch to another server (`IP`), firmware upgrades from a URL, and the SMS-control switches are
 * not here and cannot be sent (ARCHITECTURE.md, "Privacy by design").
 */
export const ALLOWED_COMMANDS = [
  'setUploadInterval',
  'locateNow',
  'setTrackingPeriods',
  'setWeekendTrackingPeriods',
  'setTrackingDuration',
  'powerOff',
  'restart',
  'factoryReset',
  'findWatch',
  'queryFirmware',
  'queryParameters',
  'setCentreNumber',
  'setAssistantNumber',
  'setSosNumbers',
  'setSosNumber1',
  'setSosNumber2',
  'setSosNumber3',
  'setPhonebook1',
  'setPhonebook2',
  'setPhonebook3',
  'setPhonebookEntry',
  'deletePhonebookEntry',
  'setAllowedCallers1',
  'setAllowedCallers2',
  'setSosSms',
  'setLowBatteryAlarm',
  'setRemovalAlarm',
  'setRemovalSms',
  'setLanguageAndTimeZone',
  'setLanguage',
  'setTimeZone',
  'setQuietTimes',
  'setWeeklyQuietTimes',
  'setAlarms',
  'setPedometerPeriods',
  'setSleepPeriod',
  'setPedometer',
  'setRewards',
  'showText',
  'setRingProfile',
  'removeFriends',
  'takePhoto',
  'voiceMessage',
  'voiceMessage2',
  'setHeartRateInterval',
  'measureTemperature',
  'setTemperatureInterval',
  'setTemperatureSchedule',
  'setFallAlarm',
  'setFallSensitivity',
  'setBluetooth',
] as const;

export type AllowedCommandType = (typeof ALLOWED_COMMANDS)[number];

const allowed = new Set<string>(ALLOWED_COMMANDS);

export function isAllowedCommand(type: string): type is AllowedCommandType {
  return allowed.has(type);
}
