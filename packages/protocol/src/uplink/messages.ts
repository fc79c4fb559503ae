import type { Envelope } from '../frame/envelope.ts';
import type { CommandName } from '../keywords.ts';

/** Alarm bits 16..22 of the status word, each reported on its own. */
export type AlarmName =
  'sos' | 'lowBattery' | 'fenceOut' | 'fenceIn' | 'removed' | 'fall' | 'heartRateAbnormal';

export interface Cell {
  /** Location area code (or CDMA network id), decimal after any hex conversion. */
  readonly lac: number;
  /** Cell id (or CDMA base station id). */
  readonly cid: number;
  /** Signal as sent by the watch; undefined when the field was empty. */
  readonly rssi: number | undefined;
}

export interface WifiAccessPoint {
  /** The network name as sent, possibly empty, possibly holding brackets. */
  readonly ssid: string;
  /** Lower-case hex with colons, octets as sent (not always zero-padded). */
  readonly mac: string;
  /** dBm, negative. */
  readonly rssi: number;
}

export interface NetworkObservation {
  readonly radio: 'gsm' | 'cdma';
  readonly timingAdvance: number | undefined;
  /** Undefined when absent or sent as FFFF (operator unknown). */
  readonly mcc: number | undefined;
  readonly mnc: number | undefined;
  /** False when MCC/MNC are absent or FFFF: the cells cannot be looked up. */
  readonly isOperatorKnown: boolean;
  /** Serving cell first. */
  readonly cells: readonly Cell[];
  /** Strongest first, entries without a MAC or signal dropped. */
  readonly wifi: readonly WifiAccessPoint[];
  /** The SG layout that sends TA/MCC/MNC placeholders with zero cells. */
  readonly hasPlaceholderLayout: boolean;
}

/** The location block shared by UD, UD2, AL, WT, PP and their variants. */
export interface LocationBlock {
  /** Device time, read as UTC (DDMMYY HHMMSS on the wire). */
  readonly recordedAt: Date;
  /** A: the watch had a satellite fix. V: coordinates are zero or stale. */
  readonly hasGnssFix: boolean;
  /** Signed decimal degrees after the hemisphere rules. */
  readonly latitude: number;
  readonly longitude: number;
  /** A hemisphere letter was empty, so the sign could not be confirmed. */
  readonly isHemisphereMissing: boolean;
  readonly speedKmh: number;
  readonly courseDegrees: number;
  readonly altitudeMeters: number;
  readonly satellites: number;
  /** GSM signal, 0..100. */
  readonly gsmSignalPercent: number;
  readonly batteryPercent: number;
  readonly steps: number;
  /** Turn-overs counted while asleep. */
  readonly tumbles: number;
  /** The status word as sent (hex). */
  readonly status: string;
  /** Every alarm bit set (16..22), each on its own. */
  readonly alarms: readonly AlarmName[];
  /** The set state bits 0..15 (0 low battery, 1 outside fence, 2 inside fence, 3 wrist, 4 motion, 14 power cut). */
  readonly stateBits: readonly number[];
  readonly network: NetworkObservation;
  /** Trailing accuracy in metres on newer firmware; undefined when absent or zero. */
  readonly accuracyMeters: number | undefined;
  /** Fields after the Wi-Fi list, as sent (usually the accuracy, or an SG `00`/`10`). */
  readonly tail: readonly string[];
}

interface Base<T extends string> {
  readonly type: T;
  /** The keyword exactly as received. */
  readonly keyword: string;
}

export interface LinkKeepAlive extends Base<'linkKeepAlive'> {
  readonly steps: number | undefined;
  readonly tumbles: number | undefined;
  readonly batteryPercent: number | undefined;
  /** All values as sent; some firmware sends two values of unknown meaning. */
  readonly values: readonly string[];
}

export interface Login extends Base<'login'> {
  readonly phoneNumber: string;
  readonly firmware: string | undefined;
  readonly values: readonly string[];
}

export interface SimCardId extends Base<'simCardId'> {
  readonly iccid: string;
}

export interface SimIdentity extends Base<'simIdentity'> {
  readonly iccid: string;
  readonly imei: string | undefined;
  readonly imsi: string | undefined;
  readonly eid: string | undefined;
  readonly transport: string | undefined;
}

export interface ImeiReport extends Base<'imeiReport'> {
  readonly imei: string;
}

export interface CapabilityReport extends Base<'capabilityReport'> {
  /** KEY:VALUE pairs in the order sent (`TY` model, `UL` upload ms, `VR` firmware...). */
  readonly entries: ReadonlyMap<string, string>;
}

