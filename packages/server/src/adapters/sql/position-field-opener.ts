import type { FieldCipher, WatchId } from '@kinwatch/core';
import type { Db } from './database.ts';
import { POSITION_BLOCK_FORMAT, PositionBlock } from './position-block-layout.ts';
import { hourStart, withPositionBlocks, type BlockDb } from './position-blocks.ts';
import {
  decodePositionFields,
  decodePositionFieldsAt,
  type SensitivePositionFields,
} from './position-fields.ts';

/** What opening a stored position needs of its row. */
export interface SealedPosition {
  readonly id: number;
  readonly recorded_at: number;
  readonly sealed: Uint8Array;
}

/**
 * Below this many rows, opening each costs less than reading and opening the blocks of their
 * hours (a block opens in about the time of two positions).
 */
export const MIN_ROWS_FOR_BLOCKS = 32;

/**
 * The watch's blocks of the hours from that of `earliestMs` to that of `latestMs`, opened, by
 * the start of their hour; blocks of another layout or JSON version are left out (their
 * positions are read from their rows until the job makes them again). The caller wipes them.
 */
async function openHourBlocks(
  db: BlockDb,
  cipher: FieldCipher,
  watchId: WatchId,
  earliestMs: number,
  latestMs: number,
): Promise<Map<number, PositionBlock>> {
  const stored = await db
    .selectFrom('position_blocks')
    .select(['hour_start', 'sealed'])
    .where('watch_id', '=', watchId)
    .where('hour_start', '>=', hourStart(earliestMs))
    .where('hour_start', '<=', hourStart(latestMs))
    .where('format', '=', POSITION_BLOCK_FORMAT)
    .execute();
  const blocks = new Map<number, PositionBlock>();
  if (stored.length === 0) return blocks;
  const opened = await cipher.openMany(
    watchId,
    stored.map((block) => block.sealed),
  );
  for (const [index, { hour_start }] of stored.entries()) {
    const bytes = opened[index] as Uint8Array;
    const block = PositionBlock.read(bytes);
    if (block === undefined) bytes.fill(0);
    else blocks.set(hour_start, block);
  }
  return blocks;
}

/** The block entry holding the row, if its hour has a block that holds it. */
function blockEntryOf(
  blocks: ReadonlyMap<number, PositionBlock>,
  row: Pick<SealedPosition, 'id' | 'recorded_at'>,
): { readonly block: PositionBlock; readonly entry: number } | undefined {
  const block = blocks.get(hourStart(row.recorded_at));
  const entry = block?.entryOf(row.id);
  // The device time too: a row's is never changed, so a block that disagrees is not used.
  if (block === undefined || entry === undefined || block.recordedAt(entry) !== row.recorded_at) {
    return undefined;
  }
  return { block, entry };
}

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
        const found = blockEntryOf(blocks, rows[index] as SealedPosition);
        if (found === undefined) loose.push(index);
        else {
          const { block, entry } = found;
          fields[index] = decodePositionFieldsAt(block.bytes, block.fieldsOffset(entry));
        }
      }
    } finally {
      for (const block of blocks.values()) block.wipe();
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
  ): Promise<Map<number, PositionBlock>> {
    if (rows.length < MIN_ROWS_FOR_BLOCKS) return new Map();
    let earliest = Number.POSITIVE_INFINITY;
    let latest = Number.NEGATIVE_INFINITY;
    for (const row of rows) {
      earliest = Math.min(earliest, row.recorded_at);
      latest = Math.max(latest, row.recorded_at);
    }
    return openHourBlocks(this.#db, this.#cipher, watchId, earliest, latest);
  }
}
