import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { base64UrlToBytes } from './push-key.ts';

describe('base64UrlToBytes', () => {
  test('decodes the URL-safe alphabet without padding', () => {
    assert.deepEqual([...base64UrlToBytes('-_8')], [0xfb, 0xff]);
    assert.deepEqual([...base64UrlToBytes('AQID')], [1, 2, 3]);
  });

  test('a VAPID key is 65 bytes starting with 0x04 (uncompressed P-256 point)', () => {
    const key = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url');
    const bytes = base64UrlToBytes(key);
    assert.equal(bytes.length, 65);
    assert.equal(bytes[0], 4);
  });

  test('refuses standard base64 and other text', () => {
    assert.throws(() => base64UrlToBytes('ab+/'));
    assert.throws(() => base64UrlToBytes('not a key'));
  });
});
