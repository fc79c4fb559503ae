import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  draftFromZone,
  draftProblems,
  newCircleDraft,
  newPolygonDraft,
  requestBody,
  withLastVertexRemoved,
  withRadius,
  withVertexAdded,
  withVertexMoved,
} from './zone-draft.ts';
import { offsetPoint } from './zone-geometry.ts';

const origin = { latitude: 50, longitude: 10 };
const at = (east: number, north: number) => offsetPoint(origin, east, north);

test('a circle needs a name and a centre; its radius stays within the limits', () => {
  const empty = newCircleDraft();
  assert.deepEqual(draftProblems(empty), ['nameMissing', 'noCentre']);
  const placed = withRadius({ ...newCircleDraft(origin), name: ' School ' }, 5);
  assert.deepEqual(draftProblems(placed), []);
  assert.deepEqual(requestBody(placed), {
    name: 'School',
    shape: { kind: 'circle', latitude: 50, longitude: 10, radiusMeters: 30 },
    expectations: [],
  });
});

test('a polygon is drawn corner by corner, with undo, and refused when it crosses itself', () => {
  let draft = { ...newPolygonDraft(), name: 'Park' };
  draft = withVertexAdded(draft, at(0, 0));
  draft = withVertexAdded(draft, at(100, 0));
  assert.deepEqual(draftProblems(draft), ['tooFewVertices']);
  draft = withVertexAdded(draft, at(0, 100));
  draft = withVertexAdded(draft, at(100, 100));
  assert.deepEqual(draftProblems(draft), ['selfIntersecting'], 'a bow tie');
  draft = withVertexMoved(draft, 2, at(100, 100));
  draft = withVertexMoved(draft, 3, at(0, 100));
  assert.deepEqual(draftProblems(draft), []);
  draft = withLastVertexRemoved(draft);
  assert.equal(draft.shape.kind === 'polygon' && draft.shape.vertices.length, 3);
});

test('a polygon enclosing almost nothing is refused as too small', () => {
  let draft = { ...newPolygonDraft(), name: 'Sliver' };
  for (const point of [at(0, 0), at(50, 0), at(50, 1)]) draft = withVertexAdded(draft, point);
  assert.deepEqual(draftProblems(draft), ['tooSmall']);
});

test('an expectation that ends before it starts keeps the zone from being saved', () => {
  const zone = {
    id: 'z1',
    name: 'School',
    shape: { kind: 'circle' as const, latitude: 50, longitude: 10, radiusMeters: 150 },
    expectations: [{ days: ['fri', 'mon'], start: '08:15', end: '07:50', timeZone: 'UTC' }],
  };
  const draft = draftFromZone(zone);
  assert.deepEqual(draft.expectations[0]?.days, ['mon', 'fri']);
  assert.deepEqual(draftProblems(draft), ['expectations']);
});
