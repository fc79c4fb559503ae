import {
  CompiledQuery,
  SelectQueryNode,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { SqliteStatementCache } from './sqlite-statement-cache.ts';
import type { SqliteWriterThread } from './sqlite-writer-thread.ts';

/**
 * kysely's SQLite dialect with the writes on a writer thread. A SQLite file in WAL mode has
 * one writer at a time and any number of readers, each reading the last committed state:
 *
 * - a statement that only reads, outside a transaction, runs at once on the main thread's
 *   connection (better-sqlite3's `readonly`, so `INSERT ... RETURNING` is a write);
 * - every other statement, and everything inside a transaction, runs on the writer thread
 *   (`SqliteWriterThread`), which runs them in the order they were sent. Lone writes are sent
 *   as they come, without waiting for one another; while a transaction is open, nothing else
 *   is sent until it ends, so no lone write or other transaction runs inside it
 *   (`WriteOrder`).
 *
 * A read that follows a write it awaited sees that write: the write was committed before its
 * answer came back. Reads never wait for a transaction that is open on the writer.
 */
export class SqliteWriterDialect extends SqliteDialect {
  readonly #driver: SqliteWriterDriver;

  constructor(reader: SqliteStatementCache, writer: SqliteWriterThread) {
    super({ database: reader });
    this.#driver = new SqliteWriterDriver(reader, writer);
  }

  override createDriver(): Driver {
    return this.#driver;
  }

  /** The statements in one transaction, in one exchange with the writer thread. */
  executeBatch(statements: readonly CompiledQuery[]): Promise<void> {
    return this.#driver.executeBatch(statements);
  }
}

class SqliteWriterDriver implements Driver {
  readonly #reader: SqliteStatementCache;
  readonly #writer: SqliteWriterThread;
  readonly #order = new WriteOrder();
  /** Connections handed out and not yet given back: queries running. */
  #inUse = 0;
  readonly #idleWaiters: (() => void)[] = [];
  #isDestroyed = false;

  constructor(reader: SqliteStatementCache, writer: SqliteWriterThread) {
    this.#reader = reader;
    this.#writer = writer;
  }

  async init(): Promise<void> {
    // Both connections are open already.
  }

  acquireConnection(): Promise<DatabaseConnection> {
    if (this.#isDestroyed) return Promise.reject(new Error('the database is closed'));
    this.#inUse++;
    return Promise.resolve(new RoutedConnection(this.#reader, this.#writer, this.#order));
  }

  executeBatch(statements: readonly CompiledQuery[]): Promise<void> {
    if (this.#isDestroyed) return Promise.reject(new Error('the database is closed'));
    const batch = statements.map(({ sql, parameters }) => ({ sql, params: parameters }));
    this.#inUse++;
    return this.#order
      .lone(() => this.#writer.executeBatch(batch))
      .finally(() => {
        this.#inUse--;
        if (this.#inUse === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
      });
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await routed(connection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await routed(connection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await routed(connection).rollback();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await routed(connection).release();
    } finally {
      this.#inUse--;
      if (this.#inUse === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  async destroy(): Promise<void> {
    this.#isDestroyed = true;
    // Queries already started, and writes already sent, finish before the connections close.
    if (this.#inUse > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    try {
      await this.#writer.close();
    } finally {
      this.#reader.close();
    }
  }
}

function routed(connection: DatabaseConnection): RoutedConnection {
  if (connection instanceof RoutedConnection) return connection;
  throw new TypeError('not a connection of the SQLite writer dialect');
}

class RoutedConnection implements DatabaseConnection {
  readonly #reader: SqliteStatementCache;
  readonly #writer: SqliteWriterThread;
  readonly #order: WriteOrder;
  #inTransaction = false;

  constructor(reader: SqliteStatementCache, writer: SqliteWriterThread, order: WriteOrder) {
    this.#reader = reader;
    this.#writer = writer;
    this.#order = order;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    if (this.#inTransaction) return this.#onWriter<R>(sql, parameters);
    const statement = this.#reader.prepare(sql);
    if (statement.readonly) {
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      statement.run(parameters);
      return { rows: [] };
    }
    return this.#order.lone(() => this.#onWriter<R>(sql, parameters));
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query)) {
      throw new Error('the SQLite driver streams select queries only');
    }
    if (this.#inTransaction) {
      const result = await this.#onWriter<R>(sql, parameters);
      for (const row of result.rows) yield { rows: [row] };
      return;
    }
    for (const row of this.#reader.prepare(sql).iterate(parameters)) yield { rows: [row as R] };
  }

  async begin(): Promise<void> {
    await this.#order.beginTransaction();
    this.#inTransaction = true;
    try {
      await this.#writer.execute('begin', []);
    } catch (error) {
      this.#end();
      throw error;
    }
  }

  async commit(): Promise<void> {
    // A failed COMMIT may leave the transaction open: the lock stays held until the rollback
    // that kysely sends next, or the release.
    await this.#writer.execute('commit', []);
    this.#end();
  }

  async rollback(): Promise<void> {
    try {
      await this.#writer.rollbackIfOpen();
    } finally {
      this.#end();
    }
  }

  /** A transaction still open when its connection is given back is rolled back. */
  async release(): Promise<void> {
    if (!this.#inTransaction) return;
    await this.rollback();
  }

  /** Sends the statement before it returns (see SqliteWriterThread.execute). */
  #onWriter<R>(sql: string, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    return this.#writer.execute(sql, parameters).then((result) => {
      if (result.rows !== undefined) return { rows: result.rows as R[] };
      return {
        rows: [],
        numAffectedRows: BigInt(result.changes),
        insertId: BigInt(result.lastInsertRowid),
      };
    });
  }

  #end(): void {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    this.#order.endTransaction();
  }
}

/**
 * The order in which writes are sent to the writer thread. The thread runs what it receives in
 * order, so a lone write needs no lock: it only must not be sent while a transaction is open
 * (it would become part of it). Waiters, lone writes and transactions alike, go in the order
 * they came.
 */
class WriteOrder {
  #isTransactionOpen = false;
  readonly #waiting: { readonly isTransaction: boolean; readonly go: () => void }[] = [];

  /** Sends a lone write now, or as soon as the open transaction and those before it end. */
  lone<T>(send: () => Promise<T>): Promise<T> {
    if (!this.#isTransactionOpen && this.#waiting.length === 0) return send();
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({
        isTransaction: false,
        go: () => {
          send().then(resolve, reject);
        },
      });
    });
  }

  /** Resolves when the transaction may send its `begin`: no other transaction is open. */
  beginTransaction(): Promise<void> {
    if (!this.#isTransactionOpen && this.#waiting.length === 0) {
      this.#isTransactionOpen = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.#waiting.push({ isTransaction: true, go: resolve });
    });
  }

  endTransaction(): void {
    this.#isTransactionOpen = false;
    while (!this.#isTransactionOpen) {
      const next = this.#waiting.shift();
      if (next === undefined) return;
      if (next.isTransaction) this.#isTransactionOpen = true;
      next.go();
    }
  }
}
