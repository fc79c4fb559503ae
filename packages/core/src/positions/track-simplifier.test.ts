import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simplifyTrack } from './track-simplifier.ts';

/** About 1.11 m of latitude per 0.00001 degree. */
const point = (latitude: number, longitude: number) => ({ latitude, longitude });

test('a straight line keeps only its ends', () => {
  const line = Array.from({ length: 50 }, (_, i) => point(52 + i * 1e-4, 13));
  assert.deepEqual(simplifyTrack(line, 1), [line[0], line[49]]);
});

test('a corner farther than the tolerance is kept, a wobble within it is not', () => {
  const track = [
    point(52, 13),
    point(52.001, 13.00001), // about 0.7 m off the line
    point(52.002, 13), // the corner
    point(52.002, 13.01), // on the line from the corner on
    point(52.002, 13.02),
  ];
  assert.deepEqual(simplifyTrack(track, 5), [track[0], track[2], track[4]]);
  assert.deepEqual(simplifyTrack(track, 0.1), [track[0], track[1], track[2], track[4]]);
});

test('keeps the order and the extra fields of the points', () => {
  const track = [
    { ...point(0, 0), t: 1 },
    { ...point(0.01, 0.01), t: 2 },
    { ...point(0, 0.02), t: 3 },
  ];
  assert.deepEqual(
    simplifyTrack(track, 10).map((p) => p.t),
    [1, 2, 3],
  );
});

test('measures across the antimeridian the short way', () => {
  const track = [point(0, 179.9999), point(0.00001, 180), point(0, -179.9999)];
  assert.equal(simplifyTrack(track, 5).length, 2);
});

test('short tracks come back whole, a negative tolerance is refused', () => {
  assert.deepEqual(simplifyTrack([point(1, 1)], 10), [point(1, 1)]);
  assert.deepEqual(simplifyTrack([], 10), []);
  assert.throws(() => simplifyTrack([point(1, 1)], -1), RangeError);
});
