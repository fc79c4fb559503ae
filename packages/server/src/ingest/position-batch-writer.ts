import {
  positionProblem,
  type Counter,
  type Gauge,
  type Histogram,
  type Logger,
  type Metrics,
  type Position,
  type PositionRepository,
  type PositionSink,
} from '@kinwatch/core';

export interface PositionBatchWriterOptions {
  readonly repository: Pick<PositionRepository, 'appendBatch'>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Longest a position waits for others to share its commit, ms. Default 20. */
  readonly windowMs?: number;
  /** Rows per commit at most; a full batch is written without waiting. Default 500. */
  readonly maxBatchRows?: number;
  /**
   * Rows queued or being written beyond which `submit` holds new positions back until earlier
   * batches commit. Default 10,000.
   */
  readonly maxPendingRows?: number;
  /**
   * Batches being committed at once. Default 1. More suits a store with a pool of connections
   * (PostgreSQL): the next batch is sent while one commits. Batches may then commit out of
   * order, but they settle (their submits resolve or reject) in the order they were formed.
   */
  readonly maxConcurrentBatches?: number;
}

/** A batch being committed, or committed and waiting for an earlier one to settle first. */
interface Writing {
  /** The sequence number of its first position. */
  readonly first: number;
  readonly entries: readonly Entry[];
  isDone: boolean;
  error: Error | undefined;
}

interface Entry {
  /** The number of positions submitted before this one. */
  readonly sequence: number;
  readonly position: Position;
  /** `performance.now()` when the position was queued. */
  readonly queuedAt: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Error of a `submit` after `close()`. */
export class PositionWriterClosedError extends Error {
  constructor() {
    super('the position writer is closed');
    this.name = 'PositionWriterClosedError';
  }
}

/**
 * The one writer of positions: batches what is submitted and commits each batch with a single
 * `appendBatch`, at most `windowMs` after the oldest position of the batch arrived, or at once
 * when `maxBatchRows` are waiting. Batches are formed in submit order; `maxConcurrentBatches`
 * of them (by default one) are committed at a time.
 *
 * Each `submit` resolves when its batch has committed and rejects when that commit failed (every
 * position of the batch is rejected with the same error; the writer carries on with the next).
 * Submits settle in the order they were made, so positions are announced in that order.
 */
export class PositionBatchWriter implements PositionSink {
  readonly #repository: Pick<PositionRepository, 'appendBatch'>;
  readonly #logger: Logger;
  readonly #windowMs: number;
  readonly #maxBatchRows: number;
  readonly #maxPendingRows: number;
  readonly #maxConcurrentBatches: number;
  /**
   * Batches being committed, in the order they were formed. They settle in that order: a batch
   * that commits before an earlier one waits for it, so that a watch's positions are announced
   * in the order they were submitted even when they went out in two batches at once.
   */
  readonly #writing: Writing[] = [];
  /** Accepted, waiting for a commit. */
  readonly #queue: Entry[] = [];
  /** Over the pending limit, waiting to be accepted. */
  #held: Entry[] = [];
  /** Index of the first entry of `#held` still held: shifting a long array costs O(n) each. */
  #heldStart = 0;
  #writingRows = 0;
  /** Batches of `#writing` whose commit has not finished. */
  #committing = 0;
  #timer: NodeJS.Timeout | undefined;
  #isClosed = false;
  /** Positions submitted so far: the next sequence number. */
  #submitted = 0;
  #flushWaiters: { readonly target: number; readonly resolve: () => void }[] = [];
  #roomWaiters: (() => void)[] = [];
  readonly #written: Counter;
  readonly #failures: Counter;
  readonly #batchRows: Histogram;
  readonly #commitSeconds: Histogram;
  readonly #receiptToCommitSeconds: Histogram;
  readonly #pending: Gauge;

