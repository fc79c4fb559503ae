import {
  AccountExistsError,
  type Account,
  type AccountChanges,
  type AccountId,
  type AccountRepository,
  type NewAccount,
} from '@kinwatch/core';
import type { Selectable, Updateable } from 'kysely';
import type { AccountsTable, Db } from './database.ts';
import { fromMillis, fromNullableMillis, toMillis } from './epoch-millis.ts';
import { isUniqueViolation } from './sql-errors.ts';

export class SqlAccountRepository implements AccountRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(account: NewAccount): Promise<Account> {
    const at = toMillis(account.createdAt);
    try {
      await this.#db
        .insertInto('accounts')
        .values({
          id: account.id,
          phone: account.phone,
          nickname: account.nickname ?? null,
          is_demo: account.isDemo === true ? 1 : 0,
          expires_at: account.expiresAt == null ? null : toMillis(account.expiresAt),
          created_at: at,
          updated_at: at,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AccountExistsError('the number has an account');
      throw error;
    }
    const created = await this.findById(account.id);
    if (created === undefined) throw new Error('an account just made cannot be read');
    return created;
  }

  async findById(id: AccountId): Promise<Account | undefined> {
    const row = await this.#db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : accountFromRow(row);
  }

  async findByPhone(phone: string): Promise<Account | undefined> {
    const row = await this.#db
      .selectFrom('accounts')
      .selectAll()
      .where('phone', '=', phone)
      .executeTakeFirst();
    return row === undefined ? undefined : accountFromRow(row);
  }

  async passwordHashOf(id: AccountId): Promise<string | null> {
    const row = await this.#db
      .selectFrom('accounts')
      .select('password_hash')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.password_hash ?? null;
  }

  async update(id: AccountId, changes: AccountChanges, at: Date): Promise<void> {
    const values: Updateable<AccountsTable> = { updated_at: toMillis(at) };
    if (changes.nickname !== undefined) values.nickname = changes.nickname;
    if (changes.passwordHash !== undefined) values.password_hash = changes.passwordHash;
    if (changes.avatarImageId !== undefined) values.avatar_image_id = changes.avatarImageId;
    if (changes.phone !== undefined) values.phone = changes.phone;
    try {
      await this.#db.updateTable('accounts').set(values).where('id', '=', id).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AccountExistsError('the number has an account');
      throw error;
    }
  }

  async remove(id: AccountId): Promise<boolean> {
    const result = await this.#db.deleteFrom('accounts').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listExpiredDemos(at: Date): Promise<AccountId[]> {
    const rows = await this.#db
      .selectFrom('accounts')
      .select('id')
      .where('is_demo', '=', 1)
      .where('expires_at', '<=', toMillis(at))
      .execute();
    return rows.map((row) => row.id);
  }
}

function accountFromRow(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    phone: row.phone,
    nickname: row.nickname,
    hasPassword: row.password_hash !== null,
    avatarImageId: row.avatar_image_id,
    isDemo: row.is_demo === 1,
    expiresAt: fromNullableMillis(row.expires_at),
    createdAt: fromMillis(row.created_at),
  };
}
