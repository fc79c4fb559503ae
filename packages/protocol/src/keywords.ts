/**
 * The one table of vendor keywords. Every two-letter (or otherwise cryptic) keyword of the
 * watch protocol appears here next to the descriptive name the rest of Kinwatch uses.
 *
 * `up` entries are messages a watch sends on its own; `down` entries are commands the server
 * may send (the watch acknowledges them with the same keyword); `both` travel either way;
 * `reply` entries are frames the server sends only in answer to an uplink message.
 */

export type KeywordDirection = 'up' | 'down' | 'both' | 'reply' | 'forbidden';

interface KeywordEntry {
  readonly keyword: string;
  readonly name: string;
  readonly direction: KeywordDirection;
}

function entry<const K extends string, const N extends string, const D extends KeywordDirection>(
  keyword: K,
  name: N,
  direction: D,
): { readonly keyword: K; readonly name: N; readonly direction: D } {
  return { keyword, name, direction };
}

export const KEYWORD_TABLE = [
  // link and identity
  entry('LK', 'linkKeepAlive', 'up'),
  entry('INIT', 'login', 'up'),
  entry('CCID', 'simCardId', 'up'),
  entry('ICCID', 'simIdentity', 'up'),
  entry('RYIMEI', 'imeiReport', 'up'),
  entry('CONFIG', 'capabilityReport', 'up'),
  entry('APPANDFNREPORT', 'featureReport', 'up'),
  entry('DEVPWDCHECKBIND', 'bindingCheck', 'up'),
  // positions and alarms
  entry('UD', 'locationReport', 'up'),
  entry('UD3', 'locationReport', 'up'),
  entry('UD_LTE', 'locationReport', 'up'),
  entry('UD_WCDMA', 'locationReport', 'up'),
  entry('UD_TDSCDMA', 'locationReport', 'up'),
  entry('UD_CDMA', 'locationReport', 'up'),
  entry('UD2', 'bufferedLocationReport', 'up'),
  entry('AL', 'alarmReport', 'up'),
  entry('AL_LTE', 'alarmReport', 'up'),
  entry('AL_WCDMA', 'alarmReport', 'up'),
  entry('AL_CDMA', 'alarmReport', 'up'),
  entry('ALCUSTOMER1', 'alarmReport', 'up'),
  entry('WT', 'weatherRequest', 'up'),
  entry('WT_LTE', 'weatherRequest', 'up'),
  entry('WAD', 'addressRequest', 'up'),
  entry('WG', 'networkLocationRequest', 'up'),
  entry('GS1', 'cellReport', 'up'),
  entry('PP', 'friendBump', 'up'),
  // voice and photos
  entry('TKQ', 'voiceQuery', 'up'),
  entry('TKQ2', 'friendVoiceQuery', 'up'),
  entry('JXTK', 'voiceChunk', 'up'),
  entry('img', 'photo', 'up'),
  // health
  entry('heart', 'heartRate', 'up'),
  entry('PULSE', 'heartRate', 'up'),
  entry('bphrt', 'bloodPressure', 'up'),
  entry('BLOOD', 'bloodPressure', 'up'),
  entry('btemp2', 'bodyTemperature', 'up'),
  entry('TEMP', 'bodyTemperature', 'up'),
  entry('oxygen', 'bloodOxygen', 'up'),
  entry('calllog', 'callLog', 'up'),
  // commands (server to watch); the watch acknowledges with the same keyword. Voice travels
  // both ways under one keyword.
  entry('TK', 'voiceMessage', 'both'),
  entry('TK2', 'voiceMessage2', 'both'),
  entry('UPLOAD', 'setUploadInterval', 'down'),
  entry('CR', 'locateNow', 'down'),
  entry('WORK', 'setTrackingPeriods', 'down'),
  entry('WORK2', 'setWeekendTrackingPeriods', 'down'),
  entry('WORKTIME', 'setTrackingDuration', 'down'),
  entry('POWEROFF', 'powerOff', 'down'),
  entry('RESET', 'restart', 'down'),
  entry('FACTORY', 'factoryReset', 'down'),
  entry('FIND', 'findWatch', 'down'),
  entry('VERNO', 'queryFirmware', 'down'),
  entry('CENTER', 'setCentreNumber', 'down'),
  entry('SLAVE', 'setAssistantNumber', 'down'),
  entry('SOS', 'setSosNumbers', 'down'),
  entry('SOS1', 'setSosNumber1', 'down'),
  entry('SOS2', 'setSosNumber2', 'down'),
  entry('SOS3', 'setSosNumber3', 'down'),
  entry('PHB', 'setPhonebook1', 'down'),
  entry('PHB2', 'setPhonebook2', 'down'),
  entry('PHB3', 'setPhonebook3', 'down'),
  entry('PHBX', 'setPhonebookEntry', 'down'),
  entry('DPHBX', 'deletePhonebookEntry', 'down'),
  entry('WHITELIST1', 'setAllowedCallers1', 'down'),
  entry('WHITELIST2', 'setAllowedCallers2', 'down'),
  entry('SOSSMS', 'setSosSms', 'down'),
  entry('LOWBAT', 'setLowBatteryAlarm', 'down'),
  entry('REMOVE', 'setRemovalAlarm', 'down'),
  entry('REMOVESMS', 'setRemovalSms', 'down'),
  entry('LZ', 'setLanguageAndTimeZone', 'down'),
  entry('LANG', 'setLanguage', 'down'),
  entry('ZONE', 'setTimeZone', 'down'),
  entry('SILENCETIME', 'setQuietTimes', 'down'),
  entry('SILENCETIME2', 'setWeeklyQuietTimes', 'down'),
  entry('REMIND', 'setAlarms', 'down'),
  entry('WALKTIME', 'setPedometerPeriods', 'down'),
  entry('SLEEPTIME', 'setSleepPeriod', 'down'),
  entry('PEDO', 'setPedometer', 'down'),
  entry('FLOWER', 'setRewards', 'down'),
  entry('MESSAGE', 'showText', 'down'),
  entry('profile', 'setRingProfile', 'down'),
  entry('PPR', 'removeFriends', 'down'),
  entry('rcapture', 'takePhoto', 'down'),
  entry('hrtstart', 'setHeartRateInterval', 'down'),
  entry('bodytemp2', 'measureTemperature', 'down'),
  entry('FALLDOWN', 'setFallAlarm', 'down'),
  entry('LSSET', 'setFallSensitivity', 'down'),
  entry('bodytemp', 'setTemperatureInterval', 'down'),
  entry('BTTIMESET', 'setTemperatureSchedule', 'down'),
  entry('BT', 'setBluetooth', 'down'),
  entry('TS', 'queryParameters', 'down'),
  // frames the server sends only as answers
  entry('JXTKR', 'voiceChunkReceipt', 'reply'),
  entry('RAD', 'addressReply', 'reply'),
  entry('RG', 'networkLocationReply', 'reply'),
  entry('pp', 'friendBumpReply', 'reply'),
  // covert listening: never sent by Kinwatch. Listed so that a watch acknowledging it (someone
  // else commanded the watch, e.g. by SMS) is recognised and reported, never silently ignored.
  entry('MONITOR', 'covertListening', 'forbidden'),
] as const satisfies readonly KeywordEntry[];