export interface FeatureReport extends Base<'featureReport'> {
  readonly features: readonly { readonly code: string; readonly label: string }[];
}

export type BindingCheck = Base<'bindingCheck'>;

export interface LocationReport extends Base<'locationReport' | 'bufferedLocationReport'> {
  readonly location: LocationBlock;
}

export interface AlarmReport extends Base<'alarmReport'> {
  readonly location: LocationBlock;
}

export interface WeatherRequest extends Base<'weatherRequest'> {
  readonly location: LocationBlock;
}

export interface AddressRequest extends Base<'addressRequest'> {
  readonly language: string | undefined;
  readonly location: LocationBlock;
}

export interface NetworkLocationRequest extends Base<'networkLocationRequest'> {
  readonly location: LocationBlock;
}

export interface CellReport extends Base<'cellReport'> {
  readonly network: NetworkObservation;
}

export interface FriendBump extends Base<'friendBump'> {
  /** The watch clock as sent, HHMMSS. */
  readonly watchClock: string;
  readonly location: LocationBlock;
}

export type VoiceQuery = Base<'voiceQuery' | 'friendVoiceQuery'>;

export interface VoiceMessage extends Base<'voiceMessage'> {
  /** AMR-NB audio, unescaped (starts with `#!AMR\n` on real watches). */
  readonly audio: Buffer;
}

export interface VoiceChunk extends Base<'voiceChunk'> {
  readonly name: string;
  /** 1-based. */
  readonly part: number;
  readonly total: number;
  /** This chunk's audio, unescaped. */
  readonly audio: Buffer;
}

export interface Photo extends Base<'photo'> {
  /** The first parameter (5 in the vendor document); meaning undocumented. */
  readonly sequence: string;
  /** Device time the photo was taken (YYMMDDhhmmss, read as UTC); undefined if unreadable. */
  readonly takenAt: Date | undefined;
  /** JPEG bytes, unescaped. */
  readonly jpeg: Buffer;
}

export interface HeartRate extends Base<'heartRate'> {
  /** Beats per minute; 0 means the measurement failed. */
  readonly beatsPerMinute: number;
}

export interface BloodPressure extends Base<'bloodPressure'> {
  readonly systolicMmHg: number;
  readonly diastolicMmHg: number;
  readonly beatsPerMinute: number | undefined;
}

export interface BodyTemperature extends Base<'bodyTemperature'> {
  readonly site: 'forehead' | 'wrist' | 'unknown';
  readonly celsius: number;
}

export interface BloodOxygen extends Base<'bloodOxygen'> {
  readonly saturationPercent: number;
}

export interface CallLog extends Base<'callLog'> {
  readonly phoneNumber: string;
  readonly contactName: string;
  readonly direction: 'incoming' | 'outgoing' | 'unknown';
  readonly isAnswered: boolean;
  readonly startedAt: Date | undefined;
  readonly durationSeconds: number;
}

/**
 * The watch answering a command. `command` is the descriptive name of what it answers;
 * `covertListening` means someone else (SMS, another server) commanded this watch.
 */
export interface CommandAck extends Base<'commandAck'> {
  readonly command: CommandName | 'covertListening';
  /** Values after the keyword: a result code (`TK,1`), a firmware version, or the echoed command. */
  readonly values: readonly string[];
  /** For acks that carry one: 1 ok, 0 failed. */
  readonly isSuccess: boolean | undefined;
}

export interface Unknown extends Base<'unknown'> {
  readonly values: readonly string[];
}

export type UplinkMessage =
  | LinkKeepAlive
  | Login
  | SimCardId
  | SimIdentity
  | ImeiReport
  | CapabilityReport
  | FeatureReport
  | BindingCheck
  | LocationReport
  | AlarmReport
  | WeatherRequest
  | AddressRequest
  | NetworkLocationRequest
  | CellReport
  | FriendBump
  | VoiceQuery
  | VoiceMessage
  | VoiceChunk
  | Photo
  | HeartRate
  | BloodPressure
  | BodyTemperature
  | BloodOxygen
  | CallLog
  | CommandAck
  | Unknown;

export type UplinkType = UplinkMessage['type'];

export interface DecodedFrame<M extends UplinkMessage = UplinkMessage> {
  readonly envelope: Envelope;
  readonly message: M;
}

/** Why a frame was refused. The envelope is there when the header was readable. */
export interface DecodeFailure {
  readonly reason: string;
  readonly envelope: Envelope | undefined;
  readonly keyword: string | undefined;
}

export type DecodeResult =
  { readonly ok: true; readonly frame: DecodedFrame } | ({ readonly ok: false } & DecodeFailure);
