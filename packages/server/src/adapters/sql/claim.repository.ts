import type { AccountId, ClaimRepository, WatchClaim } from '@kinwatch/core';
import type { Db } from './database.ts';
import { fromMillis, fromNullableMillis, toMillis } from './epoch-millis.ts';

export class SqlClaimRepository implements ClaimRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(claim: Omit<WatchClaim, 'failedAttempts' | 'confirmedAt'>): Promise<void> {
    await this.#db
      .insertInto('watch_claims')
      .values({
        id: claim.id,
        watch_id: claim.watchId,
        account_id: claim.accountId,
        code_hash: claim.codeHash,
        created_at: toMillis(claim.createdAt),
        expires_at: toMillis(claim.expiresAt),
      })
      .execute();
  }

  async find(accountId: AccountId, claimId: string): Promise<WatchClaim | undefined> {
    const row = await this.#db
      .selectFrom('watch_claims')
      .selectAll()
      .where('id', '=', claimId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      id: row.id,
      watchId: row.watch_id,
      accountId: row.account_id,
      codeHash: row.code_hash,
      createdAt: fromMillis(row.created_at),
      expiresAt: fromMillis(row.expires_at),
      failedAttempts: row.failed_attempts,
      confirmedAt: fromNullableMillis(row.confirmed_at),
    };
  }

  async recordFailure(claimId: string): Promise<number> {
    const row = await this.#db
      .updateTable('watch_claims')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', claimId)
      .returning('failed_attempts')
      .executeTakeFirst();
    return row?.failed_attempts ?? 0;
  }

  async confirm(claimId: string, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('watch_claims')
      .set({ confirmed_at: toMillis(at) })
      .where('id', '=', claimId)
      .where('confirmed_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async hasRecentSighting(deviceId: string, since: Date): Promise<boolean> {
    const row = await this.#db
      .selectFrom('unknown_watch_sightings')
      .select('device_id')
      .where('device_id', '=', deviceId)
      .where('last_seen_at', '>=', toMillis(since))
      .executeTakeFirst();
    return row !== undefined;
  }
}
