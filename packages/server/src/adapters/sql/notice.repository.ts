import type { AccountId, Notice, NoticeKind, NoticeRepository } from '@kinwatch/core';
import type { Db } from './database.ts';
import { fromMillis, fromNullableMillis, toMillis } from './epoch-millis.ts';

export class SqlNoticeRepository implements NoticeRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async add(
    accountIds: readonly AccountId[],
    notice: {
      readonly watchId: string | null;
      readonly kind: NoticeKind;
      readonly details: Readonly<Record<string, string | null>>;
    },
    at: Date,
  ): Promise<void> {
    const unique = [...new Set(accountIds)];
    if (unique.length === 0) return;
    const details = JSON.stringify(notice.details);
    await this.#db
      .insertInto('notices')
      .values(
        unique.map((accountId) => ({
          account_id: accountId,
          watch_id: notice.watchId,
          kind: notice.kind,
          details,
          created_at: toMillis(at),
        })),
      )
      .execute();
  }

  async list(accountId: AccountId, limit: number): Promise<Notice[]> {
    const rows = await this.#db
      .selectFrom('notices')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      watchId: row.watch_id,
      kind: row.kind as NoticeKind,
      details: JSON.parse(row.details) as Record<string, string | null>,
      createdAt: fromMillis(row.created_at),
      readAt: fromNullableMillis(row.read_at),
    }));
  }

  async markRead(accountId: AccountId, upToId: number, at: Date): Promise<void> {
    await this.#db
      .updateTable('notices')
      .set({ read_at: toMillis(at) })
      .where('account_id', '=', accountId)
      .where('id', '<=', upToId)
      .where('read_at', 'is', null)
      .execute();
  }
}
