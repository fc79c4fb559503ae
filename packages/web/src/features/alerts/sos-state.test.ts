import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlarmReceivedMessage, AlertMessage } from '../../api/stream-messages.ts';
import type { Alert } from '../../api/types.ts';
import { INITIAL_SOS_STATE, sosReducer, type SosAction, type SosState } from './sos-state.ts';

const NOW = Date.parse('2026-05-04T10:00:00Z');

function alert(id: number, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    watchId: 'w1',
    kind: 'sos',
    raisedAt: new Date(NOW - (100 - id) * 1000).toISOString(),
    recordedAt: null,
    location: null,
    details: {},
    acknowledgedAt: null,
    acknowledgedBy: null,
    ...overrides,
  };
}

function message(change: AlertMessage['change'], value: Alert, eventId = value.id * 10): SosAction {
  const { watchId, ...rest } = value;
  return { type: 'message', message: { type: 'alert', watchId, eventId, change, alert: rest } };
}

const acknowledgedBy = (value: Alert, by = 'dad') =>
  ({ ...value, acknowledgedAt: new Date(NOW).toISOString(), acknowledgedBy: by }) satisfies Alert;

function run(...actions: SosAction[]): SosState {
  return actions.reduce(sosReducer, INITIAL_SOS_STATE);
}

const activeIds = (state: SosState) =>
  state.active.map((sos) =>
    sos.isPending === true
      ? `${sos.watchId}:pending@${sos.alert.recordedAt}`
      : `${sos.watchId}:${sos.alert.id}`,
  );

const RECORDED = new Date(NOW - 30_000).toISOString();

/** The early announcement of the alarm that `alert(id, { recordedAt: RECORDED })` is stored as. */
function received(overrides: Partial<AlarmReceivedMessage> = {}): SosAction {
  return {
    type: 'received',
    message: {
      type: 'alarmReceived',
      watchId: 'w1',
      alertKinds: ['sos'],
      recordedAt: RECORDED,
      receivedAt: new Date(NOW - 29_000).toISOString(),
      location: null,
      ...overrides,
    },
  };
}

describe('which SOS alerts take over the screen', () => {
  test('a raised SOS takes over; other kinds do not', () => {
    const state = run(message('raised', alert(1)), message('raised', alert(2, { kind: 'fall' })));
    assert.deepEqual(activeIds(state), ['w1:1']);
    assert.equal(state.closing, null);
  });

  test('a repeat of an SOS opened while the app was closed takes over, once', () => {
    const state = run(message('repeated', alert(1)), message('repeated', alert(1)));
    assert.deepEqual(activeIds(state), ['w1:1']);
  });

  test('several SOS at once: newest first, across watches', () => {
    const state = run(
      message('raised', alert(1)),
      message('raised', alert(3, { watchId: 'w2' })),
      message('raised', alert(2)),
      message('repeated', alert(1)),
    );
    assert.deepEqual(activeIds(state), ['w2:3', 'w1:2', 'w1:1']);
  });

  test("another guardian's acknowledgement closes it and says who", () => {
    const state = run(
      message('raised', alert(1)),
      message('acknowledged', acknowledgedBy(alert(1))),
    );
    assert.deepEqual(state.active, []);
    assert.equal(state.closing?.alert.acknowledgedBy, 'dad');
    const dismissed = sosReducer(state, { type: 'dismiss' });
    assert.equal(dismissed.closing, null);
  });

  test('a repeat arriving after the acknowledgement never reopens it', () => {
    const state = run(
      message('raised', alert(1)),
      message('acknowledged', acknowledgedBy(alert(1))),
      message('repeated', alert(1)),
      { type: 'dismiss' },
      { type: 'loaded', watchId: 'w1', alerts: [alert(1)], nowMs: NOW },
    );
    assert.deepEqual(state.active, []);
  });

  test('closing one of several leaves the others, the newest shown', () => {
    const state = run(
      message('raised', alert(1)),
      message('raised', alert(2)),
      message('acknowledged', acknowledgedBy(alert(2))),
    );
    assert.deepEqual(activeIds(state), ['w1:1']);
    assert.equal(state.closing?.alert.id, 2);
  });

  test("this guardian's own acknowledgement closes it", () => {
    const state = run(message('raised', alert(1)), {
      type: 'acknowledged',
      alert: acknowledgedBy(alert(1), 'me'),
    });
    assert.deepEqual(state.active, []);
    assert.equal(state.closing?.alert.acknowledgedBy, 'me');
  });

  test('an acknowledgement of an SOS never shown changes nothing on screen', () => {
    const state = run(message('acknowledged', acknowledgedBy(alert(1))));
    assert.deepEqual(state.active, []);
    assert.equal(state.closing, null);
  });

  test('on start, open SOS alerts of the last hour take over; older or acknowledged do not', () => {
    const recent = alert(5, { raisedAt: new Date(NOW - 10 * 60_000).toISOString() });
    const old = alert(4, { raisedAt: new Date(NOW - 61 * 60_000).toISOString() });
    const done = acknowledgedBy(alert(6));
    const fall = alert(7, { kind: 'fall' });
    const state = run({
      type: 'loaded',
      watchId: 'w1',
      alerts: [fall, done, recent, old],
      nowMs: NOW,
    });
    assert.deepEqual(activeIds(state), ['w1:5']);
  });

  test('a list read after a reconnection closes an SOS acknowledged meanwhile', () => {
    const state = run(message('raised', alert(1)), {
      type: 'loaded',
      watchId: 'w1',
      alerts: [acknowledgedBy(alert(1))],
      nowMs: NOW,
    });
    assert.deepEqual(state.active, []);
    assert.equal(state.closing?.alert.acknowledgedBy, 'dad');
  });

  test('an SOS takes over when it is read from the watch, and its stored alert replaces it', () => {
    const pending = run(received());
    assert.deepEqual(activeIds(pending), [`w1:pending@${RECORDED}`]);
    const stored = sosReducer(pending, message('raised', alert(3, { recordedAt: RECORDED })));
    assert.deepEqual(activeIds(stored), ['w1:3']);
    // A repeated announcement of the same alarm (the watch sending it again) adds nothing.
    assert.deepEqual(activeIds(sosReducer(stored, received())), ['w1:3']);
  });

  test('an announcement of an alarm that raises no SOS takes nothing over', () => {
    assert.deepEqual(run(received({ alertKinds: ['fall'] })).active, []);
  });

  test('an acknowledgement closes the pending announcement of its alarm too', () => {
    const state = run(
      received(),
      message('acknowledged', acknowledgedBy(alert(3, { recordedAt: RECORDED }))),
      received(),
    );
    assert.deepEqual(state.active, []);
    assert.equal(state.closing?.alert.id, 3);
  });

  test('a pending SOS is kept apart from other alarms, and can be closed if never stored', () => {
    const other = new Date(NOW - 5_000).toISOString();
    const state = run(
      received(),
      received({ recordedAt: other, receivedAt: other }),
      message('raised', alert(4, { recordedAt: other, raisedAt: other })),
    );
    assert.deepEqual(activeIds(state), ['w1:4', `w1:pending@${RECORDED}`]);
    const closed = sosReducer(state, {
      type: 'dismissPending',
      watchId: 'w1',
      recordedAt: RECORDED,
    });
    assert.deepEqual(activeIds(closed), ['w1:4']);
  });
});
