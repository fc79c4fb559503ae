import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DataKeyUnavailableError,
  SealedDataError,
  type WatchId,
  type WrappedDataKey,
  type WrappedKeyStore,
} from '@kinwatch/core';
import { SEAL_OVERHEAD_BYTES } from './aes-gcm.ts';
import { KeyringCipher } from './keyring-cipher.ts';
import type { MasterKey } from './master-key.ts';

class MemoryKeyStore implements WrappedKeyStore {
  readonly keys = new Map<WatchId, WrappedDataKey>();
  finds = 0;

  find(watchId: WatchId): Promise<WrappedDataKey | undefined> {
    this.finds += 1;
    return Promise.resolve(this.keys.get(watchId));
  }

  insertIfAbsent(watchId: WatchId, key: WrappedDataKey): Promise<WrappedDataKey> {
    const stored = this.keys.get(watchId) ?? key;
    this.keys.set(watchId, stored);
    return Promise.resolve(stored);
  }

  delete(watchId: WatchId): Promise<boolean> {
    return Promise.resolve(this.keys.delete(watchId));
  }
}

function masterKey(fill: number, id = `master${fill}`): MasterKey {
  return { bytes: Buffer.alloc(32, fill), id, origin: 'test', isNew: false };
}

const text = (value: string) => new TextEncoder().encode(value);
const read = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function setup(options: { cachedKeys?: number; cacheTtlMs?: number; now?: () => number } = {}) {
  const store = new MemoryKeyStore();
  const cipher = new KeyringCipher({ masterKey: masterKey(1), store, ...options });
  return { store, cipher };
}

