import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POSITION_FLAGS, POSITION_SOURCES, writePositions, type Position } from '@kinwatch/core';
import fc from 'fast-check';
import { positionSchema, presentPosition } from './location.routes.ts';
import { closePositionPage, openPositionPage } from './position-json.ts';

/** The page as the route writes it. */
function positionPageJson(positions: readonly Position[], nextCursor: string | null): Buffer {
  const json = openPositionPage();
  writePositions(json, positions);
  return closePositionPage(json, nextCursor);
}

/** What the route sent before: each position presented, then JSON.stringify. */
function generalJson(positions: readonly Position[], nextCursor: string | null): string {
  return JSON.stringify({ positions: positions.map(presentPosition), nextCursor });
}

const MAX_DATE_MS = 8.64e15;
const anyTime = fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }).map((ms) => new Date(ms));
/** Most pages hold times a few seconds apart on the same few days. */
const nearbyTime = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 0, 4) })
  .map((ms) => new Date(ms));
const value = fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null });

const position = fc.record({
  watchId: fc.constant('w1'),
  recordedAt: fc.oneof(anyTime, nearbyTime),
  receivedAt: fc.oneof(anyTime, nearbyTime),
  source: fc.constantFrom(...POSITION_SOURCES),
  latitude: value,
  longitude: value,
  accuracyMeters: value,
  speedKmh: value,
  courseDegrees: value,
  altitudeMeters: value,
  isBuffered: fc.boolean(),
  flags: fc.subarray([...POSITION_FLAGS]),
}) satisfies fc.Arbitrary<Position>;

test('a page of positions is the JSON that presenting and stringifying them gives', () => {
  fc.assert(
    fc.property(
      fc.array(position, { maxLength: 40 }),
      // Long enough, at times, to outgrow the buffer's first size.
      fc.option(fc.string({ unit: 'grapheme', maxLength: 600 }), { nil: null }),
      (positions, cursor) => {
        assert.equal(
          positionPageJson(positions, cursor).toString('utf8'),
          generalJson(positions, cursor),
        );
      },
    ),
    { numRuns: 500 },
  );
});

test('times at the edges of days, years and the range of dates', () => {
  const times = [
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2024-03-01T00:00:00.001Z',
    '0000-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '+010000-01-01T00:00:00.000Z',
    '-000001-12-31T23:59:59.999Z',
  ].map((iso) => new Date(iso));
  const positions = times.map((recordedAt): Position => ({
    watchId: 'w1',
    recordedAt,
    receivedAt: recordedAt,
    source: 'gps',
    latitude: -0,
    longitude: 1e21,
    accuracyMeters: 5e-324,
    speedKmh: null,
    courseDegrees: 0.1 + 0.2,
    altitudeMeters: -12.5,
    isBuffered: false,
    flags: ['clockSkew'],
  }));
  const json = positionPageJson(positions, 'p1_2').toString('utf8');
  assert.equal(json, generalJson(positions, 'p1_2'));
  const [first] = (JSON.parse(json) as { positions: Record<string, unknown>[] }).positions;
  assert.deepEqual(
    Object.keys(first ?? {}),
    Object.keys(positionSchema.shape),
    'the schema fields',
  );
  assert.deepEqual(
    (JSON.parse(json) as { positions: { recordedAt: string }[] }).positions.map(
      (p) => p.recordedAt,
    ),
    times.map((time) => time.toISOString()),
  );
});
