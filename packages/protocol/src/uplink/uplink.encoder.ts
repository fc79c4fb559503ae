/**
 * Encoders for the frames a watch sends: the inverse of the uplink decoders. The watch
 * simulator and the codec's round-trip tests use them; the server never sends these.
 *
 * Every encoder writes what the decoder reads back to the same values, at the precision stated
 * on each field, and throws RangeError for a value the wire format cannot carry (a comma inside
 * a text field, a year outside 2000..2099, a latitude past 90 degrees...). Values no watch could
 * physically report (a battery at 150 %, a Wi-Fi signal of +20 dBm) are written as given, so
 * that the server's plausibility checks can be tested; the decoder refuses or drops them.
 */
import { encodeBinaryFrame, encodeFrame, type FrameTarget } from '../frame/envelope.ts';
import { KEYWORD_TABLE, lookupKeyword, type CommandName } from '../keywords.ts';
import type { AlarmName, Cell, WifiAccessPoint } from './messages.ts';

/** The alarms of status bits 16..22, in bit order (the decoder reads the same order). */
export const ALARM_NAMES: readonly AlarmName[] = [
  'sos',
  'lowBattery',
  'fenceOut',
  'fenceIn',
  'removed',
  'fall',
  'heartRateAbnormal',
];
/** `aa:bb:cc:dd:ee:ff`; firmware does not always zero-pad octets (`38:37:8b:7:cf:99`). */
const MAC_ADDRESS = /^([0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}$/;

/** The cells and access points a watch saw. Cells need TA/MCC/MNC; empty ones are sent empty. */
export interface NetworkInput {
  readonly timingAdvance?: number | undefined;
  readonly mcc?: number | undefined;
  readonly mnc?: number | undefined;
  /** Serving cell first. LAC and CID are written in decimal. */
  readonly cells?: readonly Cell[];
  /** Strongest first. SSIDs must not contain commas (the wire has no way to escape them). */
  readonly wifi?: readonly WifiAccessPoint[];
}

/**
 * What a location block says. A decoded `LocationBlock` fits as is (its `status` and other
 * derived fields are ignored: the status word is rebuilt from `alarms` and `stateBits`).
 * Omitted numbers are sent as 0.
 */
export interface LocationBlockInput {
  /** Sent as DDMMYY,HHMMSS in UTC; milliseconds are dropped; year 2000..2099. */
  readonly recordedAt: Date;
  readonly hasGnssFix: boolean;
  /** Signed degrees; sent unsigned with N/S (6 decimals) and E/W (7 decimals). */
  readonly latitude: number;
  readonly longitude: number;
  /** Speed 2 decimals; course and altitude (may be negative) 1 decimal. */
  readonly speedKmh?: number;
  readonly courseDegrees?: number;
  readonly altitudeMeters?: number;
  readonly satellites?: number;
  readonly gsmSignalPercent?: number;
  readonly batteryPercent?: number;
  readonly steps?: number;
  readonly tumbles?: number;
  /** Alarm bits 16..22 (any subset, any order) and state bits 0..15. */
  readonly alarms?: readonly AlarmName[];
  readonly stateBits?: readonly number[];
  readonly network?: NetworkInput;
  /** Metres, 2 decimals. */
  readonly accuracyMeters?: number | undefined;
}

/** `keyword` defaults to the first keyword the keyword table lists for the type. */
interface Input<T extends string> {
  readonly type: T;
  readonly keyword?: string;
}

export interface LinkKeepAliveInput extends Input<'linkKeepAlive'> {
  readonly steps?: number | undefined;
  readonly tumbles?: number | undefined;
  readonly batteryPercent?: number | undefined;
  /** Sent verbatim when non-empty, instead of the three counters. */
  readonly values?: readonly string[];
}

/** `UD`, `UD2`, `AL` and their variants; an alarm's kinds are `location.alarms`. */
export interface PositionInput extends Input<
  'locationReport' | 'bufferedLocationReport' | 'alarmReport'
> {
  readonly location: LocationBlockInput;
}

export type VoiceQueryInput = Input<'voiceQuery' | 'friendVoiceQuery'>;

export interface VoiceMessageInput extends Input<'voiceMessage'> {
  /** AMR audio, unescaped; at least 2 bytes (a lone `0`/`1` is an acknowledgement). */
  readonly audio: Uint8Array;
}

export interface VoiceChunkInput extends Input<'voiceChunk'> {
  readonly name: string;
  /** 1-based, at most `total`. */
  readonly part: number;
  readonly total: number;
  readonly audio: Uint8Array;
}

export interface PhotoInput extends Input<'photo'> {
  /** The first parameter; the vendor document shows `5`. Default `5`. */
  readonly sequence?: string;
  /** Sent as YYMMDDhhmmss UTC; undefined sends zeros, which decode as undefined. */
  readonly takenAt: Date | undefined;
  /** JPEG bytes, unescaped, not empty. */
  readonly jpeg: Uint8Array;
}

export interface HeartRateInput extends Input<'heartRate'> {
  /** 0 means the measurement failed. */
  readonly beatsPerMinute: number;
}

export interface CommandAckInput extends Input<'commandAck'> {
  /** The command answered; its keyword is the ack's keyword unless `keyword` is given. */
  readonly command: CommandName | 'covertListening';
  /** Nothing for a bare ack; a result (`1`), or the echoed parameters. For voice: `1` or `0`. */
  readonly values?: readonly string[];
}

export type UplinkInput =
  | LinkKeepAliveInput
  | PositionInput
  | VoiceQueryInput
  | VoiceMessageInput
  | VoiceChunkInput
  | PhotoInput
  | HeartRateInput
  | CommandAckInput;

function finite(value: number, field: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${field} is not a finite number`);
  return value;
}

/** Fixed-point text without trailing zeros, never in exponent form and never `-0`. */
function decimal(value: number, digits: number, field: string): string {
  let text = finite(value, field).toFixed(digits);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

function integer(value: number, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): string {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${field} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return String(value);
}

function optionalInteger(value: number | undefined, field: string, min = 0): string {
  return value === undefined ? '' : integer(value, field, min);
}

/** A text field: the CSV split has no escape, so a comma would shift every later field. */
function text(value: string, field: string): string {
  if (value.includes(',')) throw new RangeError(`${field} must not contain a comma`);
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0xff) throw new RangeError(`${field} must be Latin-1`);
  }
  return value;
}

/** DDMMYY and HHMMSS in UTC. The wire has a two-digit year, read back as 20YY. */
function utcParts(at: Date, field: string): { date: string; time: string } {
  finite(at.getTime(), field);
  const year = at.getUTCFullYear();
  if (year < 2000 || year > 2099) throw new RangeError(`${field} must be in 2000..2099`);
  const iso = at.toISOString();
  return {
    date: iso.slice(8, 10) + iso.slice(5, 7) + iso.slice(2, 4),
    time: iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19),
  };
}

function coordinate(value: number, limit: number, digits: number, letters: string): string[] {
  if (!(Math.abs(finite(value, 'coordinate')) <= limit)) {
    throw new RangeError(`coordinate ${value} is beyond ±${limit}`);
  }
  const text = decimal(Math.abs(value), digits, 'coordinate');
  // A value that rounds to zero is sent as N/E: there is no such thing as 0 south.
  const letter = value < 0 && text !== '0' ? letters[0] : letters[1];
  return [text, letter ?? ''];
}

function statusWord(alarms: readonly AlarmName[], stateBits: readonly number[]): string {
  let word = 0;
  for (const bit of stateBits) word |= 1 << Number(integer(bit, 'state bit', 0, 15));
  for (const alarm of alarms) {
    const at = ALARM_NAMES.indexOf(alarm);
    if (at === -1) throw new RangeError(`unknown alarm ${alarm}`);
    word |= 1 << (16 + at);
  }
  return (word >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

function networkFields(network: NetworkInput | undefined): string[] {
  const cells = network?.cells ?? [];
  const wifi = network?.wifi ?? [];
  const out = [String(cells.length)];
  // With no cells the TA/MCC/MNC triple is left out: the decoder would otherwise take it for
  // the SG placeholder layout (`0,1,,,,00`).
  if (cells.length > 0) {
    out.push(optionalInteger(network?.timingAdvance, 'timingAdvance'));
    out.push(optionalInteger(network?.mcc, 'mcc'), optionalInteger(network?.mnc, 'mnc'));
  }
  for (const cell of cells) {
    out.push(integer(cell.lac, 'lac'), integer(cell.cid, 'cid'));
    out.push(optionalInteger(cell.rssi, 'cell rssi', Number.MIN_SAFE_INTEGER));
  }
  out.push(String(wifi.length));
  for (const ap of wifi) {
    if (!MAC_ADDRESS.test(ap.mac)) throw new RangeError(`${ap.mac} is not a MAC address`);
    out.push(text(ap.ssid, 'ssid'), ap.mac, integer(ap.rssi, 'wifi rssi', Number.MIN_SAFE_INTEGER));
  }
  return out;
}

/** Always with a decimal point: that is how the decoder tells accuracy from other tails. */
function accuracyField(accuracyMeters: number | undefined): string[] {
  if (accuracyMeters === undefined) return [];
  const value = decimal(accuracyMeters, 2, 'accuracyMeters');
  return [value.includes('.') ? value : `${value}.0`];
}

/**
 * The comma-separated location block of reference §3 (without a keyword), e.g.
 * `220414,134652,A,22.571707,N,113.8613968,E,0.1,0,100,7,60,90,1000,50,00010000,1,1,460,0,9360,4082,131,0`.
 * The Wi-Fi count is always written (0 when there are none). Throws RangeError as described on
 * `LocationBlockInput`.
 */
export function encodeLocationBlock(block: LocationBlockInput): string {
  const { date, time } = utcParts(block.recordedAt, 'recordedAt');
  return [
    date,
    time,
    block.hasGnssFix ? 'A' : 'V',
    ...coordinate(block.latitude, 90, 6, 'SN'),
    ...coordinate(block.longitude, 180, 7, 'WE'),
    decimal(block.speedKmh ?? 0, 2, 'speedKmh'),
    decimal(block.courseDegrees ?? 0, 1, 'courseDegrees'),
    decimal(block.altitudeMeters ?? 0, 1, 'altitudeMeters'),
    integer(block.satellites ?? 0, 'satellites'),
    integer(block.gsmSignalPercent ?? 0, 'gsmSignalPercent'),
    integer(block.batteryPercent ?? 0, 'batteryPercent'),
    integer(block.steps ?? 0, 'steps'),
    integer(block.tumbles ?? 0, 'tumbles'),
    statusWord(block.alarms ?? [], block.stateBits ?? []),
    ...networkFields(block.network),
    ...accuracyField(block.accuracyMeters),
  ].join(',');
}

/** The keyword to send for a descriptive name: the given one if the table agrees, else the first. */
function keywordFor(name: string, given: string | undefined): string {
  if (given !== undefined) {
    if (lookupKeyword(given)?.name !== name) throw new RangeError(`${given} is not a ${name}`);
    return given;
  }
  const entry = KEYWORD_TABLE.find((e) => e.name === name);
  if (entry === undefined) throw new RangeError(`no keyword for ${name}`);
  return entry.keyword;
}

function withValues(keyword: string, values: readonly string[]): string {
  return values.length === 0
    ? keyword
    : `${keyword},${values.map((v) => text(v, 'value')).join(',')}`;
}

function keepAliveContent(keyword: string, m: LinkKeepAliveInput): string {
  if (m.values !== undefined && m.values.length > 0) return withValues(keyword, m.values);
  const counters = [m.steps, m.tumbles, m.batteryPercent];
  if (counters.every((c) => c === undefined)) return keyword;
  const fields = counters.map((c, i) => integer(c ?? 0, `counter ${i + 1}`));
  return withValues(keyword, fields);
}

function commandAck(target: FrameTarget, m: CommandAckInput): Buffer {
  const keyword = keywordFor(m.command, m.keyword);
  const values = m.values ?? [];
  const isVoice = m.command === 'voiceMessage' || m.command === 'voiceMessage2';
  // `TK,<payload>` is voice unless the payload is the single result byte.
  if (isVoice && !(values.length === 1 && (values[0] === '1' || values[0] === '0'))) {
    throw new RangeError('a voice acknowledgement carries exactly 1 or 0');
  }
  return encodeFrame(target, withValues(keyword, values));
}

function binary(target: FrameTarget, prefix: string, payload: Uint8Array, min: number): Buffer {
  if (payload.length < min) throw new RangeError(`${prefix} payload shorter than ${min} bytes`);
  return encodeBinaryFrame(target, prefix, payload);
}

/**
 * One whole uplink frame for `target` (vendor, id, and index when the firmware uses one), with
 * the exact LENGTH; binary payloads are escaped. Throws RangeError for a value the protocol
 * cannot carry, or a `keyword` the keyword table does not give to the message's type.
 */
export function encodeUplink(target: FrameTarget, m: UplinkInput): Buffer {
  const keyword = keywordFor(m.type === 'commandAck' ? m.command : m.type, m.keyword);
  switch (m.type) {
    case 'linkKeepAlive':
      return encodeFrame(target, keepAliveContent(keyword, m));
    case 'locationReport':
    case 'bufferedLocationReport':
    case 'alarmReport':
      return encodeFrame(target, `${keyword},${encodeLocationBlock(m.location)}`);
    case 'voiceQuery':
    case 'friendVoiceQuery':
      return encodeFrame(target, keyword);
    case 'voiceMessage':
      return binary(target, `${keyword},`, m.audio, 2);
    case 'voiceChunk': {
      const numbers = `${integer(m.part, 'part', 1, m.total)},${integer(m.total, 'total', 1)}`;
      // The first field's meaning is unknown; the only capture (G6W) sends 0.
      return binary(target, `${keyword},0,${text(m.name, 'name')},${numbers},`, m.audio, 0);
    }
    case 'photo':
      return binary(target, `${keyword},${photoHeader(m)},`, m.jpeg, 1);
    case 'heartRate':
      return encodeFrame(target, withValues(keyword, [integer(m.beatsPerMinute, 'bpm')]));
    case 'commandAck':
      return commandAck(target, m);
  }
}

/** `<sequence>,<YYMMDDhhmmss>`: the stamp reverses the location block's DDMMYY. */
function photoHeader(m: PhotoInput): string {
  const sequence = text(m.sequence ?? '5', 'sequence');
  if (m.takenAt === undefined) return `${sequence},${'0'.repeat(12)}`;
  const { date, time } = utcParts(m.takenAt, 'takenAt');
  return `${sequence},${date.slice(4, 6)}${date.slice(2, 4)}${date.slice(0, 2)}${time}`;
}
