import {
  writePositions,
  type FieldCipher,
  type Position,
  type PositionJsonBuffer,
  type PositionJsonPage,
  type PositionKey,
  type WatchId,
} from '@kinwatch/core';
import { sql } from 'kysely';
import type { Db } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { POSITION_BLOCK_FORMAT, PositionBlock } from './position-block-layout.ts';
import { HOUR_MS, hourStart, withPositionBlocks, type BlockDb } from './position-blocks.ts';
import { MIN_ROWS_FOR_BLOCKS } from './position-field-opener.ts';
import { decodePositionFields } from './position-fields.ts';
import {
  POSITION_READ_COLUMNS,
  positionOfRow,
  positionPageQuery,
  type StoredPosition,
} from './position-rows.ts';
import { checkLimit } from './stored-value.ts';

interface KeyRow {
  readonly id: number;
  readonly recorded_at: number;
}

/** Which positions a page holds: by (device time, id), as the keyset paging orders them. */
class PageBounds {
  readonly #fromMs: number;
  readonly #toMs: number;
  readonly #after: KeyRow | undefined;
  readonly #last: KeyRow | undefined;

  constructor(fromMs: number, toMs: number, after: KeyRow | undefined, last: KeyRow | undefined) {
    this.#fromMs = fromMs;
    this.#toMs = toMs;
    this.#after = after;
    this.#last = last;
  }

  holds(recordedAt: number, id: number): boolean {
    if (recordedAt < this.#fromMs || recordedAt >= this.#toMs) return false;
    const after = this.#after;
    if (after !== undefined && compare(recordedAt, id, after) <= 0) return false;
    const last = this.#last;
    return last === undefined || compare(recordedAt, id, last) <= 0;
  }
}

function compare(recordedAt: number, id: number, key: KeyRow): number {
  return recordedAt === key.recorded_at ? id - key.id : recordedAt - key.recorded_at;
}

/** The rows of a block's hour, for a subquery of a `position_blocks` row (by the index). */
const ROWS_OF_BLOCK_HOUR = sql`from positions p where p.watch_id = position_blocks.watch_id and p.recorded_at >= position_blocks.hour_start and p.recorded_at < position_blocks.hour_start + ${sql.lit(HOUR_MS)}`;

/**
 * History pages as the API's JSON (docs/adr/0008-position-json-in-blocks.md). `positions` is
 * the record: with the block of each hour the page touches, the count and greatest id of the
 * hour's rows are read from the (watch, time) index, and the block is used only when it was made
 * from exactly those rows (ids only grow, so the same count and greatest id mean the same
 * rows) and holds all of them. The JSON of the positions of such hours is copied from the
 * blocks, an hour's page positions as one slice; the rows of the other hours are read whole,
 * opened and written. The bytes are the same either way: a block holds the JSON its rows were
 * written as, and rows are never changed.
 */
export class PositionJsonPages {
  readonly #db: BlockDb;
  readonly #rows: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = withPositionBlocks(db);
    this.#rows = db;
    this.#cipher = cipher;
  }

