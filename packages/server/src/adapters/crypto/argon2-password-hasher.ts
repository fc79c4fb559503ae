import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '@kinwatch/core';

/**
 * argon2id with the OWASP minimum (19 MiB, 2 passes, 1 lane): about 50 ms a hash on the
 * project's machine. `verify` reads the parameters from the stored PHC string, so they can
 * be raised later without invalidating existing passwords.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  readonly #options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

  hash(password: string): Promise<string> {
    return hash(password, this.#options);
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      // A malformed stored hash is a wrong password, not a server error.
      return false;
    }
  }
}
