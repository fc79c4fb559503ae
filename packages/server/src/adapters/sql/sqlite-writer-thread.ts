import { Worker } from 'node:worker_threads';
import { WriterKeys, type SealingKey, type SealingKeySource } from './sqlite-writer-keys.ts';

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

interface WriterError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

interface Answer {
  readonly id: number;
  readonly rows?: Record<string, unknown>[];
  readonly changes?: number;
  readonly lastInsertRowid?: number | bigint;
  readonly error?: WriterError;
}

interface Outgoing {
  readonly message: Record<string, unknown>;
  /** ArrayBuffers whose memory moves to the thread with the message. */
  readonly transfer?: ArrayBuffer[];
}

interface Pending {
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: Error) => void;
  /** Made when the request was sent, so that a failure points at the caller. */
  readonly origin: Error;
}

/**
 * A column of a batch that the writer thread seals (`executeSealedBatch`): each row's value is
 * sealed there under its watch's data key, in the format of `gcmSealPrepared`, rather than on
 * the main thread.
 */
export interface SealedColumn {
  readonly source: SealingKeySource;
  /** The data key of every watch in the batch. */
  readonly keys: ReadonlyMap<string, SealingKey>;
  /**
   * The plaintext of each row, `valueBytes` each, rows in statement order. It is handed over:
   * its memory moves to the thread, which wipes it, and the buffer is empty here afterwards.
   */
  readonly plaintext: Buffer;
  readonly valueBytes: number;
  /** Parameters of one row; which of them holds the watch id, and which the sealed value. */
  readonly paramsPerRow: number;
  readonly watchParam: number;
  readonly sealedParam: number;
}