  constructor(options: PositionBatchWriterOptions) {
    this.#repository = options.repository;
    this.#logger = options.logger;
    this.#windowMs = positive(options.windowMs ?? 20, 'windowMs', true);
    this.#maxBatchRows = positive(options.maxBatchRows ?? 500, 'maxBatchRows');
    this.#maxPendingRows = positive(options.maxPendingRows ?? 10_000, 'maxPendingRows');
    this.#maxConcurrentBatches = positive(
      options.maxConcurrentBatches ?? 1,
      'maxConcurrentBatches',
    );
    if (this.#maxPendingRows < this.#maxBatchRows) {
      throw new RangeError('maxPendingRows must be at least maxBatchRows');
    }
    const { metrics } = options;
    this.#written = metrics.counter('kinwatch_positions_written_total', 'Positions committed');
    this.#failures = metrics.counter(
      'kinwatch_position_batch_failures_total',
      'Position batches whose commit failed (all their positions were rejected)',
    );
    this.#batchRows = metrics.histogram(
      'kinwatch_position_batch_rows',
      'Positions per committed batch',
      [1, 5, 10, 25, 50, 100, 250, 500, 1000],
    );
    this.#commitSeconds = metrics.histogram(
      'kinwatch_position_commit_seconds',
      'Time to commit one batch of positions',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    );
    this.#receiptToCommitSeconds = metrics.histogram(
      'kinwatch_position_receipt_to_commit_seconds',
      'Time from receiving a position (its receivedAt, wall clock) to the commit of its batch',
      [
        0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1,
        2.5, 5,
      ],
    );
    this.#pending = metrics.gauge(
      'kinwatch_positions_pending',
      'Positions submitted and not yet committed',
    );
  }

  /**
   * Resolves when the position is durable. Rejects with RangeError, at once and without touching
   * the batch, when the position fails `positionProblem`; with PositionWriterClosedError after
   * `close()`; with the repository's error when its batch failed.
   */
  submit(position: Position): Promise<void> {
    if (this.#isClosed) return Promise.reject(new PositionWriterClosedError());
    const problem = positionProblem(position);
    if (problem !== undefined) {
      return Promise.reject(
        new RangeError(`position of watch ${position.watchId} not stored: ${problem}`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const sequence = this.#submitted;
      const entry = { sequence, position, queuedAt: performance.now(), resolve, reject };
      this.#submitted += 1;
      this.#pending.inc();
      if (this.heldRows > 0 || this.#pendingRows() >= this.#maxPendingRows) {
        this.#held.push(entry);
      } else {
        this.#queue.push(entry);
      }
      this.#schedule();
    });
  }

  /**
   * Commits everything submitted before the call without waiting for the window, and resolves
   * once all of it has settled (committed or rejected). Never rejects.
   */
  flush(): Promise<void> {
    const target = this.#submitted;
    if (this.#firstUnsettled() >= target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.#flushWaiters.push({ target, resolve }));
    this.#schedule();
    return done;
  }

  /**
   * Stops accepting positions (later submits reject), then writes everything already submitted.
   * Resolves when all of it has settled. Safe to call more than once.
   */
  async close(): Promise<void> {
    this.#isClosed = true;
    await this.flush();
  }

  /**
   * Undefined while the writer takes positions at once; otherwise (positions are held over the
   * pending limit) a promise that resolves once none is held. For a caller that does not wait
   * for each `submit` to commit: waiting here is the backpressure it should feel.
   */
  room(): Promise<void> | undefined {
    if (this.heldRows === 0) return undefined;
    return new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
  }

  /** Positions accepted and not yet settled: queued plus the batch being written. */
  get pendingRows(): number {
    return this.#pendingRows();
  }

  /** Positions submitted over the pending limit, waiting to be accepted. */
  get heldRows(): number {
    return this.#held.length - this.#heldStart;
  }

  #pendingRows(): number {
    return this.#queue.length + this.#writingRows;
  }

  /**
   * The sequence number of the oldest position not yet settled (`#submitted` when all are):
   * batches leave the queue in order, so it is the oldest batch being written, or else the
   * head of the queue, or else of the held positions.
   */
  #firstUnsettled(): number {
    return (
      this.#writing[0]?.first ??
      this.#queue[0]?.sequence ??
      this.#held[this.#heldStart]?.sequence ??
      this.#submitted
    );
  }

  /** Starts a commit now, or sets the timer for when the oldest queued position is due. */
  #schedule(): void {
    if (this.#committing >= this.#maxConcurrentBatches || this.#queue.length === 0) return;
    const isUrgent = this.#isClosed || this.#flushWaiters.length > 0;
    const oldest = this.#queue[0]?.queuedAt ?? performance.now();
    const dueInMs = oldest + this.#windowMs - performance.now();
    if (isUrgent || this.#queue.length >= this.#maxBatchRows || dueInMs <= 0) {
      this.#clearTimer();
      void this.#writeBatch();
    } else {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, Math.ceil(dueInMs));
    }
  }

  async #writeBatch(): Promise<void> {
    const batch = this.#queue.splice(0, this.#maxBatchRows);
    const writing: Writing = {
      first: batch[0]?.sequence ?? this.#submitted,
      entries: batch,
      isDone: false,
      error: undefined,
    };
    this.#writing.push(writing);
    this.#writingRows += batch.length;
    this.#committing += 1;
    // Another batch may start while this one commits.
    this.#schedule();
    const started = performance.now();
    try {
      await this.#repository.appendBatch(batch.map((entry) => entry.position));
      this.#commitSeconds.observe((performance.now() - started) / 1000);
      this.#batchRows.observe(batch.length);
      this.#written.inc(undefined, batch.length);
      const committedAt = Date.now();
      for (const entry of batch) {
        const delayMs = committedAt - entry.position.receivedAt.getTime();
        this.#receiptToCommitSeconds.observe(Math.max(0, delayMs) / 1000);
      }
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      this.#failures.inc();
      this.#logger.error({ rows: batch.length, err: error.message }, 'position batch failed');
      writing.error = error;
    }
    writing.isDone = true;
    this.#committing -= 1;
    // Settle this batch, and any after it that finished first, once all before them have.
    while (this.#writing[0]?.isDone === true) {
      const done = this.#writing.shift() as Writing;
      for (const entry of done.entries) {
        if (done.error === undefined) entry.resolve();
        else entry.reject(done.error);
      }
      this.#writingRows -= done.entries.length;
      this.#settle(done.entries.length);
    }
    this.#schedule();
  }

  /** Counts a settled batch, admits held positions into the room it freed, wakes `flush`. */
  #settle(rows: number): void {
    this.#pending.dec(undefined, rows);
    this.#admitHeld();
    if (this.heldRows === 0 && this.#roomWaiters.length > 0) {
      const waiters = this.#roomWaiters;
      this.#roomWaiters = [];
      for (const resolve of waiters) resolve();
    }
    const settled = this.#firstUnsettled();
    const waiting = this.#flushWaiters;
    this.#flushWaiters = waiting.filter((waiter) => waiter.target > settled);
    for (const waiter of waiting) if (waiter.target <= settled) waiter.resolve();
  }

  #admitHeld(): void {
    const room = Math.max(0, this.#maxPendingRows - this.#pendingRows());
    const admitted = this.#held.slice(this.#heldStart, this.#heldStart + room);
    for (const entry of admitted) this.#queue.push(entry);
    this.#heldStart += admitted.length;
    if (this.#heldStart === this.#held.length) {
      this.#held = [];
      this.#heldStart = 0;
    } else if (this.#heldStart * 2 > this.#held.length) {
      // Drop the admitted entries once they are most of the array, so it does not only grow.
      this.#held = this.#held.slice(this.#heldStart);
      this.#heldStart = 0;
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function positive(value: number, name: string, isZeroAllowed = false): number {
  const isValid = Number.isSafeInteger(value) && (value > 0 || (isZeroAllowed && value === 0));
  if (!isValid)
    throw new RangeError(
      `${name} must be a ${isZeroAllowed ? 'non-negative' : 'positive'} integer`,
    );
  return value;
}
