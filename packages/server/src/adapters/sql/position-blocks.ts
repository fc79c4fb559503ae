import {
  DataKeyUnavailableError,
  SealedDataError,
  type FieldCipher,
  type WatchId,
} from '@kinwatch/core';
import type { Kysely } from 'kysely';
import type { Database, Db } from './database.ts';
import { toMillis } from './epoch-millis.ts';
import {
  POSITION_BLOCK_FORMAT,
  encodePositionBlock,
  type PositionBlockEntry,
} from './position-block-layout.ts';
import { decodePositionFields, isEncodedPositionFields } from './position-fields.ts';
import { POSITION_READ_COLUMNS, positionOfRow, type StoredPosition } from './position-rows.ts';
import { checkLimit } from './stored-value.ts';

/** One block: the positions of a watch recorded in one hour, sealed together. */
export interface PositionBlocksTable {
  watch_id: string;
  /** Epoch ms of the start of the hour (UTC) of device time. */
  hour_start: number;
  /** How many positions of that hour the block was made from, those it could not open included. */
  positions: number;
  /** The greatest position id among them. */
  last_id: number;
  sealed: Uint8Array;
  /**
   * The layout and JSON version of the plaintext (`POSITION_BLOCK_FORMAT` when current), in
   * the clear so that the job finds the blocks to make again after either changes. Migration
   * 0011; 0 for blocks made before it.
   */
  format: number;
}

export interface PositionBlockProgressTable {
  /** Always 1: one row. */
  id: number;
  /** The positions up to this id have had their hours' blocks made. */
  last_position_id: number;
}

/** The tables of migrations 0010 and 0011 as kysely sees them, on top of `Database`. */
// A type rather than an interface: `withTables` wants a record type.
export type PositionBlockTables = {
  position_blocks: PositionBlocksTable;
  position_block_progress: PositionBlockProgressTable;
};

export type BlockDb = Kysely<Database & PositionBlockTables>;

export function withPositionBlocks(db: Db): BlockDb {
  return db.withTables<PositionBlockTables>();
}

export const HOUR_MS = 3_600_000;

/** Epoch ms of the start of the UTC hour holding `ms`. */
export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

export interface WatchHour {
  readonly watchId: WatchId;
  /** Epoch ms. */
  readonly hourStart: number;
}

export interface DueHours {
  /** Each watch and hour with positions stored since the blocks were last made. */
  readonly hours: readonly WatchHour[];
  /** Pass to `finish` once their blocks are made; undefined when no position was due. */
  readonly throughId: number | undefined;
  /** False when `maxPositions` stopped the scan before it reached the positions not yet due. */
  readonly isComplete: boolean;
}

/** Positions read from `positions` per query while looking for the hours to make blocks of. */
const SCAN_CHUNK = 5000;

interface OpenedRow {
  readonly row: StoredPosition;
  readonly fields: Uint8Array;
}

/**
 * Makes the blocks of positions, each watch's hour at a time, from the positions as stored (each
 * sealed on its own): `dueHours` finds the hours with positions stored since the last `finish`,
 * `build` (re)makes the block of one, `finish` records how far that went. A block is a copy
 * that readers use for the positions it holds, by id; it may lag behind `positions` (a position
 * stored late for its hour), never contradict it.
 *
 * Positions whose key was destroyed, or whose sealed bytes do not open, are left out of blocks.
 */
