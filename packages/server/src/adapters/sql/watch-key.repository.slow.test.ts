import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeOnEachDatabase } from './sql-test-support.ts';
import { SqlWrappedKeyStore } from './watch-key.repository.ts';

const key = (byte: number, masterKeyId = 'a1b2c3d4e5f60718') => ({
  wrappedKey: new Uint8Array(61).fill(byte),
  masterKeyId,
  createdAt: new Date('2025-03-01T08:00:00.000Z'),
});

describeOnEachDatabase('WrappedKeyStore', (context) => {
  const store = () => new SqlWrappedKeyStore(context().db);

  test('stores a key once: the first stored wins', async () => {
    const keys = store();
    assert.equal(await keys.find('watch-a'), undefined);
    assert.deepEqual(await keys.insertIfAbsent('watch-a', key(1)), key(1));
    assert.deepEqual(await keys.insertIfAbsent('watch-a', key(2, 'ffffffffffffffff')), key(1));
    assert.deepEqual(await keys.find('watch-a'), key(1));
  });

  test('concurrent inserts for one watch all get the same key', async () => {
    const keys = store();
    const results = await Promise.all(
      [1, 2, 3, 4].map((byte) => keys.insertIfAbsent('w', key(byte))),
    );
    const first = results[0];
    assert.ok(first !== undefined);
    for (const result of results) assert.deepEqual(result, first);
  });

  test('delete removes only that watch key and reports whether there was one', async () => {
    const keys = store();
    await keys.insertIfAbsent('watch-a', key(1));
    await keys.insertIfAbsent('watch-b', key(2));
    assert.equal(await keys.delete('watch-a'), true);
    assert.equal(await keys.delete('watch-a'), false);
    assert.equal(await keys.find('watch-a'), undefined);
    assert.deepEqual(await keys.find('watch-b'), key(2));
  });
});
