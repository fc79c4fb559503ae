import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCountdown, secondsLeft, serverSms } from './claim-countdown.ts';

test('seconds left round up and stop at zero', () => {
  const now = Date.parse('2026-01-01T10:00:00.000Z');
  assert.equal(secondsLeft('2026-01-01T10:10:00.000Z', now), 600);
  assert.equal(secondsLeft('2026-01-01T10:00:00.400Z', now), 1);
  assert.equal(secondsLeft('2026-01-01T09:59:00.000Z', now), 0);
});

test('a countdown reads minutes and two-digit seconds', () => {
  assert.equal(formatCountdown(600), '10:00');
  assert.equal(formatCountdown(545), '9:05');
  assert.equal(formatCountdown(0), '0:00');
  assert.equal(formatCountdown(-3), '0:00');
});

test('the server SMS has the form watches of this family expect', () => {
  assert.equal(serverSms('kinwatch.example.org', 8001), 'pw,123456,ip,kinwatch.example.org,8001#');
  assert.equal(serverSms('10.0.0.2', 9000, '523681'), 'pw,523681,ip,10.0.0.2,9000#');
});
