import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, isSameJson } from './json-value.ts';

test('canonical JSON sorts object keys at every depth and keeps array order', () => {
  assert.equal(
    canonicalJson({ b: 1, a: [{ d: null, c: 'x' }, 2] }),
    '{"a":[{"c":"x","d":null},2],"b":1}',
  );
  assert.equal(canonicalJson('quote"d'), '"quote\\"d"');
  assert.equal(isSameJson({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
  assert.equal(isSameJson([1, 2], [2, 1]), false);
  assert.equal(isSameJson(1, '1'), false);
});
