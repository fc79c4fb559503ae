import type { WatchId } from '../watches/watch.model.ts';
import type { ActivityEntry, NewActivityEntry } from './activity.model.ts';

/** The activity log of each watch: append-only, read newest first. */
export interface ActivityRepository {
  /** Stores the entry (details sealed with the watch's data key) and returns it with its id. */
  append(entry: NewActivityEntry): Promise<ActivityEntry>;
  /**
   * Entries of the watch with an id below `beforeId` (all when undefined), newest first, at
   * most `limit` (a positive integer, else RangeError).
   */
  list(watchId: WatchId, beforeId: number | undefined, limit: number): Promise<ActivityEntry[]>;
}
