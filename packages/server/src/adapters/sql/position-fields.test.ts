import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePositionFields, encodePositionFields } from './position-fields.ts';

test('position fields round-trip exactly, nulls included', () => {
  const full = {
    latitude: -33.856784123456,
    longitude: 151.215297,
    accuracyMeters: 0,
    speedKmh: 12.25,
    courseDegrees: 359.9,
    altitudeMeters: -27.5,
  };
  assert.deepEqual(decodePositionFields(encodePositionFields(full)), full);
  const sparse = { ...full, speedKmh: null, courseDegrees: null, altitudeMeters: null };
  assert.deepEqual(decodePositionFields(encodePositionFields(sparse)), sparse);
  assert.equal(encodePositionFields(full).length, 49);
});

test('bytes of another layout are refused', () => {
  const bytes = encodePositionFields({
    latitude: 1,
    longitude: 2,
    accuracyMeters: null,
    speedKmh: null,
    courseDegrees: null,
    altitudeMeters: null,
  });
  assert.throws(() => decodePositionFields(bytes.subarray(0, 48)), /unknown layout/);
  const otherVersion = Uint8Array.from(bytes);
  otherVersion[0] = 2;
  assert.throws(() => decodePositionFields(otherVersion), /unknown layout/);
  assert.throws(
    () => decodePositionFields(new TextEncoder().encode('{"latitude":1}')),
    /unknown layout/,
  );
});
