import { WriterChannel, type SealedColumn } from './writer-channel.ts';

export type { SealedColumn } from './writer-channel.ts';

export interface SqliteWriterOptions {
  /** How long a write waits for another connection's lock. */
  readonly busyTimeoutMs: number;
  /** Prepared statements kept by the thread. Default 1,000. */
  readonly maxStatements?: number;
}

/** What a statement run on the writer thread gives back. */
export type SqliteWriteResult =
  | { readonly rows: readonly Record<string, unknown>[] }
  | {
      readonly rows?: undefined;
      readonly changes: number;
      readonly lastInsertRowid: number | bigint;
    };

/** The writer thread stopped, or could not start. */
export class SqliteWriterStoppedError extends Error {
  override readonly name = 'SqliteWriterStoppedError';
}

const WORKER_URL = new URL('./sqlite-writer.worker.mjs', import.meta.url);

/**
 * A worker thread that owns the connection that writes to a SQLite file
 * (`sqlite-writer.worker.mjs`). better-sqlite3 is synchronous: on the main thread every
 * statement, and every commit's fsync, would hold up the event loop (the gateway's replies,
 * alarms, the API) for as long as it takes. Here the main thread sends the statement and goes
 * on; the thread runs the statements in the order they were sent.
 *
 * Errors keep SQLite's `code` (`SQLITE_CONSTRAINT_UNIQUE`, ...) and get the sender's stack.
 * If the thread stops unexpectedly, what it was asked and had not answered fails with
 * `SqliteWriterStoppedError`, and the next request starts a new thread.
 */
export class SqliteWriterThread {
  readonly #channel: WriterChannel;

  private constructor(path: string, options: SqliteWriterOptions) {
    this.#channel = new WriterChannel({
      workerUrl: WORKER_URL,
      workerData: {
        path,
        busyTimeoutMs: options.busyTimeoutMs,
        maxStatements: options.maxStatements ?? 1_000,
      },
      name: 'SQLite writer thread',
      openFailure: (reason) => `cannot open ${path} for writing: ${reason}`,
      stopped: (message) => new SqliteWriterStoppedError(message),
      ownFrames: /\/sqlite-writer-(thread|dialect)\.ts:/,
    });
  }

  /** Starts the thread and waits until its connection is open. */
  static async start(path: string, options: SqliteWriterOptions): Promise<SqliteWriterThread> {
    const thread = new SqliteWriterThread(path, options);
    await thread.#channel.start();
    return thread;
  }

  /** Statements sent and not answered yet. */
  get pendingCount(): number {
    return this.#channel.pendingCount;
  }

  /**
   * Runs one statement on the writer's connection. Once the thread is running, the statement is
   * sent before this returns, so statements run in the order of the calls.
   */
  execute(sql: string, params: readonly unknown[]): Promise<SqliteWriteResult> {
    return this.#channel
      .request(() => ({ message: { sql, params } }))
      .then((answer) => {
        if (answer.rows !== undefined) return { rows: answer.rows.map(withBuffers) };
        return { changes: answer.changes ?? 0, lastInsertRowid: answer.lastInsertRowid ?? 0 };
      });
  }

  /**
   * Runs the statements in one transaction of their own, in one exchange with the thread
   * rather than one per statement. Sent before this returns, as `execute`.
   */
  async executeBatch(
    statements: readonly { readonly sql: string; readonly params: readonly unknown[] }[],
  ): Promise<void> {
    await this.#channel.request(() => ({ message: { batch: statements } }));
  }

  /**
   * `executeBatch` with one column sealed by the thread (see `SealedColumn`); the parameter in
   * that place of each row is replaced. The keys the thread lacks go with the batch.
   */
  async executeSealedBatch(
    statements: readonly { readonly sql: string; readonly params: readonly unknown[] }[],
    column: SealedColumn,
  ): Promise<void> {
    await this.#channel.request(() => {
      const { message, transfer } = this.#channel.sealing(column);
      return { message: { ...message, batch: statements }, transfer };
    });
  }

  /** Data keys the thread holds. */
  get heldKeys(): number {
    return this.#channel.heldKeys;
  }

  /** Rolls back the writer's transaction if one is open; does nothing otherwise. */
  async rollbackIfOpen(): Promise<void> {
    await this.#channel.request(() => ({ message: { rollbackIfOpen: true } }));
  }

  /** Waits for what was sent, closes the connection and ends the thread. */
  close(): Promise<void> {
    return this.#channel.close();
  }
}

/** Blobs arrive from the thread as plain Uint8Arrays; the rest of the code reads Buffers. */
function withBuffers(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const value = row[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return row;
}
