import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EARTH_RADIUS_METERS, distanceMeters } from './haversine.ts';
import { weightedCentroid } from './weighted-centroid.ts';

test('one degree of latitude is about 111.2 km anywhere', () => {
  const d = distanceMeters({ latitude: 10, longitude: 20 }, { latitude: 11, longitude: 20 });
  assert.ok(Math.abs(d - 111_195) < 10, String(d));
});

test('one degree of longitude shrinks with the cosine of the latitude', () => {
  const d = distanceMeters({ latitude: 60, longitude: 0 }, { latitude: 60, longitude: 1 });
  assert.ok(Math.abs(d - 55_597) < 20, String(d));
});

test('distance is symmetric, zero for one point, and half the circumference for antipodes', () => {
  const a = { latitude: 52.52, longitude: 13.405 };
  const b = { latitude: 48.8566, longitude: 2.3522 };
  assert.equal(distanceMeters(a, b), distanceMeters(b, a));
  assert.ok(Math.abs(distanceMeters(a, b) - 877_460) < 1_000);
  assert.equal(distanceMeters(a, a), 0);
  const antipode = { latitude: -52.52, longitude: 13.405 - 180 };
  assert.ok(Math.abs(distanceMeters(a, antipode) - Math.PI * EARTH_RADIUS_METERS) < 1);
});

test('the centroid of two equal points is their midpoint, nearer the heavier one otherwise', () => {
  const west = { latitude: 0, longitude: 10, weight: 1 };
  const east = { latitude: 0, longitude: 12, weight: 1 };
  const mid = weightedCentroid([west, east]);
  assert.ok(mid !== undefined);
  assert.ok(Math.abs(mid.longitude - 11) < 1e-9 && Math.abs(mid.latitude) < 1e-9);
  const leaning = weightedCentroid([{ ...west, weight: 3 }, east]);
  assert.ok(leaning !== undefined && leaning.longitude < 11 && leaning.longitude > 10);
});

test('the centroid across the antimeridian stays at the antimeridian', () => {
  const c = weightedCentroid([
    { latitude: -17, longitude: 179.9, weight: 1 },
    { latitude: -17, longitude: -179.9, weight: 1 },
  ]);
  assert.ok(c !== undefined);
  assert.ok(Math.abs(Math.abs(c.longitude) - 180) < 1e-9, String(c.longitude));
});

test('no centroid without positive weight, or when the points cancel', () => {
  assert.equal(weightedCentroid([]), undefined);
  assert.equal(weightedCentroid([{ latitude: 1, longitude: 1, weight: 0 }]), undefined);
  assert.equal(
    weightedCentroid([
      { latitude: 0, longitude: 0, weight: 1 },
      { latitude: 0, longitude: 180, weight: 1 },
    ]),
    undefined,
  );
});
