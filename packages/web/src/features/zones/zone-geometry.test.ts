import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clampRadiusMeters,
  distanceMeters,
  offsetPoint,
  polygonAreaSquareMeters,
  segmentsIntersect,
  selfIntersection,
  type LatLon,
} from './zone-geometry.ts';

const origin: LatLon = { latitude: 50, longitude: 10 };
/** A point the given metres east and north of the origin. */
const at = (east: number, north: number) => offsetPoint(origin, east, north);

test('segments that cross, touch or overlap intersect; apart or parallel ones do not', () => {
  const p = (x: number, y: number) => ({ x, y });
  assert.equal(segmentsIntersect(p(0, 0), p(10, 10), p(0, 10), p(10, 0)), true, 'an X');
  assert.equal(segmentsIntersect(p(0, 0), p(10, 0), p(5, 0), p(5, 5)), true, 'a T');
  assert.equal(segmentsIntersect(p(0, 0), p(10, 0), p(10, 0), p(20, 5)), true, 'shared end');
  assert.equal(segmentsIntersect(p(0, 0), p(10, 0), p(5, 0), p(15, 0)), true, 'overlap in line');
  assert.equal(segmentsIntersect(p(0, 0), p(10, 0), p(11, 0), p(15, 0)), false, 'in line, apart');
  assert.equal(segmentsIntersect(p(0, 0), p(10, 0), p(0, 1), p(10, 1)), false, 'parallel');
  assert.equal(segmentsIntersect(p(0, 0), p(10, 10), p(6, 4), p(20, -10)), false, 'short of it');
});

test('a square, a triangle and a concave shape have no self-intersection', () => {
  assert.equal(selfIntersection([at(0, 0), at(100, 0), at(100, 100), at(0, 100)]), null);
  assert.equal(selfIntersection([at(0, 0), at(100, 0), at(50, 80)]), null);
  const arrow = [at(0, 0), at(100, 50), at(0, 100), at(30, 50)];
  assert.equal(selfIntersection(arrow), null);
});

test('a bow tie crosses itself between its first and third edges', () => {
  const bowTie = [at(0, 0), at(100, 100), at(100, 0), at(0, 100)];
  assert.deepEqual(selfIntersection(bowTie), [0, 2]);
});

test('a corner touching another edge, a repeated corner and a fold back are found', () => {
  const touching = [at(0, 0), at(100, 0), at(100, 100), at(50, 0), at(0, 100)];
  assert.notEqual(selfIntersection(touching), null);
  const repeated = [at(0, 0), at(100, 0), at(100, 0), at(0, 100)];
  assert.notEqual(selfIntersection(repeated), null);
  const foldBack = [at(0, 0), at(100, 0), at(50, 0)];
  assert.notEqual(selfIntersection(foldBack), null);
});

test('offsets, distances and areas agree in metres', () => {
  assert.ok(Math.abs(distanceMeters(origin, at(300, 400)) - 500) < 1);
  const area = polygonAreaSquareMeters([at(0, 0), at(100, 0), at(100, 100), at(0, 100)]);
  assert.ok(Math.abs(area - 10_000) < 10, String(area));
});

test('a radius is held within what the server accepts', () => {
  assert.equal(clampRadiusMeters(10), 30);
  assert.equal(clampRadiusMeters(149.6), 150);
  assert.equal(clampRadiusMeters(80_000), 50_000);
  assert.equal(clampRadiusMeters(Number.NaN), 30);
});