export class SqlPositionBlocks {
  readonly #db: BlockDb;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = withPositionBlocks(db);
    this.#cipher = cipher;
  }

  /**
   * The hours of the positions stored after the last `finish`, in storage order, up to the first
   * one received at or after `receivedBefore` (its hour may not be over), reading at most
   * `maxPositions` of them.
   */
  async dueHours(receivedBefore: Date, maxPositions: number): Promise<DueHours> {
    const cutoff = toMillis(receivedBefore);
    checkLimit(maxPositions);
    const hours = new Map<string, WatchHour>();
    let after = await this.#progress();
    let throughId: number | undefined;
    const result = (isComplete: boolean): DueHours => ({
      hours: [...hours.values()],
      throughId,
      isComplete,
    });
    for (let scanned = 0; scanned < maxPositions;) {
      const chunk = Math.min(SCAN_CHUNK, maxPositions - scanned);
      const rows = await this.#db
        .selectFrom('positions')
        .select(['id', 'watch_id', 'recorded_at', 'received_at'])
        .where('id', '>', after)
        .orderBy('id', 'asc')
        .limit(chunk)
        .execute();
      for (const row of rows) {
        if (row.received_at >= cutoff) return result(true);
        const start = hourStart(row.recorded_at);
        hours.set(`${start}:${row.watch_id}`, { watchId: row.watch_id, hourStart: start });
        throughId = row.id;
      }
      if (rows.length < chunk) return result(true);
      scanned += rows.length;
      after = throughId ?? after;
    }
    return result(false);
  }

  /**
   * Makes the block of the watch's hour from its positions as stored, unless the block there is
   * already made from the same positions in the current format. True when a block was written.
   * A block of another format that cannot be made again (its positions gone, or none of them
   * readable) is deleted: readers do not use it.
   */
  async build(watchId: WatchId, hour: number): Promise<boolean> {
    const rows: StoredPosition[] = await this.#db
      .selectFrom('positions')
      .select(POSITION_READ_COLUMNS)
      .where('watch_id', '=', watchId)
      .where('recorded_at', '>=', hour)
      .where('recorded_at', '<', hour + HOUR_MS)
      .orderBy('recorded_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    const existing = await this.#db
      .selectFrom('position_blocks')
      .select(['positions', 'last_id', 'format'])
      .where('watch_id', '=', watchId)
      .where('hour_start', '=', hour)
      .executeTakeFirst();
    const isStale = existing !== undefined && existing.format !== POSITION_BLOCK_FORMAT;
    const lastId = rows.reduce((greatest, row) => Math.max(greatest, row.id), 0);
    if (!isStale && existing?.positions === rows.length && existing.last_id === lastId) {
      return false;
    }
    const sealed = rows.length === 0 ? undefined : await this.#seal(watchId, rows);
    if (sealed === undefined) {
      if (isStale) await this.#delete(watchId, hour);
      return false;
    }
    const values = {
      positions: rows.length,
      last_id: lastId,
      sealed,
      format: POSITION_BLOCK_FORMAT,
    };
    await this.#db
      .insertInto('position_blocks')
      .values({ watch_id: watchId, hour_start: hour, ...values })
      .onConflict((conflict) => conflict.columns(['watch_id', 'hour_start']).doUpdateSet(values))
      .execute();
    return true;
  }

  /**
   * Up to `max` watches' hours whose blocks are of another format than the current one, after
   * `after` in (watch, hour) order: to make again with `build`.
   */
  async staleHours(after: WatchHour | undefined, max: number): Promise<WatchHour[]> {
    let query = this.#db
      .selectFrom('position_blocks')
      .select(['watch_id', 'hour_start'])
      .where('format', '!=', POSITION_BLOCK_FORMAT);
    if (after !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('watch_id', '>', after.watchId),
          eb.and([eb('watch_id', '=', after.watchId), eb('hour_start', '>', after.hourStart)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('watch_id', 'asc')
      .orderBy('hour_start', 'asc')
      .limit(checkLimit(max))
      .execute();
    return rows.map((row) => ({ watchId: row.watch_id, hourStart: row.hour_start }));
  }

  /**
   * The block of the rows that open, sealed; undefined when none opens, or when the watch's key
   * changed meanwhile (see `#isKeyUnchanged`).
   */
  async #seal(watchId: WatchId, rows: readonly StoredPosition[]): Promise<Uint8Array | undefined> {
    const opened = await this.#openReadable(watchId, rows);
    const first = opened[0]?.row;
    if (first === undefined) return undefined;
    let sealed: Uint8Array;
    let plaintext: Buffer | undefined;
    try {
      const entries = opened.map(({ row, fields }): PositionBlockEntry => ({
        id: row.id,
        fields,
        position: positionOfRow(watchId, row, decodePositionFields(fields)),
      }));
      plaintext = encodePositionBlock(entries);
      sealed = await this.#cipher.seal(watchId, plaintext);
    } finally {
      plaintext?.fill(0);
      for (const { fields } of opened) fields.fill(0);
    }
    return (await this.#isKeyUnchanged(watchId, first.sealed)) ? sealed : undefined;
  }

  async #delete(watchId: WatchId, hour: number): Promise<void> {
    await this.#db
      .deleteFrom('position_blocks')
      .where('watch_id', '=', watchId)
      .where('hour_start', '=', hour)
      .where('format', '!=', POSITION_BLOCK_FORMAT)
      .execute();
  }

  /** Records that the blocks of the positions up to `throughId` are made. Never goes back. */
  async finish(throughId: number): Promise<void> {
    await this.#db
      .insertInto('position_block_progress')
      .values({ id: 1, last_position_id: throughId })
      .onConflict((conflict) =>
        conflict
          .column('id')
          .doUpdateSet({ last_position_id: throughId })
          .where('position_block_progress.last_position_id', '<', throughId),
      )
      .execute();
  }

  async #progress(): Promise<number> {
    const row = await this.#db
      .selectFrom('position_block_progress')
      .select('last_position_id')
      .where('id', '=', 1)
      .executeTakeFirst();
    return row?.last_position_id ?? 0;
  }

  /** The rows' fields, opened; rows that do not open as a position's fields are left out. */
  async #openReadable(watchId: WatchId, rows: readonly StoredPosition[]): Promise<OpenedRow[]> {
    let fields: (Uint8Array | undefined)[];
    try {
      fields = await this.#cipher.openMany(
        watchId,
        rows.map((row) => row.sealed),
      );
    } catch (error) {
      if (error instanceof DataKeyUnavailableError) return [];
      if (!(error instanceof SealedDataError)) throw error;
      fields = [];
      for (const row of rows) fields.push(await this.#openOrSkip(watchId, row.sealed));
    }
    const opened: OpenedRow[] = [];
    for (const [index, row] of rows.entries()) {
      const bytes = fields[index];
      if (bytes !== undefined && isEncodedPositionFields(bytes)) {
        opened.push({ row, fields: bytes });
      } else {
        bytes?.fill(0);
      }
    }
    return opened;
  }

  async #openOrSkip(watchId: WatchId, sealed: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return await this.#cipher.open(watchId, sealed);
    } catch (error) {
      if (error instanceof SealedDataError) return undefined;
      throw error;
    }
  }

  /**
   * Whether a position still opens under the watch's key. `seal` makes a key when there is
   * none: had the key been destroyed (the watch removed) while the block was being made, the
   * block would be sealed under a new key and would make readable again what the destruction
   * made unreadable.
   */
  async #isKeyUnchanged(watchId: WatchId, sealed: Uint8Array): Promise<boolean> {
    try {
      (await this.#cipher.open(watchId, sealed)).fill(0);
      return true;
    } catch (error) {
      if (error instanceof DataKeyUnavailableError || error instanceof SealedDataError)
        return false;
      throw error;
    }
  }
}