export type Keyword = (typeof KEYWORD_TABLE)[number]['keyword'];

type EntryOf<D extends KeywordDirection> = Extract<
  (typeof KEYWORD_TABLE)[number],
  { direction: D }
>;

/**
 * Descriptive names of the commands Kinwatch can send.
 *
 * Deliberately absent, although watches understand them (reference §6, §10): `MONITOR` (the
 * watch silently calls a number back: covert listening; kept above as a `forbidden` row only so
 * its acknowledgement is noticed), `IP` and `UPGRADE` (re-point the watch to another server or
 * flash other firmware: takeover), `APN` (reroutes the watch's data), `ANY` (accept SMS commands
 * from any sender) and `PW` (changes the SMS password: takeover and lock-out), `CALL` and `SMS`
 * (make the watch call or text any number: covert use and toll fraud). Do not add them.
 */
export type CommandName = EntryOf<'down' | 'both'>['name'];

/** Descriptive names of the messages a watch sends on its own. */
export type UplinkName = EntryOf<'up'>['name'];

const byKeyword = new Map<string, KeywordEntry>(KEYWORD_TABLE.map((e) => [e.keyword, e]));
const commandKeywordByName = new Map<string, string>(
  KEYWORD_TABLE.filter((e) => e.direction === 'down' || e.direction === 'both').map((e) => [
    e.name,
    e.keyword,
  ]),
);

/** The two-character keywords of the table, by their character codes (first * 256 + second). */
const twoCharacterKeywords = new Map<number, string>(
  KEYWORD_TABLE.filter((e) => e.keyword.length === 2).map((e) => [
    e.keyword.charCodeAt(0) * 256 + e.keyword.charCodeAt(1),
    e.keyword,
  ]),
);

/**
 * The table's two-character keyword made of these character codes, if there is one. Most
 * frames carry such a keyword (location reports, keep-alives, alarms); taking the table's string
 * instead of cutting a new one from the frame spares a copy and the hashing of the new string
 * in every lookup by keyword.
 */
export function twoCharacterKeyword(first: number, second: number): string | undefined {
  return twoCharacterKeywords.get(first * 256 + second);
}

/** Looks up a keyword exactly as received (keywords are case-sensitive on the wire). */
export function lookupKeyword(keyword: string): KeywordEntry | undefined {
  return byKeyword.get(keyword);
}

/** The wire keyword of a command, by its descriptive name. */
export function commandKeyword(name: CommandName): string {
  const keyword = commandKeywordByName.get(name);
  if (keyword === undefined) throw new Error(`unknown command name ${name}`);
  return keyword;
}
