import {
  CompiledQuery,
  SelectQueryNode,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { SqliteStatementCache } from './sqlite-statement-cache.ts';
import type { SealedColumn, SqliteWriterThread } from './sqlite-writer-thread.ts';

/**
 * kysely's SQLite dialect with the writes on a writer thread when there is a queue. A SQLite
 * file in WAL mode has one writer at a time and any number of readers, each reading the last
 * committed state:
 *
 * - a statement that only reads runs at once on the main thread's connection
 *   (better-sqlite3's `readonly`, so `INSERT ... RETURNING` is a write);
 * - a write, or a transaction, runs on the main thread's connection too when the writer thread
 *   is idle (nothing sent and unanswered, no transaction open, nothing waiting): no one else
 *   holds the write lock then, and an alarm, say, is committed without an exchange between
 *   threads;
 * - otherwise it goes to the writer thread (`SqliteWriterThread`), which runs what it receives
 *   in order, so the main thread never waits for a lock or a queue. Lone writes are sent as
 *   they come; while a transaction is open on the writer, nothing else is sent until it ends
 *   (`WriteOrder`);
 * - batches (`executeBatch`, used by `executeAtomically` for position batches, status
 *   flushes and Wi-Fi learning) always go to the writer: they are the bulk whose inserts and
 *   fsyncs the main thread should not wait for.
 *
 * Transactions begin with `BEGIN IMMEDIATE`, taking the write lock at once, so a transaction
 * never fails to upgrade a read snapshot that the other connection's commit made stale. While
 * a transaction runs on the main connection, reads from elsewhere wait for it to end (they
 * would otherwise see its uncommitted writes), and writes go to the writer thread, which waits
 * for SQLite's lock on its own thread.
 *
 * A read that follows a write it awaited sees that write: the write was committed before its
 * answer came back.
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

  /** `executeBatch` with one column of each row sealed by the writer thread. */
  executeSealedBatch(statements: readonly CompiledQuery[], column: SealedColumn): Promise<void> {
    return this.#driver.executeBatch(statements, column);
  }
}

class SqliteWriterDriver implements Driver {
  readonly #reader: SqliteStatementCache;
  readonly #writer: SqliteWriterThread;
  readonly #order = new WriteOrder();
  /** Held by a transaction that runs on the main thread's connection. */
  readonly #mainTransactions = new AsyncLock();
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
    return Promise.resolve(
      new RoutedConnection(this.#reader, this.#writer, this.#order, this.#mainTransactions),
    );
  }

  executeBatch(statements: readonly CompiledQuery[], sealed?: SealedColumn): Promise<void> {
    if (this.#isDestroyed) return Promise.reject(new Error('the database is closed'));
    const batch = statements.map(({ sql, parameters }) => ({ sql, params: parameters }));
    this.#inUse++;
    return this.#order
      .lone(() =>
        sealed === undefined
          ? this.#writer.executeBatch(batch)
          : this.#writer.executeSealedBatch(batch, sealed),
      )
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
  readonly #mainTransactions: AsyncLock;
  /** Where this connection's open transaction runs, if one is open. */
  #transaction: 'main' | 'writer' | undefined;

  constructor(
    reader: SqliteStatementCache,
    writer: SqliteWriterThread,
    order: WriteOrder,
    mainTransactions: AsyncLock,
  ) {
    this.#reader = reader;
    this.#writer = writer;
    this.#order = order;
    this.#mainTransactions = mainTransactions;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    if (this.#transaction === 'writer') return this.#onWriter<R>(sql, parameters);
    if (this.#transaction === 'main') return this.#onMain<R>(sql, parameters);
    const statement = this.#reader.prepare(sql);
    if (statement.readonly) {
      // Not inside another caller's transaction on the main connection.
      if (this.#mainTransactions.isHeld) await this.#mainTransactions.waitUntilFree();
      return this.#onMain<R>(sql, parameters);
    }
    if (this.#canWriteOnMain()) return this.#onMain<R>(sql, parameters);
    return this.#order.lone(() => this.#onWriter<R>(sql, parameters));
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query)) {
      throw new Error('the SQLite driver streams select queries only');
    }
    if (this.#transaction === 'writer') {
      const result = await this.#onWriter<R>(sql, parameters);
      for (const row of result.rows) yield { rows: [row] };
      return;
    }
    if (this.#transaction === undefined && this.#mainTransactions.isHeld) {
      await this.#mainTransactions.waitUntilFree();
    }
    for (const row of this.#reader.prepare(sql).iterate(parameters)) yield { rows: [row as R] };
  }

  async begin(): Promise<void> {
    if (this.#canWriteOnMain()) {
      // Free, so taken at once: nothing can come between the check and the BEGIN.
      await this.#mainTransactions.acquire();
      this.#transaction = 'main';
      try {
        this.#reader.prepare('begin immediate').run();
      } catch (error) {
        this.#end();
        throw error;
      }
      return;
    }
    await this.#order.beginTransaction();
    this.#transaction = 'writer';
    try {
      await this.#writer.execute('begin immediate', []);
    } catch (error) {
      this.#end();
      throw error;
    }
  }

  async commit(): Promise<void> {
    // A failed COMMIT may leave the transaction open: it stays this connection's until the
    // rollback that kysely sends next, or the release.
    if (this.#transaction === 'main') this.#reader.prepare('commit').run();
    else await this.#writer.execute('commit', []);
    this.#end();
  }

  async rollback(): Promise<void> {
    try {
      if (this.#transaction === 'main') {
        if (this.#reader.inTransaction) this.#reader.prepare('rollback').run();
      } else {
        await this.#writer.rollbackIfOpen();
      }
    } finally {
      this.#end();
    }
  }

  /** A transaction still open when its connection is given back is rolled back. */
  async release(): Promise<void> {
    if (this.#transaction === undefined) return;
    await this.rollback();
  }

  /**
   * A write can run at once on the main connection when the writer thread has nothing sent and
   * unanswered, no transaction is open anywhere and no write is waiting: then no other
   * connection holds SQLite's write lock, and running it here costs no exchange between
   * threads. Otherwise it goes to the writer, so that the main thread never waits for a lock.
   */
  #canWriteOnMain(): boolean {
    return this.#writer.pendingCount === 0 && this.#order.isIdle && !this.#mainTransactions.isHeld;
  }

  #onMain<R>(sql: string, parameters: readonly unknown[]): QueryResult<R> {
    const statement = this.#reader.prepare(sql);
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
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
    const transaction = this.#transaction;
    this.#transaction = undefined;
    if (transaction === 'main') this.#mainTransactions.release();
    else if (transaction === 'writer') this.#order.endTransaction();
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

  /** No transaction open on the writer and nothing waiting to be sent. */
  get isIdle(): boolean {
    return !this.#isTransactionOpen && this.#waiting.length === 0;
  }

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

/** A lock handed to waiters in the order they asked. */
class AsyncLock {
  #isHeld = false;
  readonly #waiting: (() => void)[] = [];
  readonly #freeWaiters: (() => void)[] = [];

  get isHeld(): boolean {
    return this.#isHeld;
  }

  acquire(): Promise<void> {
    if (!this.#isHeld) {
      this.#isHeld = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) {
      next();
      return;
    }
    this.#isHeld = false;
    for (const wake of this.#freeWaiters.splice(0)) wake();
  }

  /** Resolves once no one holds the lock (without taking it). */
  waitUntilFree(): Promise<void> {
    if (!this.#isHeld) return Promise.resolve();
    return new Promise((resolve) => this.#freeWaiters.push(resolve));
  }
}
