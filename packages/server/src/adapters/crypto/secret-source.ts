import { createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { SecretSource } from '@kinwatch/core';

/**
 * Randomness from the operating system's CSPRNG, and HMAC-SHA-256 under a key derived from
 * the master key (HKDF, its own label), for codes and tokens as stored.
 */
export class NodeSecretSource implements SecretSource {
  readonly #hmacKey: Buffer;

  constructor(masterKey: Uint8Array) {
    this.#hmacKey = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.alloc(0), 'kinwatch secrets hmac v1', 32),
    );
  }

  digits(length: number): string {
    let text = '';
    // randomInt draws without modulo bias.
    for (let i = 0; i < length; i++) text += String(randomInt(10));
    return text;
  }

  token(): string {
    return randomBytes(32).toString('base64url');
  }

  id(): string {
    return randomBytes(16).toString('base64url');
  }

  hash(secret: string): string {
    return createHmac('sha256', this.#hmacKey).update(secret, 'utf8').digest('base64url');
  }

  isSameHash(a: string, b: string): boolean {
    const left = Buffer.from(a, 'utf8');
    const right = Buffer.from(b, 'utf8');
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
