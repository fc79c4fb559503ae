import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialOf, isStale, zoomForAccuracy } from './position-display.ts';

test('a fix is stale only once it is older than the server says', () => {
  const now = Date.parse('2026-05-01T10:00:00Z');
  assert.equal(isStale('2026-05-01T09:50:00Z', now, 900), false);
  assert.equal(isStale('2026-05-01T09:44:59Z', now, 900), true);
});

test('coarser fixes are shown from further away', () => {
  assert.ok(zoomForAccuracy(20) > zoomForAccuracy(150));
  assert.ok(zoomForAccuracy(150) > zoomForAccuracy(3_000));
  assert.ok(zoomForAccuracy(3_000) > zoomForAccuracy(20_000));
});

test('initials work for Chinese names and empty ones', () => {
  assert.equal(initialOf('mia'), 'M');
  assert.equal(initialOf('小明'), '小');
  assert.equal(initialOf('  '), '?');
});
