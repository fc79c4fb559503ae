import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ASSUMED_ACCURACY_METERS,
  displayTime,
  impliedSpeedKmh,
  isClockSkewed,
  isImpossibleJump,
  type TimedFix,
} from './plausibility.ts';

const RECEIVED = new Date('2025-03-01T08:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function times(offsetMs: number, isBuffered = false) {
  return { recordedAt: new Date(RECEIVED.getTime() + offsetMs), receivedAt: RECEIVED, isBuffered };
}

test('a device clock within a day behind and a few minutes ahead is believed', () => {
  for (const offset of [0, -23 * HOUR, 4 * MINUTE, -24 * HOUR]) {
    assert.equal(isClockSkewed(times(offset)), false, String(offset));
  }
});

test('a device clock more than a day off, or ahead by more than five minutes, is skewed', () => {
  for (const offset of [-24 * HOUR - 1, 24 * HOUR, 6 * MINUTE]) {
    assert.equal(isClockSkewed(times(offset)), true, String(offset));
  }
  const reset = { recordedAt: new Date('2000-01-01T00:00:00Z'), receivedAt: RECEIVED };
  assert.equal(isClockSkewed({ ...reset, isBuffered: false }), true);
  assert.equal(isClockSkewed({ ...reset, isBuffered: true }), true);
  assert.equal(isClockSkewed(times(Number.NaN)), true);
});

test('buffered history may be up to a week old, but never from the future', () => {
  assert.equal(isClockSkewed(times(-3 * 24 * HOUR, true)), false);
  assert.equal(isClockSkewed(times(-8 * 24 * HOUR, true)), true);
  assert.equal(isClockSkewed(times(10 * MINUTE, true)), true);
});

test('a skewed position is shown at its receive time, any other at its device time', () => {
  const recordedAt = new Date('2000-01-01T00:00:00Z');
  assert.equal(displayTime({ recordedAt, receivedAt: RECEIVED, flags: ['clockSkew'] }), RECEIVED);
  assert.equal(displayTime({ recordedAt, receivedAt: RECEIVED, flags: [] }), recordedAt);
});

function fix(latitude: number, seconds: number, accuracyMeters: number | null = 10): TimedFix {
  return {
    latitude,
    longitude: 13.4,
    accuracyMeters,
    at: new Date(RECEIVED.getTime() + seconds * 1000),
  };
}

// 0.01 degree of latitude is 1,111.95 m.
test('the implied speed is the distance beyond both accuracy radii over the time', () => {
  const speed = impliedSpeedKmh(fix(52.5, 0, 50), fix(52.51, 60, 61.95));
  assert.ok(Math.abs(speed - 60) < 0.01, String(speed));
  assert.equal(impliedSpeedKmh(fix(52.5, 60), fix(52.5001, 0)), 0);
});

test('unknown accuracy counts as the assumed GNSS accuracy', () => {
  const withNull = impliedSpeedKmh(fix(52.5, 0, null), fix(52.51, 60, null));
  const assumed = impliedSpeedKmh(
    fix(52.5, 0, ASSUMED_ACCURACY_METERS),
    fix(52.51, 60, ASSUMED_ACCURACY_METERS),
  );
  assert.equal(withNull, assumed);
});

test('faster than 300 km/h is an impossible jump; a train at 250 km/h is not', () => {
  // 11.12 km in 150 s is 267 km/h; in 120 s, 334 km/h.
  assert.equal(isImpossibleJump(fix(52.5, 0, 0), fix(52.6, 150, 0)), false);
  assert.equal(isImpossibleJump(fix(52.5, 0, 0), fix(52.6, 120, 0)), true);
});

test('big accuracy radii absorb a jump; two fixes in the same second are not divided by zero', () => {
  // 2.2 km in 10 s is 790 km/h, but the radii leave 214 m of it: 77 km/h.
  assert.equal(isImpossibleJump(fix(52.5, 0, 10), fix(52.52, 10, 2_000)), false);
  assert.equal(isImpossibleJump(fix(52.5, 0, 10), fix(52.52, 10, 10)), true);
  const sameSecond = impliedSpeedKmh(fix(52.5, 0, 0), fix(52.501, 0, 0));
  assert.ok(Number.isFinite(sameSecond) && sameSecond > 300);
});
