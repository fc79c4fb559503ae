import type { CommandQueueRepository, WatchId } from '@kinwatch/core';

/**
 * Which watches may have commands waiting, so that a connecting watch with none (nearly all of
 * them) costs no query. A watch is in the set from the moment a command for it could exist:
 * read from the database at start, added by every command announced on the bus, and by a scan
 * of new command rows every few seconds, which also finds commands that reached the database
 * without an announcement this gateway heard (another process with its own in-process bus).
 * A watch leaves the set only when the database said it has nothing pending and no command for
 * it was announced since: a false "maybe" costs one query, a false "no" a missed command.
 */
export class PendingCommandWatches {
  readonly #commands: Pick<CommandQueueRepository, 'watchesWithPending'>;
  /** Watch id -> a number that changes whenever a command for it is seen. */
  readonly #marks = new Map<WatchId, number>();
  #nextMark = 1;
  /** The highest command id of the last two scans: each scan looks again at the one before. */
  #scannedUpTo = 0;
  #scannedBefore = 0;

  constructor(commands: Pick<CommandQueueRepository, 'watchesWithPending'>) {
    this.#commands = commands;
  }

  /** Reads every watch with a pending command. */
  async load(): Promise<void> {
    const { watchIds, lastId } = await this.#commands.watchesWithPending(0);
    for (const watchId of watchIds) this.mark(watchId);
    this.#scannedUpTo = lastId;
    this.#scannedBefore = lastId;
  }

  /** A command for the watch may be pending. */
  mark(watchId: WatchId): void {
    this.#marks.set(watchId, this.#nextMark++);
  }

  mayHave(watchId: WatchId): boolean {
    return this.#marks.has(watchId);
  }

  /** What `clearIfUnchanged` compares with; read it before querying the commands. */
  markOf(watchId: WatchId): number | undefined {
    return this.#marks.get(watchId);
  }

  /** The database found nothing pending: forget the watch unless a command arrived meanwhile. */
  clearIfUnchanged(watchId: WatchId, mark: number | undefined): void {
    if (this.#marks.get(watchId) === mark) this.#marks.delete(watchId);
  }

  /**
   * Marks the watches with pending commands stored since the scan before last (a command row
   * may become visible after one with a higher id on PostgreSQL) and returns them.
   */
  async scan(): Promise<WatchId[]> {
    const { watchIds, lastId } = await this.#commands.watchesWithPending(this.#scannedBefore);
    for (const watchId of watchIds) this.mark(watchId);
    this.#scannedBefore = this.#scannedUpTo;
    this.#scannedUpTo = lastId;
    return watchIds;
  }
}
