import { Worker } from 'node:worker_threads';
import { WriterKeys, type SealingKey, type SealingKeySource } from './writer-keys.ts';

/** An error as it comes back from a writer thread. */
interface WriterError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

/** A writer thread's answer to one request. */
export interface WriterAnswer {
  readonly id: number;
  readonly rows?: Record<string, unknown>[];
  readonly changes?: number;
  readonly lastInsertRowid?: number | bigint;
  readonly error?: WriterError;
}

export interface Outgoing {
  readonly message: Record<string, unknown>;
  /** ArrayBuffers whose memory moves to the thread with the message. */
  readonly transfer?: ArrayBuffer[];
}

interface Pending {
  readonly resolve: (answer: WriterAnswer) => void;
  readonly reject: (error: Error) => void;
  /** Made when the request was sent, so that a failure points at the caller. */
  readonly origin: Error;
}

/**
 * A column of a batch that the writer thread seals: each row's value is sealed there under its
 * watch's data key, in the format of `gcmSealPrepared`, rather than on the main thread.
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

export interface WriterChannelOptions {
  readonly workerUrl: URL;
  readonly workerData: Record<string, unknown>;
  /** What the thread is, in messages: "SQLite writer thread". */
  readonly name: string;
  /** The message when the thread cannot open its connection. */
  readonly openFailure: (reason: string) => string;
  /** The error of requests the stopped or closed thread will not answer. */
  readonly stopped: (message: string) => Error;
  /** Stack frames of the caller's side of the channel, left out of errors' stacks. */
  readonly ownFrames: RegExp;
}

/** How often keys their cipher no longer holds are dropped from the thread, ms. */
const KEY_SWEEP_EVERY_MS = 10_000;

/**
 * The main thread's side of a writer thread (sqlite-writer.worker.mjs,
 * postgres-writer.worker.mjs): numbered requests answered in order, the data keys the thread
 * holds (`WriterKeys`), and a new thread after one stopped.
 *
 * Errors keep the database's `code` and get the sender's stack. If the thread stops
 * unexpectedly, what it was asked and had not answered fails with the `stopped` error, and the
 * next request starts a new thread.
 */
export class WriterChannel {
  readonly #options: WriterChannelOptions;
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #isReady = false;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  /** The data keys the running thread holds. */
  readonly #keys = new WriterKeys((watchIds) => {
    this.request(() => ({ message: { forgetKeys: watchIds } })).catch(() => {
      // The thread stopped: its keys went with it.
    });
  });
  readonly #keySweep: NodeJS.Timeout;

  constructor(options: WriterChannelOptions) {
    this.#options = options;
    this.#keySweep = setInterval(() => {
      this.#keys.sweep();
    }, KEY_SWEEP_EVERY_MS);
    this.#keySweep.unref();
  }

  /** Requests sent and not answered yet. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Data keys the thread holds. */
  get heldKeys(): number {
    return this.#keys.size;
  }

  /**
   * `build` makes the message when it is sent: a message may carry keys, and which keys the
   * thread holds is known only then (a new thread holds none). Once the thread is running, the
   * message is sent before this returns, so requests are answered in the order of the calls.
   */
  request(build: () => Outgoing): Promise<WriterAnswer> {
    if (this.#closed) {
      return Promise.reject(this.#options.stopped(`the ${this.#options.name} is closed`));
    }
    const worker = this.#worker;
    if (worker !== undefined && this.#isReady) return this.#send(worker, build());
    return this.#requestWhenReady(build);
  }

  /**
   * The `seal` part of a request for `column`, with the keys the thread lacks. The plaintext's
   * memory moves with the message: a slice of a larger buffer is copied first, and wiped.
   */
  sealing(column: SealedColumn): Outgoing & { readonly message: { readonly seal: object } } {
    const { plaintext } = column;
    let values: Uint8Array = plaintext;
    let memory = plaintext.buffer;
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
    return {
      message: {
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
    };
  }

  /** Starts the thread and waits until its connection is open. */
  start(): Promise<void> {
    const worker = new Worker(this.#options.workerUrl, { workerData: this.#options.workerData });
    this.#worker = worker;
    this.#isReady = false;
    this.#keys.clear();
    // Idle, the thread does not keep the process alive; a request in flight does.
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WriterAnswer & { ready?: boolean }) => {
        if (message.ready === true) {
          this.#isReady = true;
          resolve();
          return;
        }
        if (message.ready === false) {
          const reason = message.error?.message ?? 'unknown error';
          reject(this.#options.stopped(this.#options.openFailure(reason)));
          return;
        }
        this.#answer(worker, message);
      });
      const stopped = (reason: string): void => {
        if (this.#worker === worker) {
          this.#worker = undefined;
          this.#isReady = false;
        }
        const failure = this.#options.stopped(`the ${this.#options.name} stopped: ${reason}`);
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

  /** After a stop: a new thread, then the request. Requests waiting here keep their order. */
  async #requestWhenReady(build: () => Outgoing): Promise<WriterAnswer> {
    if (this.#worker === undefined) void this.start().catch(() => undefined);
    await this.#ready;
    const worker = this.#worker;
    if (worker === undefined) throw this.#options.stopped(`the ${this.#options.name} stopped`);
    return this.#send(worker, build());
  }

  #send(worker: Worker, { message, transfer }: Outgoing): Promise<WriterAnswer> {
    const id = this.#nextId++;
    // Deep enough to reach past kysely's frames to the code that asked for the statement.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 30;
    const origin = new Error('database write');
    Error.stackTraceLimit = limit;
    const answer = new Promise<WriterAnswer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, origin });
    });
    if (this.#pending.size === 1) worker.ref();
    worker.postMessage({ ...message, id }, transfer);
    return answer;
  }

  #answer(worker: Worker, answer: WriterAnswer): void {
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
      .filter(
        (frame) => !this.#options.ownFrames.test(frame) && !/\/writer-channel\.ts:/.test(frame),
      );
    error.stack = [`${error.name}: ${error.message}`, ...callers].join('\n');
    pending.reject(error);
  }

  #failPending(error: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { reject } of pending) reject(error);
  }
}
