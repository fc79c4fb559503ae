import type { WatchId } from '../watches/watch.model.ts';
import type { WrappedDataKey } from './cipher.model.ts';

/**
 * Encrypts sensitive fields at rest under a data key per watch. Sealed bytes open only for the
 * watch they were sealed for.
 */
export interface FieldCipher {
  /** Encrypts; makes the watch's data key on first use. */
  seal(watchId: WatchId, plaintext: Uint8Array): Promise<Uint8Array>;
  /**
   * Decrypts. Throws DataKeyUnavailableError when the watch's key was destroyed, and
   * SealedDataError when the bytes were altered or belong to another watch.
   */
  open(watchId: WatchId, sealed: Uint8Array): Promise<Uint8Array>;
  /**
   * `open` for several values of one watch, in the same order; throws as `open` does for the
   * first that does not open. For pages of history: one key lookup for all of them.
   */
  openMany(watchId: WatchId, sealed: readonly Uint8Array[]): Promise<Uint8Array[]>;
  /**
   * Forgets the watch's data key for good: everything sealed under it becomes unreadable
   * (crypto-erasure). A later `seal` for the same watch makes a new key.
   */
  destroyKey(watchId: WatchId): Promise<void>;
}

/** Where wrapped data keys are kept, one per watch. */
export interface WrappedKeyStore {
  find(watchId: WatchId): Promise<WrappedDataKey | undefined>;
  /**
   * Stores `key` unless the watch already has one, and returns the one stored: when two
   * processes make a key for a new watch at once, both end up using the same.
   */
  insertIfAbsent(watchId: WatchId, key: WrappedDataKey): Promise<WrappedDataKey>;
  /** False when there was none. */
  delete(watchId: WatchId): Promise<boolean>;
}
