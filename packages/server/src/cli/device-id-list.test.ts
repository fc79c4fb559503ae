import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDeviceIdArguments, parseDeviceIdFile } from './device-id-list.ts';

test('a provisioning file: ids, blank lines and comments, CRLF or LF', () => {
  const text = '# batch 7\r\n8800000015\r\n\r\n  8800000016  # class 3B\n#8800000099\n8800000017';
  assert.deepEqual(parseDeviceIdFile(text), {
    ids: ['8800000015', '8800000016', '8800000017'],
    invalid: [],
  });
});

test('every bad line is reported with its number', () => {
  const text = '8800000015\n88000-00016\n\n1234\n8800000017 8800000018\n';
  assert.deepEqual(parseDeviceIdFile(text).invalid, [
    { where: 'line 2', text: '88000-00016' },
    { where: 'line 4', text: '1234' },
    { where: 'line 5', text: '8800000017 8800000018' },
  ]);
});

test('command-line ids are checked the same way', () => {
  assert.deepEqual(parseDeviceIdArguments(['8800000015', 'abc12345']), {
    ids: ['8800000015'],
    invalid: [{ where: 'argument 2', text: 'abc12345' }],
  });
});
