import {
  positionProblem,
  type FieldCipher,
  type Position,
  type PositionJsonBuffer,
  type PositionJsonPage,
  type PositionJsonReader,
  type PositionKey,
  type PositionPage,
  type PositionRepository,
  type WatchId,
} from '@kinwatch/core';
import { CompiledQuery, sql } from 'kysely';
import { executeAtomically, sealedBatchRunnerOf, sealedCopyRunnerOf } from './atomic-statements.ts';
import type { Db, PositionsTable } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { PositionFieldOpener } from './position-field-opener.ts';
import {
  POSITION_FIELDS_BYTES,
  encodePositionFieldsInto,
  type SensitivePositionFields,
} from './position-fields.ts';
import { PositionJsonPages } from './position-json-pages.ts';
import {
  POSITION_READ_COLUMNS as READ_COLUMNS,
  positionOfRow,
  positionPageQuery,
  type StoredPosition,
} from './position-rows.ts';
import { rowsPerInsert } from './sql-flavour.ts';
import type { CopyTarget } from './postgres-writer-thread.ts';
import type { SealedColumn } from './writer-channel.ts';
import type { SealingKey, SealingKeySource } from './writer-keys.ts';
import { checkLimit, joinNames } from './stored-value.ts';

/** The columns `appendBatch` writes, in the order of its parameters. */
const INSERT_COLUMNS = [
  'watch_id',
  'recorded_at',
  'received_at',
  'source',
  'is_buffered',
  'flags',
  'sealed',
] as const satisfies readonly (keyof PositionsTable)[];

/** Where the PostgreSQL writer thread copies a batch. */
const POSITIONS_COPY: CopyTarget = {
  table: 'positions',
  columns: INSERT_COLUMNS,
  types: ['text', 'int8', 'int8', 'text', 'int4', 'text', 'bytea'],
};

/** Stores a batch whose sealed column the database's writer thread fills. */
type SealedWrite = (positions: readonly Position[], column: SealedColumn) => Promise<void>;

/**
 * Positions with their coordinates, accuracy, speed, course and altitude sealed per watch;
 * only the watch, the times, the source and the flags are in the clear, for indexing and
 * retention. Each position is sealed on its own; reads of many take the fields of those in a
 * block of their hour from the block (position-blocks.ts), opening one value for the hour.
 */
export class SqlPositionRepository implements PositionRepository, PositionJsonReader {
  readonly #db: Db;
  readonly #cipher: FieldCipher;
  readonly #insert: PositionInsert;
  readonly #fields: PositionFieldOpener;
  readonly #jsonPages: PositionJsonPages;
  /** On a database whose writer thread seals: how a batch goes there, and the keys' source. */
  readonly #sealOnWriter:
    { readonly write: SealedWrite; readonly keys: SealingKeySource } | undefined;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
    this.#insert = new PositionInsert(db);
    const write = sealedWriteOf(db, this.#insert);
    this.#sealOnWriter =
      write !== undefined && isSealingKeySource(cipher) ? { write, keys: cipher } : undefined;
    this.#fields = new PositionFieldOpener(db, cipher);
    this.#jsonPages = new PositionJsonPages(db, cipher);
  }

  /** Stores the batch atomically: one statement, or several in one transaction. */
  async appendBatch(positions: readonly Position[]): Promise<void> {
    if (positions.length === 0) return;
    for (const position of positions) {
      const problem = positionProblem(position);
      if (problem !== undefined) {
        throw new RangeError(`position of watch ${position.watchId} not stored: ${problem}`);
      }
    }
    if (this.#sealOnWriter !== undefined) {
      await this.#appendSealedOnWriter(positions, this.#sealOnWriter);
      return;
    }
    const sealed = await this.#seal(positions);
    // On a SQLite file the batch goes to the writer thread: the main thread goes on meanwhile.
    await executeAtomically(this.#db, this.#insert.statements(positions, sealed));
  }

  /**
   * On a SQLite file, and on PostgreSQL, the database's writer thread seals the batch as well as
   * storing it: sealing is a sixth of the main thread's work per position when positions arrive
   * by the ten thousand a second, and that thread also answers every watch. What goes to the
   * thread is the plaintext of the batch in one buffer (its memory moved, not copied, and wiped
   * there once sealed) and the data keys it does not hold yet.
   */
  async #appendSealedOnWriter(
    positions: readonly Position[],
    writer: { readonly write: SealedWrite; readonly keys: SealingKeySource },
  ): Promise<void> {
    const keys = new Map<string, SealingKey>();
    for (const { watchId } of positions) {
      if (keys.has(watchId)) continue;
      const key = writer.keys.sealingKey(watchId);
      keys.set(watchId, key instanceof Promise ? await key : key);
    }
    const plaintext = encodeBatch(positions);
    try {
      await writer.write(positions, {
        source: writer.keys,
        keys,
        plaintext,
        valueBytes: POSITION_FIELDS_BYTES,
        paramsPerRow: INSERT_COLUMNS.length,
        watchParam: INSERT_COLUMNS.indexOf('watch_id'),
        sealedParam: INSERT_COLUMNS.indexOf('sealed'),
      });
    } finally {
      // Empty (detached) once handed to the thread; wiped here when it was not.
      if (plaintext.byteLength > 0) plaintext.fill(0);
    }
  }

