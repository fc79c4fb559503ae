import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POSITION_JSON_FORMAT, positionsJson, type Position } from '@kinwatch/core';
import {
  POSITION_BLOCK_FORMAT,
  PositionBlock,
  encodePositionBlock,
  type PositionBlockEntry,
} from './position-block-layout.ts';
import { decodePositionFieldsAt, encodePositionFields } from './position-fields.ts';

function position(minute: number, overrides: Partial<Position> = {}): Position {
  const recordedAt = new Date(Date.UTC(2025, 2, 1, 8, minute));
  return {
    watchId: 'w1',
    recordedAt,
    receivedAt: new Date(recordedAt.getTime() + 1500),
    source: 'gps',
    latitude: -33.856784,
    longitude: 151.215297,
    accuracyMeters: 5,
    speedKmh: 3.5,
    courseDegrees: 90,
    altitudeMeters: 12,
    isBuffered: false,
    flags: [],
    ...overrides,
  };
}

const positions = [
  position(0),
  position(1, {
    source: 'cell',
    latitude: 52.52,
    accuracyMeters: 1500,
    speedKmh: null,
    courseDegrees: null,
    altitudeMeters: null,
    isBuffered: true,
    flags: ['clockSkew', 'impossibleJump'],
  }),
  position(1, { source: 'none', latitude: null, longitude: null, accuracyMeters: null }),
];
const ids = [7, 2 ** 40 + 3, 9];
const entries: PositionBlockEntry[] = positions.map((value, index) => ({
  id: ids[index] ?? 0,
  position: value,
  fields: encodePositionFields(value),
}));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

test('a block gives back each position by its id: fields, device time and JSON', () => {
  const block = PositionBlock.read(encodePositionBlock(entries));
  assert.ok(block !== undefined);
  assert.equal(block.count, 3);
  for (const [index, id] of ids.entries()) {
    const entry = block.entryOf(id);
    assert.equal(entry, index);
    const expected = positions[index] as Position;
    const fields = decodePositionFieldsAt(block.bytes, block.fieldsOffset(index));
    assert.equal(fields.latitude, expected.latitude);
    assert.equal(fields.altitudeMeters, expected.altitudeMeters);
    assert.equal(block.recordedAt(index), expected.recordedAt.getTime());
    assert.equal(text(block.json(index, index)), text(positionsJson([expected])));
  }
  assert.equal(block.entryOf(8), undefined);
  assert.equal(text(block.json(0, 2)), text(positionsJson(positions)), 'consecutive: one slice');
  assert.equal(text(block.json(1, 2)), text(positionsJson(positions.slice(1))));
  block.wipe();
  assert.ok(block.bytes.every((byte) => byte === 0));
  assert.equal(PositionBlock.read(encodePositionBlock([]))?.count, 0);
});

test('blocks of another layout or JSON version are not used; damaged ones are refused', () => {
  const bytes = encodePositionBlock(entries);
  const otherJson = Buffer.from(bytes);
  otherJson[1] = POSITION_JSON_FORMAT + 1;
  assert.equal(PositionBlock.read(otherJson), undefined);
  // The layout before JSON was kept in blocks: a layout byte of 2 and 57-byte slots.
  assert.equal(PositionBlock.read(Buffer.from([2, ...new Uint8Array(57)])), undefined);
  assert.equal(PositionBlock.read(new Uint8Array(0)), undefined);
  assert.throws(() => PositionBlock.read(bytes.subarray(0, bytes.length - 1)), /not well formed/);
  const tooMany = Buffer.from(bytes);
  tooMany.writeUInt32LE(1000, 2);
  assert.throws(() => PositionBlock.read(tooMany), /not well formed/);
  assert.equal(POSITION_BLOCK_FORMAT, 3 * 256 + POSITION_JSON_FORMAT);
  const one = entries[0] as PositionBlockEntry;
  assert.throws(() => encodePositionBlock([{ ...one, id: 1.5 }]), RangeError);
  assert.throws(
    () => encodePositionBlock([{ ...one, fields: one.fields.subarray(1) }]),
    RangeError,
  );
});
