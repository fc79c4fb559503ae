import type { WatchId } from '@kinwatch/core';

/**
 * The watches in zone-only mode, kept in memory for the position path (asked for every
 * position) and read again from storage every few seconds, so a guardian's switch takes
 * effect within that time in every process.
 */
export class ZoneOnlyWatches {
  readonly #list: () => Promise<readonly WatchId[]>;
  #watches = new Set<WatchId>();
  #timer: NodeJS.Timeout | undefined;

  constructor(list: () => Promise<readonly WatchId[]>) {
    this.#list = list;
  }

  has(watchId: WatchId): boolean {
    return this.#watches.has(watchId);
  }

  async refresh(): Promise<void> {
    this.#watches = new Set(await this.#list());
  }

  /** Reads the list now and every `intervalMs`; a failed read keeps the last list. */
  async start(intervalMs = 5_000): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => {
      this.refresh().catch(() => undefined);
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
