import type { KeyObject } from 'node:crypto';

/**
 * A watch's data key as its cipher holds it in memory, and the additional data that binds what
 * is sealed to the watch. A new object each time the cipher loads the key, so identity tells
 * whether a copy is current.
 */
export interface SealingKey {
  readonly key: KeyObject;
  readonly aad: Uint8Array;
}

/**
 * Where the data keys the writer thread seals with come from: the keyring cipher, whose format
 * (aes-gcm.ts, version 1) the thread writes.
 */
export interface SealingKeySource {
  sealingKey(watchId: string): SealingKey | Promise<SealingKey>;
  /** Whether `key` is still the source's key of the watch. */
  isCurrent(watchId: string, key: SealingKey): boolean;
  /** Called with the watch of every key the source destroys; returns the unsubscribe. */
  onDestroy(listener: (watchId: string) => void): () => void;
}

/** A data key as the writer thread receives it (a KeyObject crosses threads as a copy). */
export interface KeyForThread {
  readonly watchId: string;
  readonly key: KeyObject;
  readonly aad: Uint8Array;
}

interface Held {
  readonly key: SealingKey;
  readonly source: SealingKeySource;
}

/**
 * The data keys a writer thread holds, kept in step with the ciphers they came from.
 * A key is sent to the thread with the first batch that needs it, and again after its source
 * loaded it anew; the thread drops it when told (`forget`), which is when its source destroys
 * it, or at the next sweep after the source stopped holding it (expired, evicted). So no key
 * outlives, on the writer thread, the cipher's own copy by more than a sweep's interval, and a
 * destroyed key not at all: the forget message follows every batch sent before it, on the same
 * ordered channel, and precedes every later one.
 */
export class WriterKeys {
  readonly #held = new Map<string, Held>();
  readonly #unsubscribes = new Map<SealingKeySource, () => void>();
  readonly #forget: (watchIds: string[]) => void;

  /** `forget` tells the thread to drop the keys of these watches. */
  constructor(forget: (watchIds: string[]) => void) {
    this.#forget = forget;
  }

  /** Keys the thread holds. */
  get size(): number {
    return this.#held.size;
  }

  /**
   * Of the keys a batch seals with, those the thread lacks or holds an older copy of; they are
   * counted as held from here on, so the caller must send them with the batch.
   */
  toSend(keys: ReadonlyMap<string, SealingKey>, source: SealingKeySource): KeyForThread[] {
    this.#follow(source);
    const missing: KeyForThread[] = [];
    for (const [watchId, key] of keys) {
      if (this.#held.get(watchId)?.key === key) continue;
      this.#held.set(watchId, { key, source });
      missing.push({ watchId, key: key.key, aad: key.aad });
    }
    return missing;
  }

  /** Forgets, and tells the thread to forget, the keys their sources no longer hold. */
  sweep(): void {
    const stale: string[] = [];
    for (const [watchId, { key, source }] of this.#held) {
      if (!source.isCurrent(watchId, key)) stale.push(watchId);
    }
    for (const watchId of stale) this.#held.delete(watchId);
    if (stale.length > 0) this.#forget(stale);
  }

  /** A new thread holds nothing. */
  clear(): void {
    this.#held.clear();
  }

  /** Stops following the sources' destroyed keys. */
  dispose(): void {
    for (const unsubscribe of this.#unsubscribes.values()) unsubscribe();
    this.#unsubscribes.clear();
    this.#held.clear();
  }

  #follow(source: SealingKeySource): void {
    if (this.#unsubscribes.has(source)) return;
    const unsubscribe = source.onDestroy((watchId) => {
      const held = this.#held.get(watchId);
      if (held?.source !== source) return;
      this.#held.delete(watchId);
      this.#forget([watchId]);
    });
    this.#unsubscribes.set(source, unsubscribe);
  }
}
