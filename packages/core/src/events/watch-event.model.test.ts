import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Position } from '../positions/position.model.ts';
import {
  isPackedBuffered,
  isPositionBatchEvent,
  lazyPositionEvent,
  packPosition,
  packedWatchId,
  unpackPosition,
  type PackedPosition,
  type PositionEvent,
} from './watch-event.model.ts';

const fix: Position = {
  watchId: 'w1',
  recordedAt: new Date('2026-03-01T08:00:00.250Z'),
  receivedAt: new Date('2026-03-01T08:00:01.000Z'),
  source: 'wifi',
  latitude: 51.501234,
  longitude: -0.1234,
  accuracyMeters: 35,
  speedKmh: null,
  courseDegrees: 270,
  altitudeMeters: null,
  isBuffered: true,
  flags: ['clockSkew'],
};

/** The event the live stream sends for `fix`. */
const FIX_EVENT: PositionEvent = {
  type: 'position',
  watchId: 'w1',
  position: {
    recordedAt: '2026-03-01T08:00:00.250Z',
    receivedAt: '2026-03-01T08:00:01.000Z',
    source: 'wifi',
    latitude: 51.501234,
    longitude: -0.1234,
    accuracyMeters: 35,
    speedKmh: null,
    courseDegrees: 270,
    isBuffered: true,
    flags: ['clockSkew'],
  },
};

test('a packed position unpacks to the event it stands for, across JSON', () => {
  const packed = JSON.parse(JSON.stringify(packPosition(fix))) as PackedPosition;
  assert.deepEqual(unpackPosition(packed), FIX_EVENT);
  assert.equal(packedWatchId(packed), 'w1');
  assert.equal(isPackedBuffered(packed), true);
  assert.equal(isPackedBuffered(packPosition({ ...fix, isBuffered: false })), false);
});

test('a zone-only position stays marked zone-only', () => {
  const packed = packPosition(fix, true);
  assert.deepEqual(unpackPosition(packed), { ...FIX_EVENT, zoneOnly: true });
  assert.equal(lazyPositionEvent(packed).zoneOnly, true);
  assert.equal(lazyPositionEvent(packPosition(fix)).zoneOnly, undefined);
});

test('a lazy event has the same watch and position as the plain one, made once', () => {
  const packed = packPosition(fix);
  const lazy = lazyPositionEvent(packed);
  assert.equal(lazy.type, 'position');
  assert.equal(lazy.watchId, 'w1');
  assert.deepEqual(lazy.position, FIX_EVENT.position);
  assert.equal(lazy.position, lazy.position, 'the same object on every read');
});

test('only batches of well-formed packed positions pass the check', () => {
  const good = { type: 'positionBatch', positions: [packPosition(fix)] };
  assert.equal(isPositionBatchEvent(good), true);
  assert.equal(isPositionBatchEvent({ type: 'positionBatch', positions: [] }), true);
  assert.equal(isPositionBatchEvent({ type: 'positionBatch', positions: [FIX_EVENT] }), false);
  const short = packPosition(fix).slice(0, 11);
  assert.equal(isPositionBatchEvent({ type: 'positionBatch', positions: [short] }), false);
  const textTime = [...packPosition(fix)];
  textTime[1] = '2026-03-01T08:00:00.250Z';
  assert.equal(isPositionBatchEvent({ type: 'positionBatch', positions: [textTime] }), false);
  assert.equal(isPositionBatchEvent({ type: 'position', positions: [] }), false);
  assert.equal(isPositionBatchEvent(null), false);
});
