import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import {
  DataKeyUnavailableError,
  SealedDataError,
  type FieldCipher,
  type WatchId,
  type WrappedDataKey,
  type WrappedKeyStore,
} from '@kinwatch/core';
import {
  GcmOpenError,
  KEY_BYTES,
  additionalData,
  gcmOpen,
  gcmOpenPrepared,
  gcmSeal,
  gcmSealPrepared,
} from './aes-gcm.ts';
import type { MasterKey } from './master-key.ts';

export interface KeyringCipherOptions {
  readonly masterKey: MasterKey;
  readonly store: WrappedKeyStore;
  /** Unwrapped data keys kept in memory, least recently used dropped first. Default 10,000. */
  readonly cachedKeys?: number;
  /**
   * How long an unwrapped key may be used from memory before it is read again. Bounds how long
   * another process keeps using a key destroyed elsewhere. Default 5 minutes.
   */
  readonly cacheTtlMs?: number;
  /** Milliseconds since some fixed point; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A watch's data key as this process holds it in memory. Each load of a key is a new object, so
 * a holder of one (`sealingKey`) tells by identity whether its copy is still current.
 */
interface CachedKey {
  readonly key: KeyObject;
  /** The additional data binding values to the watch, built once per key load. */
  readonly aad: Buffer;
  readonly loadedAt: number;
}

/**
 * AES-256-GCM under a random 256-bit data key per watch. Data keys are stored wrapped by the
 * master key (AES-256-GCM, the watch id authenticated, so a wrapped key copied to another
 * watch does not unwrap); destroying one makes everything sealed under it unreadable.
 */
export class KeyringCipher implements FieldCipher {
  readonly #masterKey: MasterKey;
  readonly #store: WrappedKeyStore;
  readonly #capacity: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** In least-recently-used order: Map iterates in insertion order. */
  readonly #cache = new Map<WatchId, CachedKey>();
  /** Bumped by every destroyKey, so a key read before it is not cached after it. */
  #destroyCount = 0;
  readonly #destroyListeners = new Set<(watchId: WatchId) => void>();

