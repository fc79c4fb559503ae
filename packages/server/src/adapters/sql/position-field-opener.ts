import type { FieldCipher, WatchId } from '@kinwatch/core';
import type { Db } from './database.ts';
import { hourStart, withPositionBlocks, type BlockDb } from './position-blocks.ts';
import {
  decodePositionFields,
  decodePositionFieldsAt,
  positionBlockIndex,
  type SensitivePositionFields,
} from './position-fields.ts';

/** What opening a stored position needs of its row. */
export interface SealedPosition {
  readonly id: number;
  readonly recorded_at: number;
  readonly sealed: Uint8Array;
}

interface OpenBlock {
  /** The block's plaintext. */
  readonly bytes: Buffer;
  /** Where each position's fields start in `bytes`, by row id. */
  readonly offsets: ReadonlyMap<number, number>;
}

/**
 * Below this many rows, opening each costs less than reading and opening the blocks of their
 * hours (a block opens in about the time of two positions).
 */
const MIN_ROWS_FOR_BLOCKS = 32;

/**
 * Opens the sealed fields of stored positions of one watch: each from the block of its hour
 * when the block holds it (position-blocks.ts), else on its own, all of those in one call to
 * the cipher. The opened bytes are wiped once decoded.
 */
export class PositionFieldOpener {
  readonly #db: BlockDb;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = withPositionBlocks(db);
    this.#cipher = cipher;
  }

  /** The fields of each row, in the same order. Throws as `FieldCipher.open` does. */
  async open(
    watchId: WatchId,
    rows: readonly SealedPosition[],
  ): Promise<SensitivePositionFields[]> {
    const blocks = await this.#openBlocks(watchId, rows);
    const fields = new Array<SensitivePositionFields>(rows.length);
    const loose: number[] = [];
    try {
      for (let index = 0; index < rows.length; index++) {
        const row = rows[index] as SealedPosition;
        const block = blocks.get(hourStart(row.recorded_at));
        const offset = block?.offsets.get(row.id);
        if (block === undefined || offset === undefined) loose.push(index);
        else fields[index] = decodePositionFieldsAt(block.bytes, offset);
      }
    } finally {
      for (const block of blocks.values()) block.bytes.fill(0);
    }
    if (loose.length === 0) return fields;
    const opened = await this.#cipher.openMany(
      watchId,
      loose.map((index) => (rows[index] as SealedPosition).sealed),
    );
    try {
      for (const [k, index] of loose.entries()) {
        fields[index] = decodePositionFields(opened[k] as Uint8Array);
      }
    } finally {
      for (const bytes of opened) bytes.fill(0);
    }
    return fields;
  }

  /** The watch's blocks of the hours of `rows`, opened, by hour; none for a few rows. */
  async #openBlocks(
    watchId: WatchId,
    rows: readonly SealedPosition[],
  ): Promise<Map<number, OpenBlock>> {
    const blocks = new Map<number, OpenBlock>();
    if (rows.length < MIN_ROWS_FOR_BLOCKS) return blocks;
    let earliest = Number.POSITIVE_INFINITY;
    let latest = Number.NEGATIVE_INFINITY;
    for (const row of rows) {
      earliest = Math.min(earliest, row.recorded_at);
      latest = Math.max(latest, row.recorded_at);
    }
    const stored = await this.#db
      .selectFrom('position_blocks')
      .select(['hour_start', 'sealed'])
      .where('watch_id', '=', watchId)
      .where('hour_start', '>=', hourStart(earliest))
      .where('hour_start', '<=', hourStart(latest))
      .execute();
    const opened = await this.#cipher.openMany(
      watchId,
      stored.map((block) => block.sealed),
    );
    for (const [index, block] of stored.entries()) {
      const bytes = opened[index] as Uint8Array;
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      blocks.set(block.hour_start, { bytes: buffer, offsets: positionBlockIndex(buffer) });
    }
    return blocks;
  }
}
