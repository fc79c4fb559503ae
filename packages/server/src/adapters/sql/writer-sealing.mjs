// Sealing on a writer thread (sqlite-writer.worker.mjs, postgres-writer.worker.mjs). Position
// batches arrive with their plaintext, and each row's value is sealed on the thread rather than
// on the main thread, under its watch's data key, in the format of aes-gcm.ts (version 1): a
// version byte, a 12-byte random nonce, the AES-256-GCM ciphertext, the 16-byte tag; the
// version byte and the watch id are the additional data (the `aad` sent with the key).
// The test sqlite-writer-sealing.slow.test.ts opens what this seals with aes-gcm.ts.
// Plain JavaScript: a worker thread does not inherit the TypeScript loader of the server.
//
//   seal: { keys: [{ watchId, key: KeyObject, aad }], plaintext: Uint8Array, valueBytes,
//           paramsPerRow, watchParam, sealedParam }
//
// `keys` are the ones the thread did not hold yet; the main thread keeps track of which it
// holds (writer-keys.ts) and sends `forgetKeys` when one must go.
import { Buffer } from 'node:buffer';
import { createCipheriv, randomFillSync } from 'node:crypto';

const SEAL_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const GCM_OPTIONS = { authTagLength: TAG_BYTES };

/** Data keys by watch id: { key, aad }. */
const sealingKeys = new Map();

// Nonces are drawn from a pool filled in bulk, each wiped from the pool once taken.
const nonceStock = Buffer.alloc(NONCE_BYTES * 1024);
let nonceOffset = nonceStock.length;

function sealValue({ key, aad }, plaintext) {
  const sealed = Buffer.allocUnsafe(1 + NONCE_BYTES + plaintext.length + TAG_BYTES);
  sealed[0] = SEAL_VERSION;
  if (nonceOffset === nonceStock.length) {
    randomFillSync(nonceStock);
    nonceOffset = 0;
  }
  nonceStock.copy(sealed, 1, nonceOffset, nonceOffset + NONCE_BYTES);
  nonceStock.fill(0, nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  const cipher = createCipheriv(
    'aes-256-gcm',
    key,
    sealed.subarray(1, 1 + NONCE_BYTES),
    GCM_OPTIONS,
  );
  cipher.setAAD(aad);
  let offset = 1 + NONCE_BYTES;
  offset += cipher.update(plaintext).copy(sealed, offset);
  offset += cipher.final().copy(sealed, offset);
  cipher.getAuthTag().copy(sealed, offset);
  return sealed;
}

/**
 * Puts each row's sealed value in its place in `rows` (each `{ params }`, rows of
 * `paramsPerRow` parameters one after the other); the plaintext is wiped whatever happens.
 */
export function sealRows(rows, seal) {
  for (const { watchId, key, aad } of seal.keys) {
    sealingKeys.set(watchId, { key, aad: Buffer.from(aad.buffer, aad.byteOffset, aad.byteLength) });
  }
  const { valueBytes, paramsPerRow, watchParam, sealedParam } = seal;
  const plaintext = Buffer.from(
    seal.plaintext.buffer,
    seal.plaintext.byteOffset,
    seal.plaintext.byteLength,
  );
  try {
    let row = 0;
    for (const { params } of rows) {
      for (let at = 0; at < params.length; at += paramsPerRow, row++) {
        const watchId = params[at + watchParam];
        const key = sealingKeys.get(watchId);
        if (key === undefined)
          throw new Error(`the writer thread holds no data key for watch ${watchId}`);
        const start = row * valueBytes;
        if (start + valueBytes > plaintext.length)
          throw new Error('fewer plaintext values than rows');
        params[at + sealedParam] = sealValue(key, plaintext.subarray(start, start + valueBytes));
      }
    }
    if (row * valueBytes !== plaintext.length) throw new Error('more plaintext values than rows');
  } finally {
    plaintext.fill(0);
  }
}

/** Drops the data keys of these watches. */
export function forgetKeys(watchIds) {
  for (const watchId of watchIds) sealingKeys.delete(watchId);
}

/** Drops every data key, when the thread closes. */
export function forgetAllKeys() {
  sealingKeys.clear();
}

/** An error as it crosses back to the main thread. */
export function describe(error) {
  return {
    name: error?.name ?? 'Error',
    message: error?.message ?? String(error),
    code: error?.code,
  };
}
