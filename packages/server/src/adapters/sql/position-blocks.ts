import {
  DataKeyUnavailableError,
  SealedDataError,
  type FieldCipher,
  type WatchId,
} from '@kinwatch/core';
import type { Kysely } from 'kysely';
import type { Database, Db } from './database.ts';
import { toMillis } from './epoch-millis.ts';
import { encodePositionBlock, isEncodedPositionFields } from './position-fields.ts';
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
}

export interface PositionBlockProgressTable {
  /** Always 1: one row. */
  id: number;
  /** The positions up to this id have had their hours' blocks made. */
  last_position_id: number;
}

/** The tables of migration 0010 as kysely sees them, on top of `Database`. */
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

interface HourRow {
  readonly id: number;
  readonly sealed: Uint8Array;
}

interface OpenedRow {
  readonly id: number;
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
   * already made from the same positions. True when a block was written.
   */
  async build(watchId: WatchId, hour: number): Promise<boolean> {
    const rows: HourRow[] = await this.#db
      .selectFrom('positions')
      .select(['id', 'sealed'])
      .where('watch_id', '=', watchId)
      .where('recorded_at', '>=', hour)
      .where('recorded_at', '<', hour + HOUR_MS)
      .orderBy('recorded_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    if (rows.length === 0) return false;
    const lastId = rows.reduce((greatest, row) => Math.max(greatest, row.id), 0);
    const existing = await this.#db
      .selectFrom('position_blocks')
      .select(['positions', 'last_id'])
      .where('watch_id', '=', watchId)
      .where('hour_start', '=', hour)
      .executeTakeFirst();
    if (existing?.positions === rows.length && existing.last_id === lastId) return false;

    const opened = await this.#openReadable(watchId, rows);
    const first = rows.find((row) => row.id === opened[0]?.id);
    if (first === undefined) return false;
    let sealed: Uint8Array;
    const plaintext = encodePositionBlock(opened);
    try {
      sealed = await this.#cipher.seal(watchId, plaintext);
    } finally {
      plaintext.fill(0);
      for (const row of opened) row.fields.fill(0);
    }
    if (!(await this.#isKeyUnchanged(watchId, first.sealed))) return false;
    const values = { positions: rows.length, last_id: lastId, sealed };
    await this.#db
      .insertInto('position_blocks')
      .values({ watch_id: watchId, hour_start: hour, ...values })
      .onConflict((conflict) => conflict.columns(['watch_id', 'hour_start']).doUpdateSet(values))
      .execute();
    return true;
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
  async #openReadable(watchId: WatchId, rows: readonly HourRow[]): Promise<OpenedRow[]> {
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
        opened.push({ id: row.id, fields: bytes });
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
