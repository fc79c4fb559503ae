import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minutesUntil } from './demo-expiry.ts';

test('minutes until the demo ends, rounded up, never negative', () => {
  const now = Date.parse('2026-05-01T10:00:00Z');
  assert.equal(minutesUntil('2026-05-01T12:00:00Z', now), 120);
  assert.equal(minutesUntil('2026-05-01T10:00:01Z', now), 1);
  assert.equal(minutesUntil('2026-05-01T09:59:00Z', now), 0);
  assert.equal(minutesUntil('not a date', now), 0);
});
