import {
  isPositionFlag,
  isPositionSource,
  positionProblem,
  type FieldCipher,
  type Position,
  type PositionRepository,
  type WatchId,
} from '@kinwatch/core';
import type { Selectable } from 'kysely';
import type { Db, PositionsTable } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { decodePositionFields, encodePositionFields } from './position-fields.ts';
import { chunks, rowsPerInsert } from './sql-flavour.ts';
import { checkLimit, joinNames, knownValue, splitNames } from './stored-value.ts';

const INSERT_COLUMNS = 7;

/**
 * Positions with their coordinates, accuracy, speed, course and altitude sealed per watch;
 * only the watch, the times, the source and the flags are in the clear, for indexing and
 * retention.
 */
export class SqlPositionRepository implements PositionRepository {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async appendBatch(positions: readonly Position[]): Promise<void> {
    if (positions.length === 0) return;
    for (const position of positions) {
      const problem = positionProblem(position);
      if (problem !== undefined) {
        throw new RangeError(`position of watch ${position.watchId} not stored: ${problem}`);
      }
    }
    const rows = await Promise.all(positions.map((position) => this.#toRow(position)));
    await this.#db.transaction().execute(async (trx) => {
      for (const chunk of chunks(rows, rowsPerInsert(INSERT_COLUMNS))) {
        await trx.insertInto('positions').values(chunk).execute();
      }
    });
  }

  async latest(watchId: WatchId): Promise<Position | undefined> {
    const row = await this.#db
      .selectFrom('positions')
      .selectAll()
      .where('watch_id', '=', watchId)
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#fromRow(row);
  }

  async range(watchId: WatchId, from: Date, to: Date, limit: number): Promise<Position[]> {
    const rows = await this.#db
      .selectFrom('positions')
      .selectAll()
      .where('watch_id', '=', watchId)
      .where('recorded_at', '>=', toMillis(from))
      .where('recorded_at', '<', toMillis(to))
      .orderBy('recorded_at', 'asc')
      .orderBy('id', 'asc')
      .limit(checkLimit(limit))
      .execute();
    return Promise.all(rows.map((row) => this.#fromRow(row)));
  }

  async count(watchId: WatchId): Promise<number> {
    const { count } = await this.#db
      .selectFrom('positions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('watch_id', '=', watchId)
      .executeTakeFirstOrThrow();
    return count;
  }

  async #toRow(position: Position): Promise<Omit<Selectable<PositionsTable>, 'id'>> {
    return {
      watch_id: position.watchId,
      recorded_at: toMillis(position.recordedAt),
      received_at: toMillis(position.receivedAt),
      source: position.source,
      is_buffered: position.isBuffered ? 1 : 0,
      flags: joinNames(position.flags),
      sealed: await this.#cipher.seal(position.watchId, encodePositionFields(position)),
    };
  }

  async #fromRow(row: Selectable<PositionsTable>): Promise<Position> {
    const fields = decodePositionFields(await this.#cipher.open(row.watch_id, row.sealed));
    return {
      watchId: row.watch_id,
      recordedAt: fromMillis(row.recorded_at),
      receivedAt: fromMillis(row.received_at),
      source: knownValue(row.source, isPositionSource, 'position source'),
      ...fields,
      isBuffered: row.is_buffered === 1,
      flags: splitNames(row.flags, isPositionFlag, 'position flag'),
    };
  }
}
