import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canTransition, COMMAND_STATUSES, isSettled, isTwinInSync } from './command.model.ts';

test('only queued and sent commands move, and never back to queued', () => {
  const allowed = COMMAND_STATUSES.flatMap((from) =>
    COMMAND_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
  );
  assert.deepEqual(allowed, [
    'queued->sent',
    'queued->acknowledged',
    'queued->failed',
    'queued->expired',
    'queued->unconfirmed',
    'sent->sent',
    'sent->acknowledged',
    'sent->failed',
    'sent->expired',
    'sent->unconfirmed',
  ]);
  assert.deepEqual(COMMAND_STATUSES.filter(isSettled), [
    'acknowledged',
    'failed',
    'expired',
    'unconfirmed',
  ]);
});

test('a twin setting is in sync when the watch reported what was desired', () => {
  const at = new Date(0);
  const entry = (desired: unknown, reported: unknown) => ({
    key: 'k',
    desired: desired === undefined ? null : { value: desired as never, at },
    reported: reported === undefined ? null : { value: reported as never, at },
  });
  assert.equal(isTwinInSync(entry(undefined, 5)), true, 'nothing asked for');
  assert.equal(isTwinInSync(entry(5, undefined)), false, 'not reported yet');
  assert.equal(isTwinInSync(entry(5, 5)), true);
  assert.equal(isTwinInSync(entry(5, '5')), false);
  assert.equal(
    isTwinInSync(entry({ from: '08:00', to: '12:00' }, { to: '12:00', from: '08:00' })),
    true,
  );
  assert.equal(isTwinInSync(entry(['a', 'b'], ['b', 'a'])), false, 'order of a list matters');
  assert.equal(isTwinInSync(entry(null, null)), true);
});
