/**
 * The baseline of the ingest benchmark: the store's own capacity for 100-row multi-row INSERTs
 * into Kinwatch's `positions` table (created by the real migrations), each statement its own
 * transaction, with the connection settings Kinwatch uses. It writes into the very table the
 * running Kinwatch writes to, while Kinwatch is idle, so both sides always meet the same table
 * and index size. Rows carry pre-computed blobs of the size Kinwatch seals, so nothing but the
 * insert is timed.
 */
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../packages/server/src/adapters/sql/open-database.ts';
import { processCpuSeconds } from './machine.ts';

export const ROWS_PER_INSERT = 100;
const COLUMNS = [
  'watch_id',
  'recorded_at',
  'received_at',
  'source',
  'is_buffered',
  'flags',
  'sealed',
];
const BLOB_POOL = 4096;
const PRELOAD_STATEMENTS_PER_TRANSACTION = 100;

/** Rows/s of one timed phase, and the time of each statement (one commit). */
export interface RawPhase {
  readonly rowsPerSecond: number;
  readonly commitMs: readonly number[];
  /** CPU of this process and of its database backend (PostgreSQL) per row inserted. */
  readonly cpuMicrosPerRow: number | undefined;
}

export interface RawStore {
  /** Rows this store has inserted, preload included. */
  readonly inserted: number;
  /** Inserts `rows` (rounded up to whole statements), untimed, in large transactions. */
  preload(rows: number, startedAtMs: number): Promise<void>;
  /** Inserts for `warmupMs` untimed, then for `durationMs` timed. */
  run(warmupMs: number, durationMs: number): Promise<RawPhase>;
  /** PostgreSQL backends serving other clients of the database (Kinwatch's); none on SQLite. */
  otherBackends(): Promise<number[]>;
  close(): Promise<void>;
}

/** The ids of the provisioned watches, and the row count of `positions`. */
export async function readTable(url: string): Promise<{ watchIds: string[]; positions: number }> {
  const database = await openDatabase(url, { poolSize: 1, postgresWriterThread: false });
  try {
    const rows = await database.db.selectFrom('watches').select('id').orderBy('id').execute();
    const { rows: counted } = await sql<{
      n: number | string;
    }>`select count(*) as n from positions`.execute(database.db);
    return { watchIds: rows.map((row) => row.id), positions: Number(counted[0]?.n ?? 0) };
  } finally {
    await database.close();
  }
}

/** Row values in column order: watches in turn, device times one second apart per watch. */
class RowSource {
  readonly #watchIds: readonly string[];
  readonly #blobs: Buffer[];
  #row = 0;
  startedAtMs: number;
  stepMs = 1000;

  constructor(watchIds: readonly string[], blobBytes: number, startedAtMs: number) {
    this.#watchIds = watchIds;
    this.#blobs = Array.from({ length: BLOB_POOL }, () => randomBytes(blobBytes));
    this.startedAtMs = startedAtMs;
  }

  restart(startedAtMs: number, stepMs: number): void {
    this.#row = 0;
    this.startedAtMs = startedAtMs;
    this.stepMs = stepMs;
  }

  /** The parameters of one multi-row INSERT. */
  nextBatch(rows: number): unknown[] {
    const values: unknown[] = [];
    const watches = this.#watchIds.length;
    for (let i = 0; i < rows; i++) {
      const row = this.#row++;
      const recordedAt = this.startedAtMs + Math.floor(row / watches) * this.stepMs;
      values.push(
        this.#watchIds[row % watches],
        recordedAt,
        recordedAt + 700,
        'gps',
        0,
        '',
        this.#blobs[row % BLOB_POOL],
      );
    }
    return values;
  }
}

function insertText(placeholder: (index: number) => string): string {
  const tuples = Array.from({ length: ROWS_PER_INSERT }, (_, row) => {
    const cells = COLUMNS.map((_, column) => placeholder(row * COLUMNS.length + column));
    return `(${cells.join(',')})`;
  });
  return `insert into positions (${COLUMNS.join(',')}) values ${tuples.join(',')}`;
}

interface Executor {
  /** The PostgreSQL backend process of this connection; undefined on SQLite. */
  readonly backendPid: number | undefined;
  otherBackends(): Promise<number[]>;
  insert(values: unknown[]): Promise<void> | void;
  transaction(statements: () => Promise<void> | void): Promise<void> | void;
  afterPreload(): Promise<void> | void;
  close(): Promise<void> | void;
}