  /** Seals every position's fields; the plaintext, encoded in one buffer, is wiped after. */
  async #seal(positions: readonly Position[]): Promise<Uint8Array[]> {
    const plaintext = encodeBatch(positions);
    try {
      return await Promise.all(
        positions.map((position, index) => {
          const offset = index * POSITION_FIELDS_BYTES;
          const fields = plaintext.subarray(offset, offset + POSITION_FIELDS_BYTES);
          return this.#cipher.seal(position.watchId, fields);
        }),
      );
    } finally {
      plaintext.fill(0);
    }
  }

  async latest(watchId: WatchId): Promise<Position | undefined> {
    const row = await this.#db
      .selectFrom('positions')
      .select(READ_COLUMNS)
      .where('watch_id', '=', watchId)
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : (await this.#positions(watchId, [row]))[0];
  }

  async range(watchId: WatchId, from: Date, to: Date, limit: number): Promise<Position[]> {
    const rows = await this.#db
      .selectFrom('positions')
      .select(READ_COLUMNS)
      .where('watch_id', '=', watchId)
      .where('recorded_at', '>=', toMillis(from))
      .where('recorded_at', '<', toMillis(to))
      .orderBy('recorded_at', 'asc')
      .orderBy('id', 'asc')
      .limit(checkLimit(limit))
      .execute();
    return this.#positions(watchId, rows);
  }

  async count(watchId: WatchId): Promise<number> {
    const { count } = await this.#db
      .selectFrom('positions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('watch_id', '=', watchId)
      .executeTakeFirstOrThrow();
    return count;
  }

  /** The stored rows of one watch as positions, in the same order. */
  async #positions(watchId: WatchId, rows: readonly StoredPosition[]): Promise<Position[]> {
    const fields = await this.#fields.open(watchId, rows);
    const positions = new Array<Position>(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const opened = fields[index] as SensitivePositionFields;
      positions[index] = positionOfRow(watchId, rows[index] as StoredPosition, opened);
    }
    return positions;
  }

  /** Keyset paging on (recorded_at, id): each page is one range scan of the watch's index. */
  async listRange(
    watchId: WatchId,
    from: Date,
    to: Date,
    after: PositionKey | undefined,
    limit: number,
  ): Promise<PositionPage> {
    // One row more than asked tells whether another page follows.
    const rows = await positionPageQuery(this.#db, watchId, from, to, after)
      .select(READ_COLUMNS)
      .limit(checkLimit(limit) + 1)
      .execute();
    const page = rows.length > limit ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    const next =
      rows.length > limit && last !== undefined
        ? { recordedAt: fromMillis(last.recorded_at), sequence: last.id }
        : undefined;
    return { positions: await this.#positions(watchId, page), next };
  }

  /**
   * Appends the page `listRange` gives as the API's JSON: for the positions held by the block
   * of their hour, the JSON kept there; for the others, written from their rows.
   */
  listRangeJson(
    watchId: WatchId,
    from: Date,
    to: Date,
    after: PositionKey | undefined,
    limit: number,
    into: PositionJsonBuffer,
  ): Promise<PositionJsonPage> {
    return this.#jsonPages.listRange(watchId, from, to, after, limit, into);
  }

  async latestFix(watchId: WatchId): Promise<Position | undefined> {
    const row = await this.#db
      .selectFrom('positions')
      .select(READ_COLUMNS)
      .where('watch_id', '=', watchId)
      .where('is_buffered', '=', 0)
      .where('source', '!=', 'none')
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : (await this.#positions(watchId, [row]))[0];
  }
}

/**
 * A batch goes to SQLite as one multi-row INSERT whenever its parameters fit in one statement:
 * a single statement needs no explicit transaction to be atomic, and inside one SQLite keeps a
 * statement journal for every multi-row INSERT (so that a failing statement can be undone
 * alone), which cost about 7 µs of CPU a row, a quarter of the insert (better-sqlite3 12,
 * foreign keys on, a table of 1.4 M positions).
 */
const SQLITE_ROWS_PER_STATEMENT = rowsPerInsert(INSERT_COLUMNS.length);
const MAX_CACHED_TEXTS = 8;
const COLUMN_LIST = INSERT_COLUMNS.map((name) => `"${name}"`).join(', ');

/**
 * PostgreSQL takes the batch as one array per column: one small statement whatever the batch
 * size, where a 500-row VALUES list is 3,500 parameters for the server to parse and plan and
 * for pg to encode one by one (about 5 against 8 µs of client CPU a row, and less server time).
 * `with ordinality` keeps the ids in batch order, which `latest` uses to break ties.
 */
const POSTGRES_INSERT =
  `insert into "positions" (${COLUMN_LIST}) ` +
  'select watch_id, recorded_at, received_at, source, is_buffered, flags, sealed from unnest(' +
  '$1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::integer[], $6::text[], $7::bytea[]' +
  ') with ordinality as batch(watch_id, recorded_at, received_at, source, is_buffered, flags, ' +
  'sealed, n) order by n';

/**
 * The INSERT statements of a batch as SQL text and parameters, written directly rather than
 * through kysely's query builder: a batch of 500 rows would otherwise become 3,500 value nodes
 * to build, freeze and compile, which costs about as much as sealing them. The dialect is
 * told by kysely's placeholders (`$1` on PostgreSQL, `?` on SQLite), asked once.
 */
class PositionInsert {
  readonly #isPostgres: boolean;
  /** SQLite statement texts by row count: under load most batches have the writer's limit. */
  readonly #texts = new Map<number, string>();

  constructor(db: Db) {
    this.#isPostgres = sql`select ${0}`.compile(db).sql.includes('$1');
  }

  /** Without `sealed`, the sealed column holds null, for the writer thread to fill. */
  statements(
    positions: readonly Position[],
    sealed: readonly Uint8Array[] | undefined,
  ): CompiledQuery[] {
    if (!this.#isPostgres) return this.#multiRow(positions, sealed);
    if (sealed === undefined) throw new Error('PostgreSQL batches are sealed before they are sent');
    return [this.#columnArrays(positions, sealed)];
  }

  #columnArrays(positions: readonly Position[], sealed: readonly Uint8Array[]): CompiledQuery {
    const columns: unknown[][] = INSERT_COLUMNS.map(() => []);
    const [watchIds, recordedAt, receivedAt, sources, isBuffered, flags] = columns as [
      unknown[],
      unknown[],
      unknown[],
      unknown[],
      unknown[],
      unknown[],
    ];
    for (const position of positions) {
      watchIds.push(position.watchId);
      recordedAt.push(toMillis(position.recordedAt));
      receivedAt.push(toMillis(position.receivedAt));
      sources.push(position.source);
      isBuffered.push(position.isBuffered ? 1 : 0);
      flags.push(joinNames(position.flags));
    }
    columns[6] = sealed.map((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    return CompiledQuery.raw(POSTGRES_INSERT, columns);
  }

  #multiRow(
    positions: readonly Position[],
    sealed: readonly Uint8Array[] | undefined,
  ): CompiledQuery[] {
    const statements: CompiledQuery[] = [];
    for (let start = 0; start < positions.length; start += SQLITE_ROWS_PER_STATEMENT) {
      const end = Math.min(start + SQLITE_ROWS_PER_STATEMENT, positions.length);
      const parameters = this.rowValues(positions, sealed, start, end);
      statements.push(CompiledQuery.raw(this.#text(end - start), parameters));
    }
    return statements;
  }

  /**
   * The values of the rows from `start` to `end`, one row after the other, in the order of
   * `INSERT_COLUMNS`; without `sealed`, the sealed column holds null.
   */
  rowValues(
    positions: readonly Position[],
    sealed?: readonly Uint8Array[],
    start = 0,
    end = positions.length,
  ): unknown[] {
    const values: unknown[] = [];
    for (let index = start; index < end; index++) {
      const position = positions[index] as Position;
      values.push(
        position.watchId,
        toMillis(position.recordedAt),
        toMillis(position.receivedAt),
        position.source,
        position.isBuffered ? 1 : 0,
        joinNames(position.flags),
        sealed === undefined ? null : sealed[index],
      );
    }
    return values;
  }

  #text(rows: number): string {
    const known = this.#texts.get(rows);
    if (known !== undefined) return known;
    const tuple = `(${INSERT_COLUMNS.map(() => '?').join(', ')})`;
    const text = `insert into "positions" (${COLUMN_LIST}) values ${Array<string>(rows).fill(tuple).join(', ')}`;
    // Batch sizes vary below the writer's limit when the load is light: keep only a few texts.
    if (this.#texts.size >= MAX_CACHED_TEXTS) this.#texts.clear();
    this.#texts.set(rows, text);
    return text;
  }
}

/** How a batch goes to `db`'s writer thread for sealing, when it has one that seals. */
function sealedWriteOf(db: Db, insert: PositionInsert): SealedWrite | undefined {
  const copy = sealedCopyRunnerOf(db);
  if (copy !== undefined) {
    return (positions, column) => copy(POSITIONS_COPY, insert.rowValues(positions), column);
  }
  const run = sealedBatchRunnerOf(db);
  if (run !== undefined) {
    return (positions, column) => run(insert.statements(positions, undefined), column);
  }
  return undefined;
}

/** The sealed fields of every position, one after the other in one buffer of its own. */
function encodeBatch(positions: readonly Position[]): Buffer {
  const plaintext = Buffer.alloc(positions.length * POSITION_FIELDS_BYTES);
  for (let index = 0; index < positions.length; index++) {
    encodePositionFieldsInto(
      positions[index] as Position,
      plaintext,
      index * POSITION_FIELDS_BYTES,
    );
  }
  return plaintext;
}

function isSealingKeySource(cipher: object): cipher is SealingKeySource {
  const candidate = cipher as Partial<SealingKeySource>;
  return (
    typeof candidate.sealingKey === 'function' &&
    typeof candidate.isCurrent === 'function' &&
    typeof candidate.onDestroy === 'function'
  );
}
