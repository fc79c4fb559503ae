import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodePositionFields,
  decodePositionFieldsAt,
  encodePositionBlock,
  encodePositionFields,
  positionBlockIndex,
} from './position-fields.ts';

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

test('a block gives back each position by its id', () => {
  const fields = [
    {
      latitude: -33.856784,
      longitude: 151.215297,
      accuracyMeters: 5,
      speedKmh: 3.5,
      courseDegrees: 90,
      altitudeMeters: 12,
    },
    {
      latitude: 52.52,
      longitude: 13.405,
      accuracyMeters: 1500,
      speedKmh: null,
      courseDegrees: null,
      altitudeMeters: null,
    },
  ];
  const ids = [7, 2 ** 40 + 3];
  const block = encodePositionBlock(
    fields.map((value, index) => ({ id: ids[index] ?? 0, fields: encodePositionFields(value) })),
  );
  const offsets = positionBlockIndex(block);
  assert.deepEqual([...offsets.keys()], ids);
  for (const [index, id] of ids.entries()) {
    assert.deepEqual(decodePositionFieldsAt(block, offsets.get(id) ?? -1), fields[index]);
  }
  assert.deepEqual([...positionBlockIndex(encodePositionBlock([])).keys()], []);
});

test('blocks of another layout, and slots that are not positions, are refused', () => {
  const one = encodePositionFields({
    latitude: 1,
    longitude: 2,
    accuracyMeters: null,
    speedKmh: null,
    courseDegrees: null,
    altitudeMeters: null,
  });
  const block = encodePositionBlock([{ id: 1, fields: one }]);
  assert.throws(() => positionBlockIndex(block.subarray(0, block.length - 1)), /unknown layout/);
  assert.throws(() => positionBlockIndex(one), /unknown layout/);
  assert.throws(() => decodePositionFieldsAt(block, 0), /unknown layout/);
  assert.throws(() => decodePositionFieldsAt(block, block.length - 10), /unknown layout/);
  assert.throws(() => encodePositionBlock([{ id: 1.5, fields: one }]), RangeError);
  assert.throws(() => encodePositionBlock([{ id: 1, fields: one.subarray(1) }]), RangeError);
});
