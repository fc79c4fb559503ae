import type { AccountId, NewSession, SessionRecord, SessionRepository } from '@kinwatch/core';
import type { Selectable } from 'kysely';
import type { Db, SessionsTable } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';

export class SqlSessionRepository implements SessionRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(session: NewSession): Promise<void> {
    const at = toMillis(session.createdAt);
    await this.#db
      .insertInto('sessions')
      .values({
        token_hash: session.tokenHash,
        id: session.id,
        account_id: session.accountId,
        created_at: at,
        last_seen_at: at,
        expires_at: toMillis(session.expiresAt),
        authenticated_at: toMillis(session.authenticatedAt),
        user_agent: session.userAgent,
        address: session.address,
      })
      .execute();
  }

  async findActive(tokenHash: string, at: Date): Promise<SessionRecord | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', toMillis(at))
      .executeTakeFirst();
    return row === undefined ? undefined : sessionFromRow(row);
  }

  async touch(tokenHash: string, at: Date, expiresAt: Date): Promise<void> {
    await this.#db
      .updateTable('sessions')
      .set({ last_seen_at: toMillis(at), expires_at: toMillis(expiresAt) })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async markAuthenticated(tokenHash: string, at: Date): Promise<void> {
    await this.#db
      .updateTable('sessions')
      .set({ authenticated_at: toMillis(at) })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async listForAccount(accountId: AccountId, at: Date): Promise<SessionRecord[]> {
    const rows = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('expires_at', '>', toMillis(at))
      .orderBy('last_seen_at', 'desc')
      .execute();
    return rows.map(sessionFromRow);
  }

  async remove(accountId: AccountId, sessionId: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('sessions')
      .where('account_id', '=', accountId)
      .where('id', '=', sessionId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async removeByToken(tokenHash: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async removeAll(accountId: AccountId, exceptTokenHash?: string): Promise<number> {
    let query = this.#db.deleteFrom('sessions').where('account_id', '=', accountId);
    if (exceptTokenHash !== undefined) query = query.where('token_hash', '!=', exceptTokenHash);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function sessionFromRow(row: Selectable<SessionsTable>): SessionRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    createdAt: fromMillis(row.created_at),
    lastSeenAt: fromMillis(row.last_seen_at),
    expiresAt: fromMillis(row.expires_at),
    authenticatedAt: fromMillis(row.authenticated_at),
    userAgent: row.user_agent,
    address: row.address,
  };
}