  /** As `PositionRepository.listRange`, appended to `into` as JSON. */
  async listRange(
    watchId: WatchId,
    from: Date,
    to: Date,
    after: PositionKey | undefined,
    limit: number,
    into: PositionJsonBuffer,
  ): Promise<PositionJsonPage> {
    checkLimit(limit);
    const fromMs = toMillis(from);
    const toMs = toMillis(to);
    if (limit < MIN_ROWS_FOR_BLOCKS || fromMs < 0) {
      return this.#fromRows(watchId, from, to, after, limit, into);
    }
    // The page's last row, and the one after it if any: the page ends there.
    const ends: KeyRow[] = await positionPageQuery(this.#rows, watchId, from, to, after)
      .select(['id', 'recorded_at'])
      .limit(2)
      .offset(limit - 1)
      .execute();
    const [last, following] = ends;
    const afterKey =
      after === undefined
        ? undefined
        : { recorded_at: toMillis(after.recordedAt), id: after.sequence };
    const bounds = new PageBounds(fromMs, toMs, afterKey, last);
    const firstHour = hourStart(Math.max(fromMs, afterKey?.recorded_at ?? fromMs));
    const lastHour = hourStart(last?.recorded_at ?? toMs - 1);
    const blocks = await this.#completeBlocks(watchId, firstHour, lastHour);
    try {
      if (blocks.size === 0) return await this.#fromRows(watchId, from, to, after, limit, into);
      const loose = await this.#looseRows(watchId, firstHour, lastHour, blocks, bounds);
      const hours = [
        ...new Set([...blocks.keys(), ...loose.map((row) => hourStart(row.recorded_at))]),
      ];
      hours.sort((x, y) => x - y);
      const written = await this.#write(watchId, hours, blocks, loose, bounds, limit, into);
      const next = written.isCut ? written.last : following === undefined ? undefined : last;
      return { count: written.count, next: next === undefined ? undefined : keyOf(next) };
    } finally {
      for (const block of blocks.values()) block.wipe();
    }
  }

  /** The page read whole from `positions`, every position opened and written. */
  async #fromRows(
    watchId: WatchId,
    from: Date,
    to: Date,
    after: PositionKey | undefined,
    limit: number,
    into: PositionJsonBuffer,
  ): Promise<PositionJsonPage> {
    const rows: StoredPosition[] = await positionPageQuery(this.#rows, watchId, from, to, after)
      .select(POSITION_READ_COLUMNS)
      .limit(limit + 1)
      .execute();
    const page = rows.length > limit ? rows.slice(0, limit) : rows;
    const positions = await this.#open(watchId, page);
    writePositions(into, positions);
    const last = page.at(-1);
    return {
      count: page.length,
      next: rows.length > limit && last !== undefined ? keyOf(last) : undefined,
    };
  }

  /**
   * The blocks, opened, of the hours from `firstHour` to `lastHour` whose rows they hold all
   * of, and only those: each block's row is read with the count and greatest id of its hour's
   * rows in `positions`.
   */
  async #completeBlocks(
    watchId: WatchId,
    firstHour: number,
    lastHour: number,
  ): Promise<Map<number, PositionBlock>> {
    const stored = await this.#db
      .selectFrom('position_blocks')
      .select([
        'hour_start',
        'positions',
        'last_id',
        'sealed',
        sql<number>`(select count(*) ${ROWS_OF_BLOCK_HOUR})`.as('row_count'),
        sql<number | null>`(select max(p.id) ${ROWS_OF_BLOCK_HOUR})`.as('row_last_id'),
      ])
      .where('watch_id', '=', watchId)
      .where('hour_start', '>=', firstHour)
      .where('hour_start', '<=', lastHour)
      .where('format', '=', POSITION_BLOCK_FORMAT)
      .execute();
    const current = stored.filter(
      (block) => block.row_count === block.positions && block.row_last_id === block.last_id,
    );
    const blocks = new Map<number, PositionBlock>();
    if (current.length === 0) return blocks;
    const opened = await this.#cipher.openMany(
      watchId,
      current.map((block) => block.sealed),
    );
    for (const [index, stored] of current.entries()) {
      const bytes = opened[index] as Uint8Array;
      const block = PositionBlock.read(bytes);
      if (block !== undefined && isBlockOf(block, stored)) blocks.set(stored.hour_start, block);
      else bytes.fill(0);
    }
    return blocks;
  }

  /**
   * The page's rows of the hours from `firstHour` to `lastHour` without a complete block, in
   * page order: one query per stretch of such hours.
   */
  async #looseRows(
    watchId: WatchId,
    firstHour: number,
    lastHour: number,
    blocks: ReadonlyMap<number, PositionBlock>,
    bounds: PageBounds,
  ): Promise<StoredPosition[]> {
    const stretches: [number, number][] = [];
    let start = firstHour;
    for (const hour of [...blocks.keys()].sort((x, y) => x - y)) {
      if (hour > start) stretches.push([start, hour]);
      start = hour + HOUR_MS;
    }
    if (start <= lastHour) stretches.push([start, lastHour + HOUR_MS]);
    const rows: StoredPosition[] = [];
    for (const [from, to] of stretches) {
      const stretch: StoredPosition[] = await this.#db
        .selectFrom('positions')
        .select(POSITION_READ_COLUMNS)
        .where('watch_id', '=', watchId)
        .where('recorded_at', '>=', from)
        .where('recorded_at', '<', to)
        .orderBy('recorded_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      for (const row of stretch) if (bounds.holds(row.recorded_at, row.id)) rows.push(row);
    }
    return rows;
  }

  /**
   * Writes the page, hour by hour: the slice of each complete block that the page holds, the
   * loose rows of the other hours. At most `limit` positions (rows stored while the page was
   * read may add some): `isCut` then, and `last` is the last written.
   */
  async #write(
    watchId: WatchId,
    hours: readonly number[],
    blocks: ReadonlyMap<number, PositionBlock>,
    looseRows: readonly StoredPosition[],
    bounds: PageBounds,
    limit: number,
    into: PositionJsonBuffer,
  ): Promise<{ count: number; isCut: boolean; last: KeyRow | undefined }> {
    const loose = await this.#open(watchId, looseRows);
    const pieces: (Uint8Array | Position)[] = [];
    let count = 0;
    /** Positions the page holds, those past the limit included. */
    let held = looseRows.length;
    let last: KeyRow | undefined;
    let nextLoose = 0;
    for (const hour of hours) {
      const block = blocks.get(hour);
      if (block === undefined) {
        for (; nextLoose < looseRows.length && count < limit; nextLoose++) {
          const row = looseRows[nextLoose] as StoredPosition;
          if (hourStart(row.recorded_at) !== hour) break;
          pieces.push(loose[nextLoose] as Position);
          count += 1;
          last = row;
        }
        continue;
      }
      let first = 0;
      while (first < block.count && !bounds.holds(block.recordedAt(first), block.id(first))) {
        first += 1;
      }
      let after = first;
      while (after < block.count && bounds.holds(block.recordedAt(after), block.id(after))) {
        after += 1;
      }
      held += after - first;
      const end = Math.min(after, first + limit - count);
      if (end <= first) continue;
      const slice = block.json(first, end - 1);
      pieces.push(slice);
      count += end - first;
      last = { recorded_at: block.recordedAt(end - 1), id: block.id(end - 1) };
    }
    for (const [index, piece] of pieces.entries()) {
      if (index > 0) into.comma();
      if (piece instanceof Uint8Array) into.raw(piece);
      else into.position(piece);
    }
    return { count, isCut: count < held, last };
  }

  /** The rows as positions, their fields opened in one call (and wiped once decoded). */
  async #open(watchId: WatchId, rows: readonly StoredPosition[]): Promise<Position[]> {
    if (rows.length === 0) return [];
    const opened = await this.#cipher.openMany(
      watchId,
      rows.map((row) => row.sealed),
    );
    try {
      return rows.map((row, index) =>
        positionOfRow(watchId, row, decodePositionFields(opened[index] as Uint8Array)),
      );
    } finally {
      for (const bytes of opened) bytes.fill(0);
    }
  }
}

/**
 * Whether the opened block is what its row says: every position of the row's hour that it was
 * made from (rows that did not open when it was made are not in it, and the hour is then read
 * from its rows), and not the block of another hour put in its place.
 */
function isBlockOf(
  block: PositionBlock,
  stored: { readonly hour_start: number; readonly positions: number; readonly last_id: number },
): boolean {
  const { count } = block;
  return (
    count === stored.positions &&
    count > 0 &&
    hourStart(block.recordedAt(0)) === stored.hour_start &&
    hourStart(block.recordedAt(count - 1)) === stored.hour_start &&
    block.greatestId() === stored.last_id
  );
}

function keyOf(row: KeyRow): PositionKey {
  return { recordedAt: fromMillis(row.recorded_at), sequence: row.id };
}