describe('KeyringCipher', () => {
  test('round trip, in the versioned format, with a fresh nonce each time', async () => {
    const { cipher } = setup();
    const plaintext = text('52.520008,13.404954');
    const first = await cipher.seal('watch-a', plaintext);
    const second = await cipher.seal('watch-a', plaintext);
    assert.equal(first.length, plaintext.length + SEAL_OVERHEAD_BYTES);
    assert.equal(first[0], 1, 'version byte');
    assert.notDeepEqual(first, second);
    assert.ok(!Buffer.from(first).includes(Buffer.from(plaintext)));
    assert.equal(read(await cipher.open('watch-a', first)), '52.520008,13.404954');
    assert.equal(read(await cipher.open('watch-a', second)), '52.520008,13.404954');
    const empty = await cipher.seal('watch-a', new Uint8Array());
    assert.equal((await cipher.open('watch-a', empty)).length, 0);
  });

  test('one data key per watch, created on first seal and stored wrapped', async () => {
    const { cipher, store } = setup();
    await cipher.seal('watch-a', text('x'));
    await cipher.seal('watch-b', text('x'));
    const a = store.keys.get('watch-a');
    const b = store.keys.get('watch-b');
    assert.ok(a !== undefined && b !== undefined);
    assert.equal(a.masterKeyId, 'master1');
    assert.equal(a.wrappedKey.length, 32 + SEAL_OVERHEAD_BYTES);
    assert.notDeepEqual(a.wrappedKey, b.wrappedKey);
    await assert.rejects(
      cipher.open('watch-c', await cipher.seal('watch-a', text('x'))),
      DataKeyUnavailableError,
    );
    assert.equal(store.keys.has('watch-c'), false, 'open never creates a key');
  });

  test('any altered byte is detected', async () => {
    const { cipher } = setup();
    const sealed = await cipher.seal('watch-a', text('-33.856784,151.215297'));
    for (let index = 1; index < sealed.length; index += 1) {
      const tampered = Uint8Array.from(sealed);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      await assert.rejects(cipher.open('watch-a', tampered), SealedDataError, `byte ${index}`);
    }
    await assert.rejects(
      cipher.open('watch-a', sealed.subarray(0, sealed.length - 1)),
      SealedDataError,
    );
    await assert.rejects(cipher.open('watch-a', sealed.subarray(0, 20)), /too short/);
    const otherVersion = Uint8Array.from(sealed);
    otherVersion[0] = 2;
    await assert.rejects(cipher.open('watch-a', otherVersion), /unknown format version 2/);
  });

  test('a blob moved to another watch does not open, even under the same data key', async () => {
    const { cipher, store } = setup();
    const sealed = await cipher.seal('watch-a', text('secret'));
    await cipher.seal('watch-b', text('other'));
    await assert.rejects(cipher.open('watch-b', sealed), SealedDataError);

    // Copying watch-a's wrapped key onto watch-b does not give watch-b that key: the wrap is
    // bound to the watch id too.
    const wrappedA = store.keys.get('watch-a');
    assert.ok(wrappedA !== undefined);
    store.keys.set('watch-b', wrappedA);
    const fresh = new KeyringCipher({ masterKey: masterKey(1), store });
    await assert.rejects(fresh.open('watch-b', sealed), /does not unwrap/);
  });

  test('destroyKey makes everything sealed before unreadable, here and in a new process', async () => {
    const { cipher, store } = setup();
    const old = await cipher.seal('watch-a', text('history'));
    const other = await cipher.seal('watch-b', text('kept'));
    await cipher.destroyKey('watch-a');
    await assert.rejects(cipher.open('watch-a', old), (error: Error) => {
      assert.ok(error instanceof DataKeyUnavailableError);
      assert.match(error.message, /destroyed/);
      return true;
    });
    const restarted = new KeyringCipher({ masterKey: masterKey(1), store });
    await assert.rejects(restarted.open('watch-a', old), DataKeyUnavailableError);
    assert.equal(read(await restarted.open('watch-b', other)), 'kept');

    // A later seal makes a new key; the old data stays unreadable.
    const fresh = await cipher.seal('watch-a', text('new'));
    assert.equal(read(await cipher.open('watch-a', fresh)), 'new');
    await assert.rejects(cipher.open('watch-a', old), SealedDataError);
  });

  test('openMany opens values of one watch in order, one key lookup, failing as open does', async () => {
    const { cipher, store } = setup();
    const values = ['52.52,13.40', '', '48.85,2.29'];
    const sealed = await Promise.all(values.map((value) => cipher.seal('watch-a', text(value))));
    const restarted = new KeyringCipher({ masterKey: masterKey(1), store });
    store.finds = 0;
    assert.deepEqual((await restarted.openMany('watch-a', sealed)).map(read), values);
    assert.deepEqual((await restarted.openMany('watch-a', sealed)).map(read), values);
    assert.equal(store.finds, 1, 'one lookup, then the cached key');
    assert.deepEqual(await restarted.openMany('watch-a', []), []);

    const tampered = Uint8Array.from(sealed[2] ?? assert.fail());
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    await assert.rejects(restarted.openMany('watch-a', [...sealed, tampered]), SealedDataError);
    const ofWatchB = await cipher.seal('watch-b', text('b'));
    await assert.rejects(restarted.openMany('watch-a', [ofWatchB]), SealedDataError);
    await assert.rejects(restarted.openMany('watch-b', sealed), SealedDataError);

    await cipher.destroyKey('watch-a');
    await assert.rejects(cipher.openMany('watch-a', sealed), DataKeyUnavailableError);
    const another = new KeyringCipher({ masterKey: masterKey(1), store });
    await assert.rejects(another.openMany('watch-a', sealed), DataKeyUnavailableError);
  });

  test('a key read while it is being destroyed is not cached afterwards', async () => {
    const store = new MemoryKeyStore();
    const cipher = new KeyringCipher({ masterKey: masterKey(1), store });
    const sealed = await new KeyringCipher({ masterKey: masterKey(1), store }).seal('w', text('x'));
    const opening = cipher.open('w', sealed);
    await cipher.destroyKey('w');
    assert.equal(read(await opening), 'x', 'the open that began before still completes');
    await assert.rejects(cipher.open('w', sealed), DataKeyUnavailableError);
  });

  test('refuses to use keys wrapped by another master key, saying so', async () => {
    const { cipher, store } = setup();
    const sealed = await cipher.seal('watch-a', text('x'));
    const wrongMaster = new KeyringCipher({ masterKey: masterKey(2), store });
    await assert.rejects(
      wrongMaster.open('watch-a', sealed),
      /wrapped by master key master1.*is master2/,
    );
    const sameIdWrongBytes = new KeyringCipher({ masterKey: masterKey(2, 'master1'), store });
    await assert.rejects(sameIdWrongBytes.open('watch-a', sealed), /does not unwrap/);
  });

  test('concurrent first seals of a watch agree on one key', async () => {
    const { cipher, store } = setup();
    const sealed = await Promise.all([1, 2, 3].map((n) => cipher.seal('watch-a', text(String(n)))));
    const restarted = new KeyringCipher({ masterKey: masterKey(1), store });
    for (const [index, blob] of sealed.entries()) {
      assert.equal(read(await restarted.open('watch-a', blob)), String(index + 1));
    }
  });

  test('caches unwrapped keys, bounded in number and in age', async () => {
    let now = 0;
    const { cipher, store } = setup({ cachedKeys: 2, cacheTtlMs: 1000, now: () => now });
    const a = await cipher.seal('a', text('a'));
    const b = await cipher.seal('b', text('b'));
    store.finds = 0;
    await cipher.open('a', a);
    await cipher.open('b', b);
    assert.equal(store.finds, 0, 'both cached');
    await cipher.seal('c', text('c'));
    store.finds = 0;
    await cipher.open('b', b);
    assert.equal(store.finds, 0, 'b was used more recently than a');
    await cipher.open('a', a);
    assert.equal(store.finds, 1, 'a was evicted');
    now = 1001;
    store.finds = 0;
    await cipher.open('a', a);
    assert.equal(store.finds, 1, 'expired');
  });
});
