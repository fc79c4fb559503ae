import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  POSITION_JSON_FORMAT,
  PositionJsonBuffer,
  positionsJson,
  writePositions,
} from './position-json.ts';
import type { Position } from './position.model.ts';

const position: Position = {
  watchId: 'w1',
  recordedAt: new Date('2025-03-01T08:00:05.120Z'),
  receivedAt: new Date('2025-03-01T08:00:06.004Z'),
  source: 'gps',
  latitude: 52.520008,
  longitude: -13.404954,
  accuracyMeters: 8,
  speedKmh: null,
  courseDegrees: 0.1 + 0.2,
  altitudeMeters: 1e21,
  isBuffered: true,
  flags: ['clockSkew'],
};

test('the bytes of a position are pinned to the JSON version that blocks record', () => {
  // Stored blocks keep these bytes (docs/adr/0008-position-json-in-blocks.md). When this
  // test has to change, so does POSITION_JSON_FORMAT, so that blocks written before are made
  // again rather than mixed with positions written the new way.
  assert.equal(POSITION_JSON_FORMAT, 1);
  assert.equal(
    new TextDecoder().decode(positionsJson([position])),
    '{"recordedAt":"2025-03-01T08:00:05.120Z","receivedAt":"2025-03-01T08:00:06.004Z",' +
      '"source":"gps","latitude":52.520008,"longitude":-13.404954,"accuracyMeters":8,' +
      '"speedKmh":null,"courseDegrees":0.30000000000000004,"altitudeMeters":1e+21,' +
      '"isBuffered":true,"flags":["clockSkew"]}',
  );
});

test('positions are appended after what the buffer holds, separated by commas', () => {
  const json = new PositionJsonBuffer(4);
  json.raw(new TextEncoder().encode('['));
  writePositions(json, [position, { ...position, flags: [], isBuffered: false }]);
  json.text(']');
  const parsed = JSON.parse(new TextDecoder().decode(json.bytes())) as { flags: string[] }[];
  assert.deepEqual(
    parsed.map((p) => p.flags),
    [['clockSkew'], []],
  );
  assert.equal(json.length, json.bytes().length);
});

test('a long page is kept in chunks, bytes copied in across them', () => {
  const json = new PositionJsonBuffer(16);
  const positions = Array.from({ length: 700 }, () => position);
  writePositions(json, positions);
  const piece = new Uint8Array(150_000).fill(0x20);
  json.raw(piece);
  json.comma();
  const one = positionsJson(positions);
  assert.ok(json.chunks().length > 3);
  assert.ok(json.chunks().every((chunk) => chunk.length <= Math.max(65_536, 512)));
  assert.equal(json.length, one.length + piece.length + 1);
  const text = new TextDecoder().decode(json.bytes());
  assert.equal(text, `${new TextDecoder().decode(one)}${' '.repeat(150_000)},`);
});
