import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeviceId } from './watch.model.ts';

test('a device id is 5 to 20 ASCII digits', () => {
  for (const valid of ['12345', '8800000015', '12345678901234567890', '0000000000']) {
    assert.equal(isDeviceId(valid), true, valid);
  }
  for (const invalid of [
    '1234',
    '123456789012345678901',
    '88000000l5',
    ' 8800000015',
    '8800000015\n',
    '',
    '٨٨٠٠٠٠٠٠١٥',
  ]) {
    assert.equal(isDeviceId(invalid), false, JSON.stringify(invalid));
  }
});
