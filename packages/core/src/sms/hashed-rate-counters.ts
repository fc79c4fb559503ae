import type { SecretSource } from '../accounts/account.ports.ts';
import type { RateCounterStore } from './sms.ports.ts';

/**
 * Stores counters under a keyed hash of their key: the limits count per phone number and per
 * address, and the counter table then holds neither.
 */
export class HashedRateCounters implements RateCounterStore {
  readonly #store: RateCounterStore;
  readonly #secrets: Pick<SecretSource, 'hash'>;

  constructor(store: RateCounterStore, secrets: Pick<SecretSource, 'hash'>) {
    this.#store = store;
    this.#secrets = secrets;
  }

  hit(key: string, windowSeconds: number, at: Date): Promise<number> {
    return this.#store.hit(this.#key(key), windowSeconds, at);
  }

  count(key: string, windowSeconds: number, at: Date): Promise<number> {
    return this.#store.count(this.#key(key), windowSeconds, at);
  }

  prune(before: Date): Promise<number> {
    return this.#store.prune(before);
  }

  #key(key: string): string {
    return `h:${this.#secrets.hash(`counter:${key}`)}`;
  }
}
