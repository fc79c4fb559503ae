import {
  ALERT_KINDS,
  type AccountId,
  type AlertKind,
  type ChannelChoice,
  type NewPendingEmail,
  type NotificationRepository,
  type PendingEmail,
  type PushSubscriptionRecord,
  type StoredNotificationSettings,
} from '@kinwatch/core';
import type { Db } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';

const NO_PENDING = {
  pending_email: null,
  pending_code_hash: null,
  pending_expires_at: null,
  pending_failed_attempts: 0,
} as const;

type Choices = Partial<Record<AlertKind, ChannelChoice>>;

export class SqlNotificationRepository implements NotificationRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async findSettings(accountId: AccountId): Promise<StoredNotificationSettings | undefined> {
    const row = await this.#db
      .selectFrom('notification_settings')
      .select(['choices', 'email'])
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : { choices: parseChoices(row.choices), email: row.email };
  }

  async saveChoices(accountId: AccountId, choices: Readonly<Choices>, at: Date): Promise<void> {
    const text = JSON.stringify(choices);
    await this.#db
      .insertInto('notification_settings')
      .values({ account_id: accountId, choices: text, email: null, updated_at: toMillis(at) })
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet({ choices: text, updated_at: toMillis(at) }),
      )
      .execute();
  }

  async saveEmail(accountId: AccountId, email: string | null, at: Date): Promise<void> {
    const changes = { email, ...NO_PENDING, updated_at: toMillis(at) };
    await this.#db
      .insertInto('notification_settings')
      .values({ account_id: accountId, choices: '{}', ...changes })
      .onConflict((oc) => oc.column('account_id').doUpdateSet(changes))
      .execute();
  }

  async savePendingEmail(accountId: AccountId, pending: NewPendingEmail, at: Date): Promise<void> {
    const changes = {
      pending_email: pending.email,
      pending_code_hash: pending.codeHash,
      pending_expires_at: toMillis(pending.expiresAt),
      pending_failed_attempts: 0,
      updated_at: toMillis(at),
    };
    await this.#db
      .insertInto('notification_settings')
      .values({ account_id: accountId, choices: '{}', email: null, ...changes })
      .onConflict((oc) => oc.column('account_id').doUpdateSet(changes))
      .execute();
  }

  async findPendingEmail(accountId: AccountId): Promise<PendingEmail | undefined> {
    const row = await this.#db
      .selectFrom('notification_settings')
      .select([
        'pending_email',
        'pending_code_hash',
        'pending_expires_at',
        'pending_failed_attempts',
      ])
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (
      row?.pending_email == null ||
      row.pending_code_hash === null ||
      row.pending_expires_at === null
    ) {
      return undefined;
    }
    return {
      email: row.pending_email,
      codeHash: row.pending_code_hash,
      expiresAt: fromMillis(row.pending_expires_at),
      failedAttempts: row.pending_failed_attempts,
    };
  }

  async recordEmailCodeFailure(accountId: AccountId): Promise<number> {
    const row = await this.#db
      .updateTable('notification_settings')
      .set((eb) => ({ pending_failed_attempts: eb('pending_failed_attempts', '+', 1) }))
      .where('account_id', '=', accountId)
      .returning('pending_failed_attempts')
      .executeTakeFirst();
    return row?.pending_failed_attempts ?? 0;
  }

  async savePushSubscription(subscription: PushSubscriptionRecord): Promise<void> {
    const row = {
      account_id: subscription.accountId,
      p256dh: subscription.p256dh,
      auth: subscription.auth,
      created_at: toMillis(subscription.createdAt),
    };
    await this.#db
      .insertInto('push_subscriptions')
      .values({ endpoint: subscription.endpoint, ...row })
      .onConflict((oc) => oc.column('endpoint').doUpdateSet(row))
      .execute();
  }

  async pushSubscriptionsOf(accountId: AccountId): Promise<PushSubscriptionRecord[]> {
    const rows = await this.#db
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('endpoint')
      .execute();
    return rows.map((row) => ({
      accountId: row.account_id,
      endpoint: row.endpoint,
      p256dh: row.p256dh,
      auth: row.auth,
      createdAt: fromMillis(row.created_at),
    }));
  }

  async removePushSubscription(accountId: AccountId, endpoint: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('push_subscriptions')
      .where('account_id', '=', accountId)
      .where('endpoint', '=', endpoint)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async removePushEndpoint(endpoint: string): Promise<void> {
    await this.#db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).execute();
  }
}

/** The stored JSON, keeping only known kinds with two boolean channels. */
function parseChoices(text: string): Choices {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const choices: Choices = {};
  for (const kind of ALERT_KINDS) {
    const value = parsed[kind] as Partial<Record<string, unknown>> | undefined;
    if (typeof value?.['push'] === 'boolean' && typeof value['email'] === 'boolean') {
      choices[kind] = { push: value['push'], email: value['email'] };
    }
  }
  return choices;
}
