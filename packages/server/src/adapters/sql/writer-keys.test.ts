import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualKeys } from './sealing-keys-test-support.ts';
import { WriterKeys, type SealingKey } from './writer-keys.ts';

function keysOf(source: ManualKeys, ...watchIds: string[]): Map<string, SealingKey> {
  return new Map(watchIds.map((watchId) => [watchId, source.sealingKey(watchId)]));
}

describe('the data keys the SQLite writer thread holds', () => {
  test('a key is sent with the first batch that needs it, and again once reloaded', () => {
    const source = new ManualKeys();
    const keys = new WriterKeys(() => assert.fail('nothing is forgotten here'));
    const first = keys.toSend(keysOf(source, 'w1', 'w2'), source);
    assert.deepEqual(
      first.map((sent) => sent.watchId),
      ['w1', 'w2'],
    );
    assert.equal(first[0]?.key, source.current.get('w1')?.key);
    assert.deepEqual(keys.toSend(keysOf(source, 'w1', 'w2', 'w3'), source), [
      {
        watchId: 'w3',
        key: source.current.get('w3')?.key,
        aad: source.current.get('w3')?.aad,
      },
    ]);
    // The cipher loaded w1 anew (its cache expired): the thread's copy is replaced.
    source.current.delete('w1');
    assert.deepEqual(
      keys.toSend(keysOf(source, 'w1', 'w2'), source).map((sent) => sent.watchId),
      ['w1'],
    );
    assert.equal(keys.size, 3);
  });

  test('a destroyed key is forgotten at once, and sent again if the watch gets a new one', () => {
    const source = new ManualKeys();
    const forgotten: string[][] = [];
    const keys = new WriterKeys((watchIds) => forgotten.push(watchIds));
    keys.toSend(keysOf(source, 'w1', 'w2'), source);
    source.destroy('w1');
    assert.deepEqual(forgotten, [['w1']]);
    assert.equal(keys.size, 1);
    // A watch the thread holds no key of: nothing to tell it.
    source.destroy('w9');
    assert.deepEqual(forgotten, [['w1']]);
    assert.deepEqual(
      keys.toSend(keysOf(source, 'w1'), source).map((sent) => sent.watchId),
      ['w1'],
    );
  });

  test('a sweep forgets the keys their source no longer holds, and only those', () => {
    const source = new ManualKeys();
    const forgotten: string[][] = [];
    const keys = new WriterKeys((watchIds) => forgotten.push(watchIds));
    keys.toSend(keysOf(source, 'w1', 'w2', 'w3'), source);
    keys.sweep();
    assert.deepEqual(forgotten, [], 'all current: nothing to forget');
    // Evicted from the cipher's cache, and reloaded (a different object) since.
    source.current.delete('w1');
    source.current.delete('w3');
    source.sealingKey('w3');
    keys.sweep();
    assert.deepEqual(forgotten, [['w1', 'w3']]);
    assert.equal(keys.size, 1);
  });

  test('each source is followed once; a key destroyed by another source stays', () => {
    const a = new ManualKeys();
    const b = new ManualKeys();
    const forgotten: string[][] = [];
    const keys = new WriterKeys((watchIds) => forgotten.push(watchIds));
    keys.toSend(keysOf(a, 'w1'), a);
    keys.toSend(keysOf(a, 'w2'), a);
    keys.toSend(keysOf(b, 'w3'), b);
    assert.equal(a.listeners, 1);
    assert.equal(b.listeners, 1);
    b.destroy('w1');
    assert.deepEqual(forgotten, [], 'w1 came from the other source');
    keys.dispose();
    assert.equal(a.listeners + b.listeners, 0);
    assert.equal(keys.size, 0);
  });

  test('a new thread holds nothing: every key is sent again', () => {
    const source = new ManualKeys();
    const keys = new WriterKeys(() => undefined);
    keys.toSend(keysOf(source, 'w1'), source);
    keys.clear();
    assert.equal(keys.toSend(keysOf(source, 'w1'), source).length, 1);
  });
});
