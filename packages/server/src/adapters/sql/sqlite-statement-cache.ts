import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * The better-sqlite3 database as kysely's SqliteDialect takes it, with each statement prepared
 * once and kept for the next query with the same text: kysely's SQLite driver prepares every
 * query it runs, and preparing costs about as much as running a short statement.
 *
 * At most `maxStatements` are kept, the least recently used dropped first. A statement that is
 * still being iterated (an unfinished `stream()`) is not handed out again: the query gets a
 * statement of its own.
 */
export class SqliteStatementCache implements SqliteDatabase {
  readonly #database: BetterSqlite3.Database;
  readonly #maxStatements: number;
  /** Insertion order is recency: a hit moves its statement to the end. */
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(database: BetterSqlite3.Database, maxStatements = 1_000) {
    this.#database = database;
    this.#maxStatements = maxStatements;
  }

  prepare(sql: string): BetterSqlite3.Statement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      if (cached.busy) return this.#database.prepare(sql);
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#database.prepare(sql);
    if (this.#statements.size >= this.#maxStatements) {
      const oldest = this.#statements.keys().next();
      if (oldest.done !== true) this.#statements.delete(oldest.value);
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  /** True while a transaction is open on this connection. */
  get inTransaction(): boolean {
    return this.#database.inTransaction;
  }

  /** Statements kept now. */
  get size(): number {
    return this.#statements.size;
  }

  close(): void {
    this.#statements.clear();
    this.#database.close();
  }
}
