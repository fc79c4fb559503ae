import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  IDLE,
  isWaiting,
  locateReducer,
  type LocateEvent,
  type LocateState,
} from './locate-progress.ts';

function run(...events: LocateEvent[]): LocateState {
  return events.reduce(locateReducer, IDLE);
}

test('the usual path: asked, queued, sent, confirmed, fix received', () => {
  const steps: LocateEvent[] = [
    { type: 'request' },
    { type: 'accepted', commandId: 7 },
    { type: 'progress', commandId: 7, status: 'sent' },
    { type: 'progress', commandId: 7, status: 'acknowledged' },
  ];
  assert.equal(run(...steps.slice(0, 1)).phase, 'requesting');
  assert.equal(run(...steps.slice(0, 2)).phase, 'queued');
  assert.equal(run(...steps.slice(0, 3)).phase, 'sent');
  const confirmed = run(...steps);
  assert.equal(confirmed.phase, 'acknowledged');
  assert.equal(isWaiting(confirmed), true);
  const done = locateReducer(confirmed, { type: 'position', isPlaced: true });
  assert.equal(done.phase, 'fixReceived');
  assert.equal(isWaiting(done), false);
});

test('progress that overtakes the HTTP answer is applied when the answer comes', () => {
  const state = run(
    { type: 'request' },
    { type: 'progress', commandId: 9, status: 'sent' },
    { type: 'progress', commandId: 9, status: 'acknowledged' },
    { type: 'accepted', commandId: 9 },
  );
  assert.equal(state.phase, 'acknowledged');
  assert.equal(state.commandId, 9);
});

test('progress of another command is ignored', () => {
  const state = run(
    { type: 'request' },
    { type: 'accepted', commandId: 3 },
    { type: 'progress', commandId: 4, status: 'failed' },
  );
  assert.equal(state.phase, 'queued');
});

test('a late status never steps back', () => {
  const state = run(
    { type: 'request' },
    { type: 'accepted', commandId: 1 },
    { type: 'progress', commandId: 1, status: 'acknowledged' },
    { type: 'progress', commandId: 1, status: 'sent' },
  );
  assert.equal(state.phase, 'acknowledged');
});

test('failure and expiry end the wait; a fix after them changes nothing', () => {
  for (const status of ['failed', 'expired'] as const) {
    const state = run(
      { type: 'request' },
      { type: 'accepted', commandId: 1 },
      { type: 'progress', commandId: 1, status },
      { type: 'position', isPlaced: true },
    );
    assert.equal(state.phase, status);
    assert.equal(isWaiting(state), false);
  }
});

test('a report without a place keeps waiting for a real fix', () => {
  const noFix = run(
    { type: 'request' },
    { type: 'accepted', commandId: 1 },
    { type: 'position', isPlaced: false },
  );
  assert.equal(noFix.phase, 'noFix');
  assert.equal(isWaiting(noFix), true);
  assert.equal(locateReducer(noFix, { type: 'position', isPlaced: true }).phase, 'fixReceived');
});

test('a refused request is shown with its error; positions do not count before a request', () => {
  const error = new Error('429');
  const state = run({ type: 'request' }, { type: 'rejected', error });
  assert.equal(state.phase, 'rejected');
  assert.equal(state.error, error);
  assert.equal(run({ type: 'position', isPlaced: true }).phase, 'idle');
});

test('a fix that overtakes the HTTP answer counts, and the answer keeps it', () => {
  const state = run(
    { type: 'request' },
    { type: 'position', isPlaced: true },
    { type: 'accepted', commandId: 5 },
  );
  assert.equal(state.phase, 'fixReceived');
  assert.equal(state.commandId, 5);
});
