import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Alert } from '../../api/types.ts';
import {
  applyAlertMessage,
  feedOf,
  mergeFeeds,
  nextCursor,
  openCount,
  withAlerts,
  type AlertFeed,
} from './alert-feed.ts';

function alert(id: number, watchId: string, minute: number, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    watchId,
    kind: 'lowBattery',
    raisedAt: new Date(Date.UTC(2026, 4, 4, 10, minute)).toISOString(),
    recordedAt: null,
    location: null,
    details: {},
    acknowledgedAt: null,
    acknowledgedBy: null,
    ...overrides,
  };
}

/** The alert as a stream message carries it, without its watch id. */
function body(value: Alert): Omit<Alert, 'watchId'> {
  const copy: Partial<Alert> = { ...value };
  delete copy.watchId;
  return copy as Omit<Alert, 'watchId'>;
}

const ids = (alerts: readonly Alert[]) => alerts.map((item) => item.id);

describe('alert feeds', () => {
  test('a full first page has more; its cursor is the smallest id', () => {
    const feed = feedOf('w1', [alert(3, 'w1', 3), alert(2, 'w1', 2)], 2);
    assert.equal(feed.hasMore, true);
    assert.equal(nextCursor(feed), 2);
    assert.equal(nextCursor(feedOf('w1', [alert(3, 'w1', 3)], 2)), undefined);
  });

  test('a live change replaces the alert in place, a new one goes on top', () => {
    const feed = feedOf('w1', [alert(2, 'w1', 2), alert(1, 'w1', 1)], 30);
    const acknowledged = alert(1, 'w1', 1, {
      acknowledgedAt: '2026-05-04T10:05:00Z',
      acknowledgedBy: 'a',
    });
    const raised = body(alert(3, 'w1', 3, { kind: 'sos' }));
    const feeds = applyAlertMessage([withAlerts(feed, [acknowledged])], {
      type: 'alert',
      watchId: 'w1',
      eventId: 9,
      change: 'raised',
      alert: raised,
    });
    assert.deepEqual(ids(feeds[0]?.alerts ?? []), [3, 2, 1]);
    assert.equal(feeds[0]?.alerts[2]?.acknowledgedBy, 'a');
  });

  test('a replayed repeat does not undo an acknowledgement', () => {
    const done = alert(1, 'w1', 1, { acknowledgedAt: '2026-05-04T10:05:00Z', acknowledgedBy: 'a' });
    const feed = withAlerts(feedOf('w1', [done], 30), [alert(1, 'w1', 1)]);
    assert.equal(feed.alerts[0]?.acknowledgedBy, 'a');
  });

  test('a message for a watch not shown leaves the feeds as they are', () => {
    const feeds = [feedOf('w1', [], 30)];
    const other = body(alert(3, 'w9', 3));
    assert.equal(
      applyAlertMessage(feeds, {
        type: 'alert',
        watchId: 'w9',
        eventId: 1,
        change: 'raised',
        alert: other,
      }),
      feeds,
    );
  });

  test('merged newest first, holding back what lies beyond an unloaded page', () => {
    const a: AlertFeed = {
      watchId: 'a',
      alerts: [alert(10, 'a', 50), alert(9, 'a', 40)],
      hasMore: true,
    };
    const b: AlertFeed = {
      watchId: 'b',
      alerts: [alert(8, 'b', 45), alert(7, 'b', 30), alert(6, 'b', 10)],
      hasMore: false,
    };
    const merged = mergeFeeds([a, b], false);
    // Watch a may have alerts between minute 40 and 30 not loaded yet: b's older ones wait.
    assert.deepEqual(ids(merged.alerts), [10, 8, 9]);
    assert.equal(merged.hasMore, true);
    const all = mergeFeeds([{ ...a, hasMore: false }, b], false);
    assert.deepEqual(ids(all.alerts), [10, 8, 9, 7, 6]);
    assert.equal(all.hasMore, false);
  });

  test('unacknowledged only, and their count', () => {
    const feed = feedOf(
      'w1',
      [
        alert(2, 'w1', 2),
        alert(1, 'w1', 1, { acknowledgedAt: '2026-05-04T10:05:00Z', acknowledgedBy: 'a' }),
      ],
      30,
    );
    assert.deepEqual(ids(mergeFeeds([feed], true).alerts), [2]);
    assert.equal(openCount([feed]), 1);
  });
});
