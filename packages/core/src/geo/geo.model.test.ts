import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellKeyText, normalizeMac } from './geo.model.ts';

test('MACs are normalised to lower-case padded octets', () => {
  assert.equal(normalizeMac('1C:FA:68:D:F:6A'), '1c:fa:68:0d:0f:6a');
  assert.equal(normalizeMac('1c-fa-68-0d-0f-6a'), '1c:fa:68:0d:0f:6a');
  assert.equal(normalizeMac(' aa:bb:cc:dd:ee:ff '), 'aa:bb:cc:dd:ee:ff');
});

test('anything else is not a MAC', () => {
  for (const raw of [
    '',
    'aa:bb:cc:dd:ee',
    'aa:bb:cc:dd:ee:ff:00',
    'gg:bb:cc:dd:ee:ff',
    'aaa:bb:cc:dd:ee:ff',
    'aa::cc:dd:ee:ff',
  ]) {
    assert.equal(normalizeMac(raw), undefined, raw);
  }
});

test('a cell key has one text form', () => {
  assert.equal(cellKeyText({ mcc: 262, mnc: 2, lac: 801, cid: 1234567 }), '262-2-801-1234567');
});
