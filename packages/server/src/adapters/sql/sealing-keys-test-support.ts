// A key source for the tests of sealing on the writer threads.
import assert from 'node:assert/strict';
import { createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import type { SealedColumn } from './writer-channel.ts';
import type { SealingKey, SealingKeySource } from './writer-keys.ts';

/**
 * Data keys in memory, in the keyring's shape (the additional data is the format version byte
 * and the watch id), that a test replaces, drops and destroys at will.
 */
export class ManualKeys implements SealingKeySource {
  readonly current = new Map<string, SealingKey>();
  readonly #listeners = new Set<(watchId: string) => void>();

  sealingKey(watchId: string): SealingKey {
    let key = this.current.get(watchId);
    if (key === undefined) {
      const aad = Buffer.concat([Buffer.of(1), Buffer.from(watchId, 'utf8')]);
      key = { key: createSecretKey(randomBytes(32)), aad };
      this.current.set(watchId, key);
    }
    return key;
  }

  isCurrent(watchId: string, key: SealingKey): boolean {
    return this.current.get(watchId) === key;
  }

  onDestroy(listener: (watchId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Forgets the watch's key and tells the listeners, as the keyring's `destroyKey` does. */
  destroy(watchId: string): void {
    this.current.delete(watchId);
    for (const listener of this.#listeners) listener(watchId);
  }

  /** Listeners following this source. */
  get listeners(): number {
    return this.#listeners.size;
  }
}

/** Opens a value in the keyring's format: version 1, nonce, ciphertext, tag. */
export function openValue(key: SealingKey, sealed: Buffer): Buffer {
  assert.equal(sealed[0], 1, 'format version 1');
  const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(1, 13));
  decipher.setAAD(key.aad).setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([
    decipher.update(sealed.subarray(13, sealed.length - 16)),
    decipher.final(),
  ]);
}

/** Where a test's rows hold the watch and the sealed value, and the plaintext's size. */
export interface SealedLayout {
  readonly valueBytes: number;
  readonly paramsPerRow: number;
  readonly watchParam: number;
  readonly sealedParam: number;
}

/**
 * The sealed column of a batch of the watches' rows, with their keys from `keys` (none when
 * `withKeys` is false, for a thread that should already hold them).
 */
export function sealedColumn(
  keys: ManualKeys,
  layout: SealedLayout,
  watchIds: readonly string[],
  plaintext: Buffer,
  withKeys = true,
): SealedColumn {
  const rowKeys = new Map<string, SealingKey>();
  if (withKeys) for (const watchId of watchIds) rowKeys.set(watchId, keys.sealingKey(watchId));
  return { source: keys, keys: rowKeys, plaintext, ...layout };
}
