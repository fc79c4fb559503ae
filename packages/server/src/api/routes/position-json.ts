import { POSITION_SOURCES, type Position } from '@kinwatch/core';

/**
 * A page of positions as JSON bytes, in the shape of the route's schema (`positionSchema`),
 * written directly. The general way, a presented copy of each position with its two times as
 * ISO strings and then `JSON.stringify`, took longer than reading and opening the positions:
 * `Date.prototype.toISOString` alone costs 1 to 2 µs a call, and a string built from a few
 * dozen pieces per position is copied again to be flattened and again to be encoded
 * (bench/history.bench.ts). Here each byte is written once, into one buffer.
 */
export function positionPageJson(
  positions: readonly Position[],
  nextCursor: string | null,
): Buffer {
  const json = new JsonBytes(64 + positions.length * BYTES_PER_POSITION);
  json.reserve(PAGE_START.length);
  json.chunk(PAGE_START);
  for (let index = 0; index < positions.length; index++) {
    json.reserve(MAX_POSITION_BYTES);
    if (index > 0) json.chunk(COMMA);
    writePosition(json, positions[index] as Position);
  }
  json.reserve(PAGE_CURSOR.length);
  json.chunk(PAGE_CURSOR);
  json.text(nextCursor === null ? 'null' : JSON.stringify(nextCursor));
  json.reserve(PAGE_END.length);
  json.chunk(PAGE_END);
  return json.done();
}

/** About what a position takes, so that a page is written without growing the buffer. */
const BYTES_PER_POSITION = 300;
/**
 * The most a position takes, its flags and an unknown source aside (those reserve their own
 * room): the names, two times, and six numbers of at most 25 characters each.
 */
const MAX_POSITION_BYTES = 512;

const ascii = (text: string) => Buffer.from(text, 'latin1');
const PAGE_START = ascii('{"positions":[');
const COMMA = ascii(',');
const PAGE_CURSOR = ascii('],"nextCursor":');
const PAGE_END = ascii('}');
const RECORDED_AT = ascii('{"recordedAt":"');
const RECEIVED_AT = ascii('","receivedAt":"');
const SOURCE = ascii('","source":');
const LATITUDE = ascii(',"latitude":');
const LONGITUDE = ascii(',"longitude":');
const ACCURACY = ascii(',"accuracyMeters":');
const SPEED = ascii(',"speedKmh":');
const COURSE = ascii(',"courseDegrees":');
const ALTITUDE = ascii(',"altitudeMeters":');
const IS_BUFFERED_TRUE = ascii(',"isBuffered":true,"flags":');
const IS_BUFFERED_FALSE = ascii(',"isBuffered":false,"flags":');
const POSITION_END = ascii('}');
const NULL = ascii('null');
const NO_FLAGS = ascii('[]');
const SOURCES = new Map(POSITION_SOURCES.map((source) => [source, ascii(JSON.stringify(source))]));

function writePosition(json: JsonBytes, position: Position): void {
  json.chunk(RECORDED_AT);
  json.isoTime(position.recordedAt);
  json.chunk(RECEIVED_AT);
  json.isoTime(position.receivedAt);
  json.chunk(SOURCE);
  const source = SOURCES.get(position.source);
  if (source === undefined) json.text(JSON.stringify(position.source));
  else json.chunk(source);
  json.chunk(LATITUDE);
  json.number(position.latitude);
  json.chunk(LONGITUDE);
  json.number(position.longitude);
  json.chunk(ACCURACY);
  json.number(position.accuracyMeters);
  json.chunk(SPEED);
  json.number(position.speedKmh);
  json.chunk(COURSE);
  json.number(position.courseDegrees);
  json.chunk(ALTITUDE);
  json.number(position.altitudeMeters);
  json.chunk(position.isBuffered ? IS_BUFFERED_TRUE : IS_BUFFERED_FALSE);
  if (position.flags.length === 0) json.chunk(NO_FLAGS);
  else json.text(JSON.stringify(position.flags));
  json.chunk(POSITION_END);
}

const DAY_MS = 86_400_000;
const ZERO = 0x30;

/**
 * A growing buffer of JSON bytes. `chunk`, `number` and `isoTime` write without checking for
 * room: the caller reserves it first, once for a whole position.
 */
class JsonBytes {
  #bytes: Buffer;
  #length = 0;
  #day = Number.NaN;
  /** `YYYY-MM-DDT` of `#day`. */
  #dayPrefix: Buffer = Buffer.alloc(0);

  constructor(capacity: number) {
    this.#bytes = Buffer.allocUnsafe(capacity);
  }

  done(): Buffer {
    return this.#bytes.subarray(0, this.#length);
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#bytes.length) return;
    const larger = Buffer.allocUnsafe(Math.max(needed, this.#bytes.length * 2));
    this.#bytes.copy(larger, 0, 0, this.#length);
    this.#bytes = larger;
  }

  /** A few bytes, copied in a loop: for so few, faster than `set` or `copy`. */
  chunk(chunk: Uint8Array): void {
    const bytes = this.#bytes;
    let at = this.#length;
    for (let index = 0; index < chunk.length; index++) bytes[at++] = chunk[index] as number;
    this.#length = at;
  }

  /** Any text, encoded as UTF-8; makes its own room. */
  text(value: string): void {
    this.reserve(Buffer.byteLength(value, 'utf8'));
    this.#length += this.#bytes.write(value, this.#length, 'utf8');
  }

  /** As JSON.stringify writes a number (the same shortest round-trip digits); null if none. */
  number(value: number | null): void {
    if (value === null || !Number.isFinite(value)) {
      this.chunk(NULL);
      return;
    }
    const digits = String(value);
    const bytes = this.#bytes;
    let at = this.#length;
    // Digits, sign, point and exponent: ASCII, a byte each.
    for (let index = 0; index < digits.length; index++) bytes[at++] = digits.charCodeAt(index);
    this.#length = at;
  }

  /**
   * `Date.prototype.toISOString`, the date part formatted once per day: a page holds thousands
   * of times over a few days.
   */
  isoTime(date: Date): void {
    const ms = date.getTime();
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.#day) {
      const iso = date.toISOString();
      // Years outside 0000-9999 are written with a sign and six digits: leave those to it.
      if (iso.length !== 24) {
        this.text(iso);
        return;
      }
      this.#day = day;
      this.#dayPrefix = ascii(iso.slice(0, 11));
    }
    this.chunk(this.#dayPrefix);
    const inDay = ms - day * DAY_MS;
    const millis = inDay % 1000;
    const seconds = Math.floor(inDay / 1000) % 60;
    const minutes = Math.floor(inDay / 60_000) % 60;
    const hours = Math.floor(inDay / 3_600_000);
    const bytes = this.#bytes;
    let at = this.#length;
    bytes[at++] = ZERO + Math.floor(hours / 10);
    bytes[at++] = ZERO + (hours % 10);
    bytes[at++] = 0x3a; // :
    bytes[at++] = ZERO + Math.floor(minutes / 10);
    bytes[at++] = ZERO + (minutes % 10);
    bytes[at++] = 0x3a;
    bytes[at++] = ZERO + Math.floor(seconds / 10);
    bytes[at++] = ZERO + (seconds % 10);
    bytes[at++] = 0x2e; // .
    bytes[at++] = ZERO + Math.floor(millis / 100);
    bytes[at++] = ZERO + (Math.floor(millis / 10) % 10);
    bytes[at++] = ZERO + (millis % 10);
    bytes[at++] = 0x5a; // Z
    this.#length = at;
  }
}