/** CPU seconds of this process plus the backend's, when it has one. */
function cpuSeconds(backendPid: number | undefined): number | undefined {
  const usage = process.cpuUsage();
  const own = (usage.user + usage.system) / 1e6;
  if (backendPid === undefined) return own;
  const backend = processCpuSeconds(backendPid);
  return backend === undefined ? undefined : own + backend;
}

/** Times `insert` statements of fresh rows, the way both stores share. */
function rawStore(executor: Executor, rows: RowSource): RawStore {
  let inserted = 0;
  const phase = async (durationMs: number, commitMs: number[] | undefined) => {
    const started = performance.now();
    const deadline = started + durationMs;
    let count = 0;
    while (performance.now() < deadline) {
      const values = rows.nextBatch(ROWS_PER_INSERT);
      const before = performance.now();
      await executor.insert(values);
      commitMs?.push(performance.now() - before);
      count += ROWS_PER_INSERT;
    }
    inserted += count;
    return (count * 1000) / (performance.now() - started);
  };
  return {
    get inserted() {
      return inserted;
    },
    preload: async (count, startedAtMs) => {
      const liveStart = rows.startedAtMs;
      // One day of history before the live rows, one fix a minute per watch.
      rows.restart(startedAtMs, 60_000);
      const perTransaction = ROWS_PER_INSERT * PRELOAD_STATEMENTS_PER_TRANSACTION;
      for (let done = 0; done < count; done += perTransaction) {
        const statements = Math.ceil(Math.min(perTransaction, count - done) / ROWS_PER_INSERT);
        await executor.transaction(async () => {
          for (let i = 0; i < statements; i++)
            await executor.insert(rows.nextBatch(ROWS_PER_INSERT));
        });
        inserted += statements * ROWS_PER_INSERT;
      }
      rows.restart(liveStart, 1000);
      await executor.afterPreload();
    },
    run: async (warmupMs, durationMs) => {
      await phase(warmupMs, undefined);
      const commitMs: number[] = [];
      const cpuBefore = cpuSeconds(executor.backendPid);
      const rowsPerSecond = await phase(durationMs, commitMs);
      const cpuAfter = cpuSeconds(executor.backendPid);
      const cpuMicrosPerRow =
        cpuBefore === undefined || cpuAfter === undefined
          ? undefined
          : ((cpuAfter - cpuBefore) * 1e6) / (commitMs.length * ROWS_PER_INSERT);
      return { rowsPerSecond, commitMs, cpuMicrosPerRow };
    },
    otherBackends: () => executor.otherBackends(),
    close: async () => {
      await executor.close();
    },
  };
}

/** better-sqlite3 on Kinwatch's database file, with the pragmas `openDatabase` sets. */
export function rawSqlite(
  path: string,
  watchIds: readonly string[],
  blobBytes: number,
  startedAtMs: number,
): RawStore {
  const db = new BetterSqlite3(path, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const insert = db.prepare(insertText(() => '?'));
  const executor: Executor = {
    backendPid: undefined,
    otherBackends: () => Promise.resolve([]),
    insert: (values) => {
      insert.run(values);
    },
    transaction: async (statements) => {
      db.exec('begin');
      await statements();
      db.exec('commit');
    },
    afterPreload: () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    close: () => {
      db.close();
    },
  };
  return rawStore(executor, new RowSource(watchIds, blobBytes, startedAtMs));
}

/** One pg connection and one named prepared statement. */
export async function rawPostgres(
  url: string,
  watchIds: readonly string[],
  blobBytes: number,
  startedAtMs: number,
): Promise<RawStore> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const text = insertText((index) => `$${index + 1}`);
  const { rows: own } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const executor: Executor = {
    backendPid: own[0]?.pid,
    otherBackends: async () => {
      const { rows } = await client.query<{ pid: number }>(
        'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      return rows.map((row) => row.pid);
    },
    insert: async (values) => {
      await client.query({ name: 'raw-positions', text, values });
    },
    transaction: async (statements) => {
      await client.query('begin');
      await statements();
      await client.query('commit');
    },
    afterPreload: async () => {
      await client.query('vacuum analyze positions');
      await client.query('checkpoint');
    },
    close: () => client.end(),
  };
  return rawStore(executor, new RowSource(watchIds, blobBytes, startedAtMs));
}
