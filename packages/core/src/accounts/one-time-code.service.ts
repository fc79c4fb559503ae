import type { Clock } from '../observability/clock.ports.ts';
import type { CodePurpose } from './account.model.ts';
import type { OneTimeCodeRepository, SecretSource } from './account.ports.ts';

export const CODE_DIGITS = 6;
export const CODE_TTL_SECONDS = 600;
/** Wrong tries after which a code is void, whatever is typed next. */
export const CODE_MAX_FAILED_ATTEMPTS = 5;

/**
 * One-time codes sent by SMS: 6 digits from a CSPRNG, valid 10 minutes, single use, void
 * after 5 wrong tries; a new code voids the earlier ones of the same number and purpose.
 * Only a keyed hash of each code is stored.
 */
export class OneTimeCodes {
  readonly #codes: OneTimeCodeRepository;
  readonly #secrets: SecretSource;
  readonly #clock: Clock;

  constructor(codes: OneTimeCodeRepository, secrets: SecretSource, clock: Clock) {
    this.#codes = codes;
    this.#secrets = secrets;
    this.#clock = clock;
  }

  /** Makes and stores a code; returns it for the caller to send. */
  async issue(phone: string, purpose: CodePurpose): Promise<string> {
    const code = this.#secrets.digits(CODE_DIGITS);
    const now = this.#clock.now();
    await this.#codes.issue({
      phone,
      purpose,
      codeHash: this.#secrets.hash(`${purpose}:${phone}:${code}`),
      createdAt: now,
      expiresAt: new Date(now.getTime() + CODE_TTL_SECONDS * 1000),
    });
    return code;
  }

  /**
   * True, using the code up, when `code` is the current code of this number and purpose. A
   * wrong code counts against the current one; an expired, used or exhausted code is false
   * whatever is typed.
   */
  async verify(phone: string, purpose: CodePurpose, code: string): Promise<boolean> {
    const now = this.#clock.now();
    const active = await this.#codes.findActive(phone, purpose, now);
    if (active === undefined || active.failedAttempts >= CODE_MAX_FAILED_ATTEMPTS) return false;
    const hash = this.#secrets.hash(`${purpose}:${phone}:${code}`);
    if (!this.#secrets.isSameHash(hash, active.codeHash)) {
      await this.#codes.recordFailure(active.id);
      return false;
    }
    return this.#codes.consume(active.id, now);
  }
}
