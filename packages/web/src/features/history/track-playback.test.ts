import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  advancePlayback,
  lastIndexAtOrBefore,
  nextPointTime,
  placeAt,
  previousPointTime,
  trackPointsOf,
} from './track-playback.ts';

const points = [
  { atMs: 0, latitude: 47.0, longitude: 8.0 },
  { atMs: 10_000, latitude: 47.1, longitude: 8.2 },
  { atMs: 30_000, latitude: 47.1, longitude: 8.4 },
];

describe('the marker along the track', () => {
  test('halfway in time between two fixes is halfway between them', () => {
    const place = placeAt(points, 5_000);
    assert.ok(place);
    assert.ok(Math.abs(place.latitude - 47.05) < 1e-9);
    assert.ok(Math.abs(place.longitude - 8.1) < 1e-9);
    assert.equal(place.previousIndex, 0);
    assert.equal(place.isOnPoint, false);
  });

  test('on a fix the marker is that fix', () => {
    assert.deepEqual(placeAt(points, 10_000), {
      latitude: 47.1,
      longitude: 8.2,
      previousIndex: 1,
      isOnPoint: true,
    });
  });

  test('before the start and after the end it stays at the ends', () => {
    assert.equal(placeAt(points, -5_000)?.previousIndex, 0);
    assert.equal(placeAt(points, 99_000)?.previousIndex, 2);
    assert.equal(placeAt(points, 99_000)?.longitude, 8.4);
    assert.equal(placeAt([], 0), null);
  });

  test('across the date line it goes the short way', () => {
    const crossing = [
      { atMs: 0, latitude: 0, longitude: 179.8 },
      { atMs: 10, latitude: 0, longitude: -179.8 },
    ];
    const place = placeAt(crossing, 5);
    assert.ok(place);
    assert.ok(Math.abs(Math.abs(place.longitude) - 180) < 1e-9);
  });

  test('stepping jumps from fix to fix', () => {
    assert.equal(lastIndexAtOrBefore(points, -1), -1);
    assert.equal(lastIndexAtOrBefore(points, 29_999), 1);
    assert.equal(nextPointTime(points, 0), 10_000);
    assert.equal(nextPointTime(points, 12_000), 30_000);
    assert.equal(nextPointTime(points, 30_000), 30_000);
    assert.equal(previousPointTime(points, 30_000), 10_000);
    assert.equal(previousPointTime(points, 12_000), 10_000);
    assert.equal(previousPointTime(points, 0), 0);
  });
});

test('positions without coordinates are left out and the rest ordered by time', () => {
  const track = trackPointsOf([
    { recordedAt: '2026-01-01T10:00:10Z', latitude: 1, longitude: 2 },
    { recordedAt: '2026-01-01T10:00:05Z', latitude: null, longitude: null },
    { recordedAt: '2026-01-01T10:00:00Z', latitude: 3, longitude: 4 },
  ]);
  assert.deepEqual(
    track.map((point) => point.latitude),
    [3, 1],
  );
});

test('playback runs at its speed and stops at the end', () => {
  assert.deepEqual(advancePlayback(0, 16, 60, 10_000), { atMs: 960, isAtEnd: false });
  assert.deepEqual(advancePlayback(9_500, 16, 60, 10_000), { atMs: 10_000, isAtEnd: true });
  assert.deepEqual(advancePlayback(100, -5, 10, 10_000), { atMs: 100, isAtEnd: false });
});
