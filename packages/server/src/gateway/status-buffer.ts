import type { Logger, WatchRepository, WatchStatusUpdate } from '@kinwatch/core';

type MutableUpdate = { -readonly [K in keyof WatchStatusUpdate]: WatchStatusUpdate[K] };

/**
 * Watch status (battery, signal, steps, online) changes with nearly every frame. Writing it per
 * frame would make each heartbeat a database write; instead the latest values per watch are
 * merged here and written every few seconds, and on shutdown.
 */
export class StatusBuffer {
  readonly #watches: WatchRepository;
  readonly #logger: Logger;
  #dirty = new Map<string, MutableUpdate>();

  constructor(watches: WatchRepository, logger: Logger) {
    this.#watches = watches;
    this.#logger = logger;
  }

  /** Merges a change into what will be written for the watch. */
  update(watchId: string, update: WatchStatusUpdate): void {
    const pending = this.#dirty.get(watchId);
    if (pending === undefined) {
      this.#dirty.set(watchId, { ...update });
      return;
    }
    Object.assign(pending, update);
  }

  /**
   * The `updateStatus` of the watch repository, buffered: services that keep a watch's status
   * up to date can be given this instead of the repository.
   */
  updateStatus(watchId: string, update: WatchStatusUpdate): Promise<void> {
    this.update(watchId, update);
    return Promise.resolve();
  }

  get pendingCount(): number {
    return this.#dirty.size;
  }

  /** Writes every pending change. Failures are logged and the change is kept for the next try. */
  async flush(): Promise<void> {
    const batch = this.#dirty;
    this.#dirty = new Map();
    for (const [watchId, update] of batch) {
      try {
        await this.#watches.updateStatus(watchId, update);
      } catch (error) {
        this.#logger.error({ err: String(error), watchId }, 'watch status not saved');
        if (!this.#dirty.has(watchId)) this.#dirty.set(watchId, update);
      }
    }
  }
}