  constructor(options: KeyringCipherOptions) {
    if (options.masterKey.bytes.length !== KEY_BYTES) {
      throw new RangeError(`the master key must be ${KEY_BYTES} bytes`);
    }
    this.#masterKey = options.masterKey;
    this.#store = options.store;
    this.#capacity = options.cachedKeys ?? 10_000;
    this.#ttlMs = options.cacheTtlMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Positions are sealed by the thousand per second: with the watch's key in memory this seals
   * at once, without the await of a key lookup.
   */
  seal(watchId: WatchId, plaintext: Uint8Array): Promise<Uint8Array> {
    const cached = this.#cached(watchId);
    if (cached === undefined) return this.#sealLoadingKey(watchId, plaintext);
    try {
      return Promise.resolve(gcmSealPrepared(cached.key, cached.aad, plaintext));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * The watch's data key, made on first use as by `seal`, for a holder that seals on its own in
   * the format of `gcmSealPrepared` (the SQLite writer thread seals position batches). A
   * holder keeps it only while `isCurrent` says so, and drops it when `onDestroy` tells it to:
   * a key this process forgot must not live on elsewhere. Without an await when the key is in
   * memory.
   */
  sealingKey(watchId: WatchId): CachedKey | Promise<CachedKey> {
    return this.#cached(watchId) ?? this.#loadSealingKey(watchId);
  }

  /** Whether `key` is still this process's key of the watch (not expired, evicted or destroyed). */
  isCurrent(watchId: WatchId, key: object): boolean {
    const entry = this.#cache.get(watchId);
    return entry === key && this.#now() - entry.loadedAt <= this.#ttlMs;
  }

  /** `listener` is called with the watch of every key this cipher destroys, at once. */
  onDestroy(listener: (watchId: WatchId) => void): () => void {
    this.#destroyListeners.add(listener);
    return () => this.#destroyListeners.delete(listener);
  }

  async open(watchId: WatchId, sealed: Uint8Array): Promise<Uint8Array> {
    const key = this.#cached(watchId) ?? (await this.#dataKey(watchId, false));
    if (key === undefined) throw new DataKeyUnavailableError(watchId);
    return openOne(watchId, key, sealed);
  }

  /**
   * A page of history is opened in one call: one key lookup, then every value in turn without a
   * promise or an await per value (which cost as much as the decryption itself).
   */
  openMany(watchId: WatchId, sealed: readonly Uint8Array[]): Promise<Uint8Array[]> {
    if (sealed.length === 0) return Promise.resolve([]);
    const cached = this.#cached(watchId);
    if (cached === undefined) return this.#openManyLoadingKey(watchId, sealed);
    try {
      return Promise.resolve(openEach(watchId, cached, sealed));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async destroyKey(watchId: WatchId): Promise<void> {
    this.#destroyCount += 1;
    this.#cache.delete(watchId);
    for (const listener of this.#destroyListeners) listener(watchId);
    await this.#store.delete(watchId);
    this.#cache.delete(watchId);
  }

  async #loadSealingKey(watchId: WatchId): Promise<CachedKey> {
    const key = await this.#dataKey(watchId, true);
    if (key === undefined) throw new DataKeyUnavailableError(watchId);
    return key;
  }

  async #openManyLoadingKey(
    watchId: WatchId,
    sealed: readonly Uint8Array[],
  ): Promise<Uint8Array[]> {
    const key = await this.#dataKey(watchId, false);
    if (key === undefined) throw new DataKeyUnavailableError(watchId);
    return openEach(watchId, key, sealed);
  }

  async #sealLoadingKey(watchId: WatchId, plaintext: Uint8Array): Promise<Uint8Array> {
    const key = await this.#dataKey(watchId, true);
    if (key === undefined) throw new DataKeyUnavailableError(watchId);
    return gcmSealPrepared(key.key, key.aad, plaintext);
  }

  /** The watch's data key from the store, made when `create` and there is none. */
  async #dataKey(watchId: WatchId, create: boolean): Promise<CachedKey | undefined> {
    const destroyCountBefore = this.#destroyCount;
    let wrapped = await this.#store.find(watchId);
    if (wrapped === undefined && create) {
      wrapped = await this.#store.insertIfAbsent(watchId, this.#newWrappedKey(watchId));
    }
    if (wrapped === undefined) return undefined;
    const entry = {
      key: this.#unwrap(watchId, wrapped),
      aad: additionalData(watchId),
      loadedAt: this.#now(),
    };
    if (this.#destroyCount === destroyCountBefore) this.#remember(watchId, entry);
    return entry;
  }

  /** The cached entry, moved to the most recently used end; undefined when absent or stale. */
  #cached(watchId: WatchId): CachedKey | undefined {
    const entry = this.#cache.get(watchId);
    if (entry === undefined) return undefined;
    this.#cache.delete(watchId);
    if (this.#now() - entry.loadedAt > this.#ttlMs) return undefined;
    this.#cache.set(watchId, entry);
    return entry;
  }

  #remember(watchId: WatchId, entry: CachedKey): void {
    this.#cache.delete(watchId);
    this.#cache.set(watchId, entry);
    while (this.#cache.size > this.#capacity) {
      const oldest = this.#cache.keys().next();
      if (oldest.done === true) break;
      this.#cache.delete(oldest.value);
    }
  }

  #newWrappedKey(watchId: WatchId): WrappedDataKey {
    const key = randomBytes(KEY_BYTES);
    const wrappedKey = gcmSeal(this.#masterKey.bytes, wrapContext(watchId), key);
    key.fill(0);
    return {
      wrappedKey,
      masterKeyId: this.#masterKey.id,
      createdAt: new Date(),
    };
  }

  #unwrap(watchId: WatchId, wrapped: WrappedDataKey): KeyObject {
    if (wrapped.masterKeyId !== this.#masterKey.id) {
      throw new Error(
        `the data key of watch ${watchId} was wrapped by master key ${wrapped.masterKeyId}, ` +
          `but the master key loaded (${this.#masterKey.origin}) is ${this.#masterKey.id}: ` +
          'start with the master key this database was created with',
      );
    }
    try {
      const bytes = gcmOpen(this.#masterKey.bytes, wrapContext(watchId), wrapped.wrappedKey);
      if (bytes.length !== KEY_BYTES) throw new GcmOpenError(`unwrapped ${bytes.length} bytes`);
      // A KeyObject holds its own copy, out of the JavaScript heap; this one is wiped.
      const key = createSecretKey(bytes);
      bytes.fill(0);
      return key;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`the stored data key of watch ${watchId} does not unwrap: ${reason}`, {
        cause: error,
      });
    }
  }
}

function openOne(watchId: WatchId, key: CachedKey, sealed: Uint8Array): Buffer {
  try {
    return gcmOpenPrepared(key.key, key.aad, sealed);
  } catch (error) {
    if (error instanceof GcmOpenError) throw new SealedDataError(watchId, error.message);
    throw error;
  }
}

function openEach(watchId: WatchId, key: CachedKey, sealed: readonly Uint8Array[]): Buffer[] {
  const opened = new Array<Buffer>(sealed.length);
  for (let index = 0; index < sealed.length; index++) {
    opened[index] = openOne(watchId, key, sealed[index] as Uint8Array);
  }
  return opened;
}

/** Separates wrapped keys from data sealed under a data key, and binds each to its watch. */
function wrapContext(watchId: WatchId): string {
  return `data-key:${watchId}`;
}
