import { POSITION_JSON_FORMAT, PositionJsonBuffer, type Position } from '@kinwatch/core';
import { POSITION_FIELDS_BYTES } from './position-fields.ts';

/**
 * The plaintext of a block of positions sealed together (docs/adr/0007-position-blocks.md,
 * docs/adr/0008-position-json-in-blocks.md):
 *
 * - a layout byte (`BLOCK_LAYOUT`), then the version of the JSON it holds
 *   (`POSITION_JSON_FORMAT`), then the number of positions (uint32);
 * - for each position, in the order of the API (device time, then id): its row id and device
 *   time (float64, epoch ms), where its JSON starts and ends (uint32, from the start of the
 *   JSON), and its fields in the layout of a single position (position-fields.ts);
 * - the positions' JSON objects as the API writes them, separated by commas, so that the
 *   objects of consecutive positions are one slice.
 *
 * Readers take a position from a block by its id, so a block only ever stands for the
 * positions it names; a block of any other layout or JSON version is not used.
 */
const BLOCK_LAYOUT = 3;
const HEADER_BYTES = 6;
const ENTRY_BYTES = 8 + 8 + 4 + 4 + POSITION_FIELDS_BYTES;
const MAX_JSON_BYTES_PER_POSITION = 512;

/**
 * What the `format` column of `position_blocks` holds for a block in the current layout and
 * JSON version; blocks with any other are made again by the job.
 */
export const POSITION_BLOCK_FORMAT = BLOCK_LAYOUT * 256 + POSITION_JSON_FORMAT;

export interface PositionBlockEntry {
  /** The row's id. */
  readonly id: number;
  /** The position, for its JSON. */
  readonly position: Position;
  /** Its fields as `encodePositionFields` lays them out. */
  readonly fields: Uint8Array;
}

/**
 * The block of the entries, in the order given (the API's). Callers wipe it once it is sealed:
 * it holds the coordinates in the clear.
 */
export function encodePositionBlock(entries: readonly PositionBlockEntry[]): Buffer {
  const json = new PositionJsonBuffer(entries.length * MAX_JSON_BYTES_PER_POSITION);
  const spans = new Uint32Array(entries.length * 2);
  for (const [index, entry] of entries.entries()) {
    if (index > 0) json.comma();
    spans[index * 2] = json.length;
    json.position(entry.position);
    spans[index * 2 + 1] = json.length;
  }
  const start = HEADER_BYTES + entries.length * ENTRY_BYTES;
  const block = Buffer.alloc(start + json.length);
  block[0] = BLOCK_LAYOUT;
  block[1] = POSITION_JSON_FORMAT;
  block.writeUInt32LE(entries.length, 2);
  let offset = HEADER_BYTES;
  for (const [index, entry] of entries.entries()) {
    if (!Number.isSafeInteger(entry.id) || entry.fields.length !== POSITION_FIELDS_BYTES) {
      throw new RangeError(`position ${entry.id} cannot go in a block`);
    }
    block.writeDoubleLE(entry.id, offset);
    block.writeDoubleLE(entry.position.recordedAt.getTime(), offset + 8);
    block.writeUInt32LE(spans[index * 2] as number, offset + 16);
    block.writeUInt32LE(spans[index * 2 + 1] as number, offset + 20);
    block.set(entry.fields, offset + 24);
    offset += ENTRY_BYTES;
  }
  const written = json.bytes();
  block.set(written, start);
  written.fill(0);
  return block;
}

/** An opened block: its positions by id, their fields and their JSON. */
export class PositionBlock {
  readonly bytes: Buffer;
  readonly count: number;
  readonly #jsonStart: number;
  readonly #entries = new Map<number, number>();

  private constructor(bytes: Buffer, count: number) {
    this.bytes = bytes;
    this.count = count;
    this.#jsonStart = HEADER_BYTES + count * ENTRY_BYTES;
    for (let entry = 0; entry < count; entry++) {
      this.#entries.set(bytes.readDoubleLE(HEADER_BYTES + entry * ENTRY_BYTES), entry);
    }
  }

  /**
   * The block in the opened bytes; undefined when they are of another layout or JSON version
   * (made before a change, to be made again): its positions are then read from their rows.
   * Throws when they claim this layout but are not well formed.
   */
  static read(opened: Uint8Array): PositionBlock | undefined {
    const bytes = Buffer.isBuffer(opened)
      ? opened
      : Buffer.from(opened.buffer, opened.byteOffset, opened.length);
    if (bytes.length < HEADER_BYTES || bytes[0] !== BLOCK_LAYOUT) return undefined;
    if (bytes[1] !== POSITION_JSON_FORMAT) return undefined;
    const count = bytes.readUInt32LE(2);
    const jsonBytes = bytes.length - HEADER_BYTES - count * ENTRY_BYTES;
    const block = jsonBytes < 0 ? undefined : new PositionBlock(bytes, count);
    const lastEnd = block === undefined || count === 0 ? 0 : block.#jsonEnd(count - 1);
    if (block === undefined || lastEnd !== jsonBytes || block.#entries.size !== count) {
      throw new Error(`sealed position block is not well formed (${bytes.length} bytes)`);
    }
    return block;
  }

  /** The entry of the position with this row id, if the block holds it. */
  entryOf(id: number): number | undefined {
    return this.#entries.get(id);
  }

  /** Row id of the entry. */
  id(entry: number): number {
    return this.bytes.readDoubleLE(HEADER_BYTES + entry * ENTRY_BYTES);
  }

  /** The greatest row id it holds; 0 when empty. */
  greatestId(): number {
    let greatest = 0;
    for (let entry = 0; entry < this.count; entry++) greatest = Math.max(greatest, this.id(entry));
    return greatest;
  }

  /** Device time of the entry, epoch ms. */
  recordedAt(entry: number): number {
    return this.bytes.readDoubleLE(HEADER_BYTES + entry * ENTRY_BYTES + 8);
  }

  /** Where the entry's fields start in `bytes` (for `decodePositionFieldsAt`). */
  fieldsOffset(entry: number): number {
    return HEADER_BYTES + entry * ENTRY_BYTES + 24;
  }

  /**
   * The JSON of the entries `first` to `last` (inclusive, consecutive), commas between them:
   * a view of `bytes`, not a copy.
   */
  json(first: number, last: number): Uint8Array {
    const start =
      this.#jsonStart + this.bytes.readUInt32LE(HEADER_BYTES + first * ENTRY_BYTES + 16);
    return this.bytes.subarray(start, this.#jsonStart + this.#jsonEnd(last));
  }

  /** Overwrites the plaintext: call once done with the block. */
  wipe(): void {
    this.bytes.fill(0);
  }

  #jsonEnd(entry: number): number {
    return this.bytes.readUInt32LE(HEADER_BYTES + entry * ENTRY_BYTES + 20);
  }
}
