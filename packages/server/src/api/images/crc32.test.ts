import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from './crc32.ts';

test('crc32 gives the standard check value and the CRC of an empty IEND chunk', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  // Every PNG ends with 00 00 00 00 'IEND' AE 42 60 82.
  assert.equal(crc32(new TextEncoder().encode('IEND')), 0xae426082);
  assert.equal(crc32(new Uint8Array(0)), 0);
});
