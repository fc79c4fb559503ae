import type { AccountId } from '../accounts/account.model.ts';
import type { WatchId } from '../watches/watch.model.ts';
import type { Alert, AlertEvent, NewAlert } from './alert.model.ts';

export interface AlertRepository {
  /** Stores the alert with its `raised` event, in one transaction. */
  create(alert: NewAlert): Promise<AlertEvent>;
  /** Newest first; `beforeId` pages. */
  list(
    watchId: WatchId,
    query: { readonly beforeId?: number; readonly limit: number },
  ): Promise<Alert[]>;
  find(watchId: WatchId, alertId: number): Promise<Alert | undefined>;
  /**
   * Marks the alert acknowledged and records the event; undefined when it was already
   * acknowledged (the first guardian wins) or does not exist.
   */
  acknowledge(
    watchId: WatchId,
    alertId: number,
    accountId: AccountId,
    at: Date,
  ): Promise<AlertEvent | undefined>;
  /** Records that an unacknowledged alert was sent again. */
  recordRepeat(alert: Alert, at: Date): Promise<AlertEvent>;
  /** Unacknowledged alerts of these kinds raised at or after `since`. */
  listOpen(kinds: readonly Alert['kind'][], since: Date): Promise<Alert[]>;
  /** Alert events after `afterEventId` for these watches, oldest first, at most `limit`. */
  eventsAfter(
    watchIds: readonly WatchId[],
    afterEventId: number,
    limit: number,
  ): Promise<AlertEvent[]>;
  /** The id of the newest alert event of these watches; 0 when there is none. */
  lastEventId(watchIds: readonly WatchId[]): Promise<number>;
  /** The newest open alert of this kind for the watch, if any. */
  findOpen(watchId: WatchId, kind: Alert['kind']): Promise<Alert | undefined>;
  /** Bound watches last heard from before `before` (candidates for the offline alert). */
  silentWatches(before: Date): Promise<{ readonly watchId: WatchId; readonly lastSeenAt: Date }[]>;
}
