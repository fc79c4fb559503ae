import type { AlertMessage } from '../../api/stream-messages.ts';
import type { Alert } from '../../api/types.ts';

/** One watch's alerts as loaded so far, newest first, and whether older ones remain. */
export interface AlertFeed {
  readonly watchId: string;
  readonly alerts: readonly Alert[];
  readonly hasMore: boolean;
}

/** How many alerts one request asks for. */
export const ALERT_PAGE_SIZE = 30;

export function newestFirst(a: Alert, b: Alert): number {
  const byTime = Date.parse(b.raisedAt) - Date.parse(a.raisedAt);
  return byTime === 0 ? b.id - a.id : byTime;
}

/** A feed from its first page. */
export function feedOf(watchId: string, alerts: readonly Alert[], pageSize: number): AlertFeed {
  return { watchId, alerts: [...alerts].sort(newestFirst), hasMore: alerts.length >= pageSize };
}

/** The `before` cursor of a feed's next page: its smallest alert id. */
export function nextCursor(feed: AlertFeed): number | undefined {
  if (!feed.hasMore || feed.alerts.length === 0) return undefined;
  return Math.min(...feed.alerts.map((alert) => alert.id));
}

/** Adds alerts (a page, a live change) to a feed, the newer copy of an alert replacing the older. */
export function withAlerts(feed: AlertFeed, alerts: readonly Alert[]): AlertFeed {
  const byId = new Map(feed.alerts.map((alert) => [alert.id, alert]));
  for (const alert of alerts) {
    const known = byId.get(alert.id);
    // An acknowledgement is final: a replayed "raised" or "repeated" never undoes it.
    if (known?.acknowledgedAt != null && alert.acknowledgedAt === null) continue;
    byId.set(alert.id, alert);
  }
  return { ...feed, alerts: [...byId.values()].sort(newestFirst) };
}

/** The feeds after a live `alert` message: the same array when no feed shows that watch. */
export function applyAlertMessage(
  feeds: readonly AlertFeed[],
  message: AlertMessage,
): readonly AlertFeed[] {
  const index = feeds.findIndex((feed) => feed.watchId === message.watchId);
  const feed = feeds[index];
  if (feed === undefined) return feeds;
  const copy = feeds.slice();
  copy[index] = withAlerts(feed, [{ ...message.alert, watchId: message.watchId }]);
  return copy;
}

/** What the inbox shows of several feeds merged, and whether "older" can load more. */
export interface MergedAlerts {
  readonly alerts: readonly Alert[];
  readonly hasMore: boolean;
}

/**
 * Merges feeds newest first. A feed with older alerts still unloaded bounds the list: alerts of
 * other feeds older than its oldest loaded one are held back until it has loaded that far, so
 * the merged list never has a hidden gap in the middle.
 */
export function mergeFeeds(feeds: readonly AlertFeed[], isOpenOnly: boolean): MergedAlerts {
  let horizonMs = -Infinity;
  for (const feed of feeds) {
    const oldest = feed.alerts[feed.alerts.length - 1];
    if (feed.hasMore && oldest !== undefined) {
      horizonMs = Math.max(horizonMs, Date.parse(oldest.raisedAt));
    }
  }
  const alerts = feeds
    .flatMap((feed) => feed.alerts)
    .filter((alert) => Date.parse(alert.raisedAt) >= horizonMs)
    .filter((alert) => !isOpenOnly || alert.acknowledgedAt === null)
    .sort(newestFirst);
  return { alerts, hasMore: feeds.some((feed) => feed.hasMore) };
}

/** How many loaded alerts nobody has acknowledged yet. */
export function openCount(feeds: readonly AlertFeed[]): number {
  return feeds.reduce(
    (count, feed) => count + feed.alerts.filter((alert) => alert.acknowledgedAt === null).length,
    0,
  );
}
