import type {
  Logger,
  WatchActivity,
  WatchConnection,
  WatchId,
  WatchRepository,
  WatchStatusUpdate,
} from '@kinwatch/core';

type MutableUpdate = { -readonly [K in keyof WatchStatusUpdate]: WatchStatusUpdate[K] };

/** What is waiting to be written for one watch. */
interface Pending {
  status: MutableUpdate | undefined;
  connection: WatchConnection | undefined;
}

/**
 * Rows per transaction. One commit (one fsync on SQLite) per chunk instead of one per watch,
 * and the event loop serves sockets between chunks, so that a flush after a reconnect storm
 * of 19,000 watches never holds replies up for long.
 */
export const STATUS_ROWS_PER_CHUNK = 500;

export type StatusRepository = Pick<WatchRepository, 'recordActivity' | 'findById'>;

/**
 * Watch status (battery, signal, steps, online) changes with nearly every frame, and every
 * connection moves a watch's last seen time. Writing them per frame or per connection would
 * make each heartbeat and each connect a database write; instead the latest values per watch
 * are merged here and written every few seconds in batches, and on shutdown.
 */
export class StatusBuffer {
  readonly #watches: StatusRepository;
  readonly #logger: Logger;
  #onWatchGone: (watchId: WatchId) => void = () => undefined;
  #onWritten: (written: readonly WatchActivity[]) => void = () => undefined;
  #dirty = new Map<WatchId, Pending>();
  #flushing: Promise<void> = Promise.resolve();

  constructor(watches: StatusRepository, logger: Logger) {
    this.#watches = watches;
    this.#logger = logger;
  }

  /**
   * `listener` hears of each watch whose changes were refused because it no longer exists
   * (removed while connected); its changes are dropped.
   */
  onWatchGone(listener: (watchId: WatchId) => void): void {
    this.#onWatchGone = listener;
  }

  /** `listener` hears of the changes once they are stored (to announce them live). */
  onWritten(listener: (written: readonly WatchActivity[]) => void): void {
    this.#onWritten = listener;
  }

  /** Merges a change into what will be written for the watch. */
  update(watchId: WatchId, update: WatchStatusUpdate): void {
    const pending = this.#pendingOf(watchId);
    if (pending.status === undefined) pending.status = { ...update };
    else Object.assign(pending.status, update);
  }

  /** A heartbeat: online, and battery and steps when the watch sent them. No spreads: per frame. */
  keepAlive(
    watchId: WatchId,
    at: Date,
    batteryPercent: number | undefined,
    steps: number | undefined,
  ): void {
    const pending = this.#pendingOf(watchId);
    let status = pending.status;
    if (status === undefined) {
      status = { updatedAt: at, isOnline: true };
      pending.status = status;
    } else {
      status.updatedAt = at;
      status.isOnline = true;
    }
    if (batteryPercent !== undefined) status.batteryPercent = batteryPercent;
    if (steps !== undefined) status.steps = steps;
  }

  /** The watch connected: last seen, address and vendor are written with its status. */
  connected(watchId: WatchId, connection: WatchConnection): void {
    this.#pendingOf(watchId).connection = connection;
  }

  /**
   * The `updateStatus` of the watch repository, buffered: services that keep a watch's status
   * up to date can be given this instead of the repository.
   */
  updateStatus(watchId: WatchId, update: WatchStatusUpdate): Promise<void> {
    this.update(watchId, update);
    return Promise.resolve();
  }

  /** `updateStatus` without a promise: the change is only kept in memory here. */
  recordStatus(watchId: WatchId, update: WatchStatusUpdate): void {
    this.update(watchId, update);
  }

  get pendingCount(): number {
    return this.#dirty.size;
  }

  /**
   * Writes every pending change, in chunks. Resolves once everything pending when it was called
   * has been tried, after any flush already running. Failures are logged and the change is kept
   * for the next try.
   */
  flush(): Promise<void> {
    const run = this.#flushing.then(() => this.#writeAll());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  #pendingOf(watchId: WatchId): Pending {
    let pending = this.#dirty.get(watchId);
    if (pending === undefined) {
      pending = { status: undefined, connection: undefined };
      this.#dirty.set(watchId, pending);
    }
    return pending;
  }

  async #writeAll(): Promise<void> {
    const batch = this.#dirty;
    if (batch.size === 0) return;
    this.#dirty = new Map();
    let chunk: WatchActivity[] = [];
    let isFirst = true;
    for (const [watchId, pending] of batch) {
      chunk.push(activityOf(watchId, pending));
      if (chunk.length < STATUS_ROWS_PER_CHUNK) continue;
      if (!isFirst) await yieldToIo();
      isFirst = false;
      await this.#write(chunk);
      chunk = [];
    }
    if (chunk.length === 0) return;
    if (!isFirst) await yieldToIo();
    await this.#write(chunk);
  }

  /** One transaction for the chunk; if it fails, each watch on its own, to find the culprit. */
  async #write(chunk: readonly WatchActivity[]): Promise<void> {
    try {
      await this.#watches.recordActivity(chunk);
      this.#onWritten(chunk);
      return;
    } catch (error) {
      if (chunk.length === 1) {
        await this.#failed(chunk[0] as WatchActivity, error);
        return;
      }
    }
    let failures = 0;
    let firstError: unknown;
    for (const activity of chunk) {
      try {
        await this.#watches.recordActivity([activity]);
        this.#onWritten([activity]);
      } catch (error) {
        failures++;
        firstError ??= error;
        await this.#failed(activity, error, false);
      }
    }
    if (failures > 0) {
      this.#logger.error({ err: String(firstError), watches: failures }, 'watch status not saved');
    }
  }

  async #failed(activity: WatchActivity, error: unknown, isLogged = true): Promise<void> {
    const isGone = await this.#watches.findById(activity.watchId).then(
      (watch) => watch === undefined,
      () => false,
    );
    if (isGone) {
      this.#onWatchGone(activity.watchId);
      return;
    }
    if (isLogged) {
      this.#logger.error(
        { err: String(error), watchId: activity.watchId },
        'watch status not saved',
      );
    }
    this.#keep(activity);
  }

  /** Puts a failed change back under whatever arrived for the watch since. */
  #keep(activity: WatchActivity): void {
    const newer = this.#dirty.get(activity.watchId);
    const status = activity.status === undefined ? undefined : { ...activity.status };
    if (newer === undefined) {
      this.#dirty.set(activity.watchId, { status, connection: activity.connection });
      return;
    }
    if (status !== undefined) newer.status = Object.assign(status, newer.status);
    newer.connection ??= activity.connection;
  }
}

function activityOf(watchId: WatchId, pending: Pending): WatchActivity {
  const { status, connection } = pending;
  if (status === undefined) return connection === undefined ? { watchId } : { watchId, connection };
  return connection === undefined ? { watchId, status } : { watchId, status, connection };
}

function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
