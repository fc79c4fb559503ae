import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from 'node:crypto';

/**
 * The sealed format, version 1: one version byte, a 12-byte random nonce, the AES-256-GCM
 * ciphertext (as long as the plaintext), the 16-byte tag. The version byte and the caller's
 * context (the watch id) are authenticated as additional data.
 */
export const FORMAT_VERSION = 1;
export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const GCM_OPTIONS = { authTagLength: TAG_BYTES } as const;
/** Bytes a sealed value has beyond its plaintext. */
export const SEAL_OVERHEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

export class GcmOpenError extends Error {
  override readonly name = 'GcmOpenError';
}

export type GcmKey = KeyObject | Uint8Array;

/**
 * The additional data of values sealed for `context`: build it once for a context used often
 * (a watch's data key) and pass it to `gcmSealPrepared` / `gcmOpenPrepared`.
 */
export function additionalData(context: string): Buffer {
  const contextBytes = Buffer.byteLength(context, 'utf8');
  const data = Buffer.allocUnsafeSlow(1 + contextBytes);
  data[0] = FORMAT_VERSION;
  data.write(context, 1, contextBytes, 'utf8');
  return data;
}

export function gcmSeal(key: GcmKey, context: string, plaintext: Uint8Array): Buffer {
  return gcmSealPrepared(key, additionalData(context), plaintext);
}

/** `gcmSeal` with the additional data of `additionalData(context)`. */
export function gcmSealPrepared(key: GcmKey, aad: Buffer, plaintext: Uint8Array): Buffer {
  const sealed = Buffer.allocUnsafe(SEAL_OVERHEAD_BYTES + plaintext.length);
  sealed[0] = FORMAT_VERSION;
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  nextNonce(nonce);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, GCM_OPTIONS);
  cipher.setAAD(aad);
  let offset = 1 + NONCE_BYTES;
  offset += cipher.update(plaintext).copy(sealed, offset);
  offset += cipher.final().copy(sealed, offset);
  cipher.getAuthTag().copy(sealed, offset);
  return sealed;
}

/** Throws GcmOpenError, saying why, when the bytes are not intact version-1 data for `context`. */
export function gcmOpen(key: GcmKey, context: string, sealed: Uint8Array): Buffer {
  return gcmOpenPrepared(key, additionalData(context), sealed);
}

/** `gcmOpen` with the additional data of `additionalData(context)`. */
export function gcmOpenPrepared(key: GcmKey, aad: Buffer, sealed: Uint8Array): Buffer {
  if (sealed.length < SEAL_OVERHEAD_BYTES) {
    throw new GcmOpenError(`too short (${sealed.length} bytes)`);
  }
  const version = sealed[0];
  if (version !== FORMAT_VERSION) throw new GcmOpenError(`unknown format version ${version}`);
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, GCM_OPTIONS);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const plaintext = decipher.update(body);
  try {
    // GCM is a stream mode: `final` only checks the tag, and returns no bytes.
    decipher.final();
  } catch {
    plaintext.fill(0);
    throw new GcmOpenError('authentication failed (altered, or sealed for another watch or key)');
  }
  return plaintext;
}

// Random nonces drawn from a pool filled in bulk: one randomBytes(12) per value sealed costs
// about as much as the encryption itself. Each nonce is copied out before the pool refills.
const nonceStock = Buffer.alloc(NONCE_BYTES * 1024);
let nonceOffset = nonceStock.length;

function nextNonce(target: Buffer): void {
  if (nonceOffset === nonceStock.length) {
    randomFillSync(nonceStock);
    nonceOffset = 0;
  }
  nonceStock.copy(target, 0, nonceOffset, nonceOffset + NONCE_BYTES);
  nonceStock.fill(0, nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
}
