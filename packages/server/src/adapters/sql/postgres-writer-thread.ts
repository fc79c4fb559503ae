import type { CopyType } from './postgres-copy.mjs';
import { WriterChannel, type SealedColumn } from './writer-channel.ts';

export interface PostgresWriterOptions {
  /** The schema to write in, as the connection's search_path; default the server's. */
  readonly schema?: string;
  /**
   * Connections of the thread, so copies that may run at once. Default 1: the copies of two
   * batches at once lock the same watches' rows for the foreign key check, and measured slower
   * (docs/benchmarks.md); a batch sent while one copies is sealed and encoded meanwhile, and
   * sent when that one is done.
   */
  readonly connections?: number;
}

/** Where a copy goes: a table, its columns, and each column's type. */
export interface CopyTarget {
  readonly table: string;
  readonly columns: readonly string[];
  readonly types: readonly CopyType[];
}

/** The PostgreSQL writer thread stopped, or could not start. */
export class PostgresWriterStoppedError extends Error {
  override readonly name = 'PostgresWriterStoppedError';
}

const WORKER_URL = new URL('./postgres-writer.worker.mjs', import.meta.url);

/**
 * A worker thread that writes position batches to PostgreSQL (`postgres-writer.worker.mjs`):
 * it seals each row under its watch's data key, encodes the batch in COPY's binary format and
 * sends it with `COPY ... FROM STDIN`, on a connection of its own. At ten thousand positions a
 * second, sealing and encoding the values as query parameters took a quarter of the main
 * thread, which also answers every watch; COPY also costs the database less per row than a
 * multi-row INSERT of the same rows.
 *
 * Each copy is one statement, so all of a batch is stored or none of it. With more than one
 * connection, copies may commit in another order than they were sent; the position writer
 * settles batches in the order it submitted them. Errors keep PostgreSQL's `code` and get the
 * sender's stack; if the thread stops, what it had not answered fails with
 * `PostgresWriterStoppedError`, and the next batch starts a new thread.
 */
export class PostgresWriterThread {
  readonly #channel: WriterChannel;

  private constructor(url: string, options: PostgresWriterOptions) {
    this.#channel = new WriterChannel({
      workerUrl: WORKER_URL,
      workerData: { url, schema: options.schema, connections: options.connections ?? 1 },
      name: 'PostgreSQL writer thread',
      openFailure: (reason) => `the PostgreSQL writer thread cannot connect: ${reason}`,
      stopped: (message) => new PostgresWriterStoppedError(message),
      ownFrames: /\/postgres-writer-thread\.ts:/,
    });
  }

  /** Starts the thread and waits until it has reached the database. */
  static async start(
    url: string,
    options: PostgresWriterOptions = {},
  ): Promise<PostgresWriterThread> {
    const thread = new PostgresWriterThread(url, options);
    await thread.#channel.start();
    return thread;
  }

  /** Batches sent and not answered yet. */
  get pendingCount(): number {
    return this.#channel.pendingCount;
  }

  /** Data keys the thread holds. */
  get heldKeys(): number {
    return this.#channel.heldKeys;
  }

  /**
   * Copies the rows (`target.columns.length` values a row, one row after the other) into the
   * table, with one column of each row sealed by the thread (see `SealedColumn`, whose
   * `paramsPerRow` is the number of columns). The keys the thread lacks go with the batch.
   */
  async copySealed(target: CopyTarget, rows: unknown[], column: SealedColumn): Promise<void> {
    if (column.paramsPerRow !== target.columns.length) {
      throw new RangeError('a sealed row must have one parameter per column');
    }
    if (rows.length % target.columns.length !== 0) {
      throw new RangeError('the rows do not fill whole tuples');
    }
    await this.#channel.request(() => {
      const { message, transfer } = this.#channel.sealing(column);
      return { message: { ...message, copy: target, rows }, transfer };
    });
  }

  /** Waits for the copies under way, closes the connections and ends the thread. */
  close(): Promise<void> {
    return this.#channel.close();
  }
}
