import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamPosition } from '../../api/stream-messages.ts';
import {
  accuracyParts,
  fixTimeOf,
  isFixStale,
  isPlaced,
  livePositionFor,
  newerFix,
} from './fix.ts';

function fix(overrides: Partial<StreamPosition> = {}): StreamPosition {
  return {
    recordedAt: '2026-05-01T08:00:00.000Z',
    receivedAt: '2026-05-01T08:00:02.000Z',
    source: 'gps',
    latitude: 50,
    longitude: 10,
    accuracyMeters: 8,
    speedKmh: null,
    courseDegrees: null,
    isBuffered: false,
    flags: [],
    ...overrides,
  };
}

test('a fix is placed only with both coordinates', () => {
  assert.equal(isPlaced(fix()), true);
  assert.equal(isPlaced(fix({ latitude: null, longitude: null, source: 'none' })), false);
});

test('age counts from the server receive time when the watch clock is flagged', () => {
  assert.equal(fixTimeOf(fix()), '2026-05-01T08:00:00.000Z');
  assert.equal(fixTimeOf(fix({ flags: ['clockSkew'] })), '2026-05-01T08:00:02.000Z');
});

test('a fix older than the threshold is stale, one within it is not', () => {
  const at = Date.parse('2026-05-01T08:00:00.000Z');
  assert.equal(isFixStale(fix(), at + 14 * 60_000, 900), false);
  assert.equal(isFixStale(fix(), at + 16 * 60_000, 900), true);
});

test('the newer fix wins by the watch clock', () => {
  const older = fix();
  const newer = fix({ recordedAt: '2026-05-01T08:01:00.000Z' });
  assert.equal(newerFix(older, newer), newer);
  assert.equal(newerFix(newer, older), newer);
  assert.equal(newerFix(undefined, older), older);
  assert.equal(newerFix(older, undefined), older);
});

test('only live positions of the same watch move the map', () => {
  const position = fix();
  assert.equal(livePositionFor({ type: 'position', watchId: 'w1', position }, 'w1'), position);
  assert.equal(livePositionFor({ type: 'position', watchId: 'w2', position }, 'w1'), null);
  const buffered = fix({ isBuffered: true });
  assert.equal(
    livePositionFor({ type: 'position', watchId: 'w1', position: buffered }, 'w1'),
    null,
  );
  assert.equal(
    livePositionFor({ type: 'status', watchId: 'w1', isOnline: true, at: '' }, 'w1'),
    null,
  );
});

test('accuracy is rounded as people say it', () => {
  assert.deepEqual(accuracyParts(7.6), { value: 8, unit: 'm' });
  assert.deepEqual(accuracyParts(0.2), { value: 1, unit: 'm' });
  assert.deepEqual(accuracyParts(154), { value: 150, unit: 'm' });
  assert.deepEqual(accuracyParts(1234), { value: 1.2, unit: 'km' });
});
