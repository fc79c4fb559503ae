import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { registerBatchRunners } from './atomic-statements.ts';
import type { Database, Db } from './database.ts';
import { PostgresWriterThread } from './postgres-writer-thread.ts';
import { POSTGRES, SQLITE, type SqlFlavour } from './sql-flavour.ts';
import { SqliteStatementCache } from './sqlite-statement-cache.ts';
import { SqliteWriterDialect } from './sqlite-writer-dialect.ts';
import { SqliteWriterThread } from './sqlite-writer-thread.ts';

export interface OpenDatabaseOptions {
  /**
   * PostgreSQL only: the schema to work in (it must exist), set as the connection's
   * search_path. Default: the server's search_path.
   */
  readonly postgresSchema?: string;
  /** PostgreSQL only: connections in the pool. Default 10. */
  readonly poolSize?: number;
  /** SQLite only: how long a write waits for another process's lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /**
   * SQLite files only: run the statements that write on a writer thread
   * (`SqliteWriterThread`), so that they and their commits' fsyncs do not hold up the main
   * thread. Default true; an in-memory database is always written on the main thread.
   */
  readonly writerThread?: boolean;
  /**
   * PostgreSQL only: seal position batches and copy them into the table on a writer thread
   * (`PostgresWriterThread`) rather than seal them on the main thread and insert them through
   * the pool. Default true.
   */
  readonly postgresWriterThread?: boolean;
}

export interface SqlDatabase {
  readonly db: Db;
  readonly flavour: SqlFlavour;
  /**
   * Position batches that may be under way at once: 1 on a single SQLite connection on this
   * thread; 2 with a writer thread on a SQLite file (it queues the next while one commits) and
   * on PostgreSQL's pool; 3 with the PostgreSQL writer thread, whose one connection then always
   * has the next batch sealed and queued, even when this thread is late to send another
   * (docs/benchmarks.md).
   */
  readonly positionBatchesAtOnce: number;
  /** Finishes running queries and closes every connection. */
  close(): Promise<void>;
}

/**
 * Opens the database a URL names and checks that it answers:
 * `sqlite:<path>` (the parent directory is created), `sqlite::memory:`, or
 * `postgres://` / `postgresql://` URLs as libpq takes them. Does not migrate.
 * Throws, with any password removed from the message, when the URL is not one of these or the
 * database cannot be reached.
 */
export async function openDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<SqlDatabase> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), options);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return openPostgres(url, options);
  }
  throw new Error(
    `unsupported database URL ${redactUrl(url)}: use sqlite:<path>, sqlite::memory: or postgres://...`,
  );
}

/** How long the writer thread waits for SQLite's write lock. */
const WRITER_BUSY_TIMEOUT_MS = 60_000;

async function openSqlite(location: string, options: OpenDatabaseOptions): Promise<SqlDatabase> {
  const path = location.startsWith('//') ? location.slice(2) : location;
  if (path === '')
    throw new Error('sqlite: URL without a path; use sqlite:<path> or sqlite::memory:');
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot open the SQLite database ${path}: ${reason}`, { cause: error });
  }
  try {
    sqlite.pragma('journal_mode = WAL');
    // FULL: a commit is on disk when it returns, so a position acknowledged by the writer
    // survives a power cut, not just a crash of the process.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const statements = new SqliteStatementCache(sqlite);
  if (inMemory || options.writerThread === false) {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
    return { db, flavour: SQLITE, positionBatchesAtOnce: 1, close: () => db.destroy() };
  }
  let writer: SqliteWriterThread;
  try {
    // The writer may wait for a transaction on the main connection, with async steps in it,
    // to end: waiting costs only its own thread, and giving up would fail a position batch.
    writer = await SqliteWriterThread.start(resolve(path), {
      busyTimeoutMs: Math.max(busyTimeoutMs, WRITER_BUSY_TIMEOUT_MS),
    });
  } catch (error) {
    statements.close();
    throw error;
  }
  // Checkpoints are the writer thread's, on a timer (sqlite-writer.worker.mjs): none lands on a
  // commit of this thread.
  sqlite.pragma('wal_autocheckpoint = 0');
  const dialect = new SqliteWriterDialect(statements, writer);
  const db = new Kysely<Database>({ dialect });
  registerBatchRunners(db, {
    run: (batch) => dialect.executeBatch(batch),
    runSealed: (batch, column) => dialect.executeSealedBatch(batch, column),
  });
  return { db, flavour: SQLITE, positionBatchesAtOnce: 2, close: () => db.destroy() };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<SqlDatabase> {
  // int8 (bigint) arrives as a string by default. Every bigint here is an epoch millisecond,
  // an id or a count, all far below 2^53.
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  const schema = options.postgresSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`postgresSchema ${JSON.stringify(schema)} must be a lower-case identifier`);
  }
  const pool = new pg.Pool({
    connectionString: withDefaultUser(url),
    max: options.poolSize ?? 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const unreachable = (error: unknown): Error => {
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(`cannot reach PostgreSQL at ${redactUrl(url)}: ${reason}`, { cause: error });
  };
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw unreachable(error);
  }
  if (options.postgresWriterThread === false) {
    return { db, flavour: POSTGRES, positionBatchesAtOnce: 2, close: () => db.destroy() };
  }
  let writer: PostgresWriterThread;
  try {
    writer = await PostgresWriterThread.start(withDefaultUser(url), {
      ...(schema === undefined ? {} : { schema }),
    });
  } catch (error) {
    await db.destroy();
    throw unreachable(error);
  }
  registerBatchRunners(db, {
    copySealed: (target, rows, column) => writer.copySealed(target, rows, column),
  });
  const close = async (): Promise<void> => {
    // The writer first: what it was sent is stored before the connections close.
    await writer.close();
    await db.destroy();
  };
  return { db, flavour: POSTGRES, positionBatchesAtOnce: 3, close };
}

/**
 * libpq connects as the operating-system user when the URL names none; pg only looks at
 * $PGUSER and $USER, which service managers often leave unset.
 */
export function withDefaultUser(url: string): string {
  if (process.env['PGUSER'] || process.env['USER']) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username !== '' || parsed.hostname === '') return url;
  parsed.username = userInfo().username;
  return parsed.toString();
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
