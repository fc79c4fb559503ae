import type { JsonValue } from '../json/json-value.ts';
import type { WatchId } from '../watches/watch.model.ts';
import type { NewCommand, QueuedCommand, TwinEntry } from './command.model.ts';

/**
 * The durable downlink queue and device twin of each watch. Transitions follow
 * `canTransition`: the `mark*` methods return false, changing nothing, when the command does
 * not exist or has already settled, so a late or duplicate acknowledgement is harmless.
 */
export interface CommandQueueRepository {
  enqueue(command: NewCommand): Promise<QueuedCommand>;
  findById(id: number): Promise<QueuedCommand | undefined>;
  /** Queued and sent commands of the watch, oldest first: what to (re)send on connect. */
  pending(watchId: WatchId): Promise<QueuedCommand[]>;
  /**
   * The watches that have a pending command with an id above `afterId` (every pending command
   * when 0), each once, and `lastId`: the highest command id stored when the call began (0
   * when none), to pass as `afterId` next time.
   */
  watchesWithPending(
    afterId: number,
  ): Promise<{ readonly watchIds: WatchId[]; readonly lastId: number }>;
  /** Records one more write to the watch: status sent, `sentAt`, attempts + 1. */
  markSent(id: number, at: Date): Promise<boolean>;
  markAcknowledged(id: number, at: Date): Promise<boolean>;
  markFailed(id: number, at: Date): Promise<boolean>;
  markUnconfirmed(id: number, at: Date): Promise<boolean>;
  /** Settles as expired every pending command whose `expiresAt` is at or before `now`. */
  expireOlderThan(now: Date): Promise<number>;

  /** Sets what guardians want for `key`; the reported side is unchanged. */
  setDesired(watchId: WatchId, key: string, value: JsonValue, at: Date): Promise<void>;
  /** Sets what the watch acknowledged for `key`; the desired side is unchanged. */
  setReported(watchId: WatchId, key: string, value: JsonValue, at: Date): Promise<void>;
  /** Every setting of the watch with both sides, by key. */
  twin(watchId: WatchId): Promise<TwinEntry[]>;
}
