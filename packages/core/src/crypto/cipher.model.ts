import type { WatchId } from '../watches/watch.model.ts';

/**
 * The watch has no data key: it was destroyed (the watch was deleted) or never made. Whatever
 * was sealed under it cannot be read any more.
 */
export class DataKeyUnavailableError extends Error {
  override readonly name = 'DataKeyUnavailableError';
  constructor(readonly watchId: WatchId) {
    super(
      `no data key for watch ${watchId}: it was destroyed, so its encrypted data is unreadable`,
    );
  }
}

/**
 * Sealed bytes did not open: altered, truncated, of an unknown format version, or sealed for
 * another watch.
 */
export class SealedDataError extends Error {
  override readonly name = 'SealedDataError';
  constructor(
    readonly watchId: WatchId,
    reason: string,
  ) {
    super(`sealed data of watch ${watchId} cannot be opened: ${reason}`);
  }
}

/** A data key wrapped (encrypted) by the master key, as kept in storage. */
export interface WrappedDataKey {
  readonly wrappedKey: Uint8Array;
  /** Fingerprint of the master key that wrapped it, so a wrong master key is named as such. */
  readonly masterKeyId: string;
  readonly createdAt: Date;
}
