import type { ActiveCode, CodePurpose, OneTimeCodeRepository } from '@kinwatch/core';
import type { Db } from './database.ts';
import { toMillis } from './epoch-millis.ts';

export class SqlOneTimeCodeRepository implements OneTimeCodeRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async issue(code: {
    readonly phone: string;
    readonly purpose: CodePurpose;
    readonly codeHash: string;
    readonly createdAt: Date;
    readonly expiresAt: Date;
  }): Promise<void> {
    const at = toMillis(code.createdAt);
    await this.#db.transaction().execute(async (trx) => {
      // Only the newest code works: an older one that leaked (an SMS shown on a lock screen)
      // is void as soon as another is asked for.
      await trx
        .updateTable('one_time_codes')
        .set({ used_at: at })
        .where('phone', '=', code.phone)
        .where('purpose', '=', code.purpose)
        .where('used_at', 'is', null)
        .execute();
      await trx
        .insertInto('one_time_codes')
        .values({
          phone: code.phone,
          purpose: code.purpose,
          code_hash: code.codeHash,
          created_at: at,
          expires_at: toMillis(code.expiresAt),
        })
        .execute();
    });
  }

  async findActive(phone: string, purpose: CodePurpose, at: Date): Promise<ActiveCode | undefined> {
    const row = await this.#db
      .selectFrom('one_time_codes')
      .select(['id', 'code_hash', 'failed_attempts'])
      .where('phone', '=', phone)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', toMillis(at))
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return { id: row.id, codeHash: row.code_hash, failedAttempts: row.failed_attempts };
  }

  async recordFailure(id: number): Promise<number> {
    const row = await this.#db
      .updateTable('one_time_codes')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', id)
      .returning('failed_attempts')
      .executeTakeFirst();
    return row?.failed_attempts ?? 0;
  }

  async consume(id: number, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('one_time_codes')
      .set({ used_at: toMillis(at) })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
