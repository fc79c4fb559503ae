import { POSITION_SOURCES, type Position } from './position.model.ts';

/**
 * The JSON form of a position in the API (the `Position` schema of the history routes: its
 * fields but the watch id, times as ISO 8601 in UTC), written as UTF-8 bytes. It lives here
 * rather than with the routes because stored blocks of positions keep it ready-made
 * (docs/adr/0008-position-json-in-blocks.md): the API and the storage must write the same bytes.
 *
 * The general way, a presented copy of each position with its two times as ISO strings and then
 * `JSON.stringify`, took longer than reading and opening the positions: `toISOString` alone
 * costs 1 to 2 µs a call, and a string built from a few dozen pieces per position is copied
 * again to be flattened and again to be encoded. Here each byte is written once.
 */

/**
 * The version of these bytes. Stored blocks record the version their JSON was written in and
 * are not used, and are made again, under any other: change it with any change to what
 * `writePosition` writes for some position.
 */
export const POSITION_JSON_FORMAT = 1;

/** About what a position takes, so that a page is written without growing the buffer. */
export const POSITION_JSON_BYTES = 300;

/**
 * The most a position takes, its flags and an unknown source aside (those reserve their own
 * room): the names, two times, and six numbers of at most 25 characters each.
 */
const MAX_POSITION_BYTES = 512;

const encoder = new TextEncoder();
const ascii = (text: string) => encoder.encode(text);
const COMMA = 0x2c;
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

const DAY_MS = 86_400_000;
const ZERO = 0x30;

/** Bytes of each chunk after the first. */
const CHUNK_BYTES = 64 * 1024;

/**
 * A growing buffer of JSON bytes (positions, commas, bytes written elsewhere), kept in chunks
 * of 64 KB: its writers do not know beforehand how much they will write (a page of a day is
 * some 400 KB), and growing one buffer would copy what is written again at each doubling.
 */
export class PositionJsonBuffer {
  readonly #full: Uint8Array[] = [];
  #fullBytes = 0;
  #bytes: Uint8Array;
  #length = 0;
  #day = Number.NaN;
  /** `YYYY-MM-DDT` of `#day`. */
  #dayPrefix: Uint8Array = new Uint8Array(0);

  /** `capacity`: the size of the first chunk. */
  constructor(capacity = 256) {
    this.#bytes = new Uint8Array(Math.max(capacity, 16));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#fullBytes + this.#length;
  }

  /** The bytes written so far, in order: views of the chunks, not copies. */
  chunks(): Uint8Array[] {
    const last = this.#bytes.subarray(0, this.#length);
    return last.length === 0 ? [...this.#full] : [...this.#full, last];
  }

  /** The bytes written so far, in one array (a copy when there are several chunks). */
  bytes(): Uint8Array {
    const chunks = this.chunks();
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    const bytes = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  }

  /** Writes a position's JSON object. */
  position(position: Position): void {
    this.#reserve(MAX_POSITION_BYTES);
    this.#chunk(RECORDED_AT);
    this.#isoTime(position.recordedAt);
    this.#chunk(RECEIVED_AT);
    this.#isoTime(position.receivedAt);
    this.#chunk(SOURCE);
    const source = SOURCES.get(position.source);
    if (source === undefined) this.text(JSON.stringify(position.source));
    else this.#chunk(source);
    this.#chunk(LATITUDE);
    this.#number(position.latitude);
    this.#chunk(LONGITUDE);
    this.#number(position.longitude);
    this.#chunk(ACCURACY);
    this.#number(position.accuracyMeters);
    this.#chunk(SPEED);
    this.#number(position.speedKmh);
    this.#chunk(COURSE);
    this.#number(position.courseDegrees);
    this.#chunk(ALTITUDE);
    this.#number(position.altitudeMeters);
    this.#chunk(position.isBuffered ? IS_BUFFERED_TRUE : IS_BUFFERED_FALSE);
    if (position.flags.length === 0) this.#chunk(NO_FLAGS);
    else this.text(JSON.stringify(position.flags));
    this.#chunk(POSITION_END);
  }

  /** A comma: between two items of a list. */
  comma(): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = COMMA;
  }

  /** Bytes written elsewhere, copied as they are (across chunks if need be). */
  raw(bytes: Uint8Array): void {
    let from = 0;
    while (from < bytes.length) {
      if (this.#length === this.#bytes.length) this.#nextChunk(0);
      const count = Math.min(bytes.length - from, this.#bytes.length - this.#length);
      this.#bytes.set(bytes.subarray(from, from + count), this.#length);
      this.#length += count;
      from += count;
    }
  }

  /** Any text, encoded as UTF-8. */
  text(value: string): void {
    // At most 3 bytes per UTF-16 unit.
    this.#reserve(value.length * 3);
    this.#length += encoder.encodeInto(value, this.#bytes.subarray(this.#length)).written;
  }

  /** Makes room for `extra` more bytes in the current chunk. */
  #reserve(extra: number): void {
    if (this.#length + extra > this.#bytes.length) this.#nextChunk(extra);
  }

  /** Closes the current chunk and starts one of at least `extra` bytes. */
  #nextChunk(extra: number): void {
    if (this.#length > 0) {
      this.#full.push(this.#bytes.subarray(0, this.#length));
      this.#fullBytes += this.#length;
    }
    this.#bytes = new Uint8Array(Math.max(CHUNK_BYTES, extra));
    this.#length = 0;
  }

  /** A few bytes, copied in a loop: for so few, faster than `set`. The room is reserved. */
  #chunk(chunk: Uint8Array): void {
    const bytes = this.#bytes;
    let at = this.#length;
    for (let index = 0; index < chunk.length; index++) bytes[at++] = chunk[index] as number;
    this.#length = at;
  }

  /** As JSON.stringify writes a number (the same shortest round-trip digits); null if none. */
  #number(value: number | null): void {
    if (value === null || !Number.isFinite(value)) {
      this.#chunk(NULL);
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
  #isoTime(date: Date): void {
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
    this.#chunk(this.#dayPrefix);
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

/** The positions' JSON objects, separated by commas: the inside of a JSON array. */
export function positionsJson(positions: readonly Position[]): Uint8Array {
  const json = new PositionJsonBuffer(positions.length * POSITION_JSON_BYTES);
  writePositions(json, positions);
  return json.bytes();
}

/** Appends the positions' JSON objects, separated by commas. */
export function writePositions(json: PositionJsonBuffer, positions: readonly Position[]): void {
  for (let index = 0; index < positions.length; index++) {
    if (index > 0) json.comma();
    json.position(positions[index] as Position);
  }
}