/** How often keys their cipher no longer holds are dropped from the thread, ms. */
const KEY_SWEEP_EVERY_MS = 10_000;

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
  readonly #path: string;
  readonly #options: SqliteWriterOptions;
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #isReady = false;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  /** The data keys the running thread holds. */
  readonly #keys = new WriterKeys((watchIds) => {
    this.#request(() => ({ message: { forgetKeys: watchIds } })).catch(() => {
      // The thread stopped: its keys went with it.
    });
  });
  readonly #keySweep: NodeJS.Timeout;

  private constructor(path: string, options: SqliteWriterOptions) {
    this.#path = path;
    this.#options = options;
    this.#keySweep = setInterval(() => {
      this.#keys.sweep();
    }, KEY_SWEEP_EVERY_MS);
    this.#keySweep.unref();
  }

  /** Starts the thread and waits until its connection is open. */
  static async start(path: string, options: SqliteWriterOptions): Promise<SqliteWriterThread> {
    const thread = new SqliteWriterThread(path, options);
    await thread.#startWorker();
    return thread;
  }

  /** Statements sent and not answered yet. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Runs one statement on the writer's connection. Once the thread is running, the statement is
   * sent before this returns, so statements run in the order of the calls.
   */
  execute(sql: string, params: readonly unknown[]): Promise<SqliteWriteResult> {
    return this.#request(() => ({ message: { sql, params } })).then((answer) => {
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
    await this.#request(() => ({ message: { batch: statements } }));
  }

  /**
   * `executeBatch` with one column sealed by the thread (see `SealedColumn`); the parameter in
   * that place of each row is replaced. The keys the thread lacks go with the batch.
   */
  async executeSealedBatch(
    statements: readonly { readonly sql: string; readonly params: readonly unknown[] }[],
    column: SealedColumn,
  ): Promise<void> {
    const { plaintext } = column;
    let values: Uint8Array = plaintext;
    let memory = plaintext.buffer;
    // Only a buffer of its own can be handed over; a slice of a larger one is copied (and wiped).
    if (
      !(memory instanceof ArrayBuffer) ||
      plaintext.byteOffset !== 0 ||
      plaintext.byteLength !== memory.byteLength
    ) {
      const copy = new Uint8Array(plaintext);
      plaintext.fill(0);
      values = copy;
      memory = copy.buffer;
    }
    await this.#request(() => ({
      message: {
        batch: statements,
        seal: {
          keys: this.#keys.toSend(column.keys, column.source),
          plaintext: values,
          valueBytes: column.valueBytes,
          paramsPerRow: column.paramsPerRow,
          watchParam: column.watchParam,
          sealedParam: column.sealedParam,
        },
      },
      transfer: [memory],
    }));
  }

  /** Data keys the thread holds. */
  get heldKeys(): number {
    return this.#keys.size;
  }

  /** Rolls back the writer's transaction if one is open; does nothing otherwise. */
  async rollbackIfOpen(): Promise<void> {
    await this.#request(() => ({ message: { rollbackIfOpen: true } }));
  }

  /** Waits for what was sent, closes the connection and ends the thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keySweep);
    this.#keys.dispose();
    const worker = this.#worker;
    if (worker === undefined) return;
    try {
      await this.#send(worker, { message: { close: true } });
    } catch {
      // The thread had already stopped; there is nothing left to close.
    }
    await worker.terminate();
    this.#worker = undefined;
  }

  /**
   * `build` makes the message when it is sent: a message may carry keys, and which keys the
   * thread holds is known only then (a new thread holds none).
   */
  #request(build: () => Outgoing): Promise<Answer> {
    if (this.#closed) {
      return Promise.reject(new SqliteWriterStoppedError('the SQLite writer thread is closed'));
    }
    const worker = this.#worker;
    if (worker !== undefined && this.#isReady) return this.#send(worker, build());
    return this.#requestWhenReady(build);
  }

  /** After a stop: a new thread, then the request. Requests waiting here keep their order. */
  async #requestWhenReady(build: () => Outgoing): Promise<Answer> {
    if (this.#worker === undefined) void this.#startWorker().catch(() => undefined);
    await this.#ready;
    const worker = this.#worker;
    if (worker === undefined)
      throw new SqliteWriterStoppedError('the SQLite writer thread stopped');
    return this.#send(worker, build());
  }

  #send(worker: Worker, { message, transfer }: Outgoing): Promise<Answer> {
    const id = this.#nextId++;
    // Deep enough to reach past kysely's frames to the code that asked for the statement.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 30;
    const origin = new Error('SQLite write');
    Error.stackTraceLimit = limit;
    const answer = new Promise<Answer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, origin });
    });
    if (this.#pending.size === 1) worker.ref();
    worker.postMessage({ ...message, id }, transfer);
    return answer;
  }

  #startWorker(): Promise<void> {
    const worker = new Worker(WORKER_URL, {
      workerData: {
        path: this.#path,
        busyTimeoutMs: this.#options.busyTimeoutMs,
        maxStatements: this.#options.maxStatements ?? 1_000,
      },
    });
    this.#worker = worker;
    this.#isReady = false;
    this.#keys.clear();
    // Idle, the thread does not keep the process alive; a request in flight does.
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: Answer & { ready?: boolean }) => {
        if (message.ready === true) {
          this.#isReady = true;
          resolve();
          return;
        }
        if (message.ready === false) {
          const error = message.error;
          reject(
            new SqliteWriterStoppedError(
              `cannot open ${this.#path} for writing: ${error?.message ?? 'unknown error'}`,
            ),
          );
          return;
        }
        this.#answer(worker, message);
      });
      const stopped = (reason: string): void => {
        if (this.#worker === worker) {
          this.#worker = undefined;
          this.#isReady = false;
        }
        const failure = new SqliteWriterStoppedError(`the SQLite writer thread stopped: ${reason}`);
        reject(failure);
        this.#failPending(failure);
      };
      worker.on('error', (error) => {
        stopped(error.message);
      });
      worker.on('exit', (code) => {
        stopped(`exit code ${String(code)}`);
      });
    });
    this.#ready = ready;
    return ready;
  }

  #answer(worker: Worker, answer: Answer): void {
    const pending = this.#pending.get(answer.id);
    if (pending === undefined) return;
    this.#pending.delete(answer.id);
    if (this.#pending.size === 0) worker.unref();
    if (answer.error === undefined) {
      pending.resolve(answer);
      return;
    }
    const error = new Error(answer.error.message) as Error & { code?: string };
    error.name = answer.error.name;
    if (answer.error.code !== undefined) error.code = answer.error.code;
    const callers = (pending.origin.stack ?? '')
      .split('\n')
      .slice(1)
      .filter((frame) => !/\/sqlite-writer-(thread|dialect)\.ts:/.test(frame));
    error.stack = [`${error.name}: ${error.message}`, ...callers].join('\n');
    pending.reject(error);
  }

  #failPending(error: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { reject } of pending) reject(error);
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
