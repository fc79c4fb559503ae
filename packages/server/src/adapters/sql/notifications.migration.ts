import type { Kysely } from 'kysely';

/**
 * Each guardian's notification settings (choices per alert kind as JSON, e-mail address and
 * one waiting for its code) and
 * their browsers' Web Push subscriptions. The guardian's own data, not a child's: plain text.
 * Both go with the account.
 */
export async function createNotificationTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_settings')
    .addColumn('account_id', 'text', (c) =>
      c.primaryKey().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('choices', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    // An address given but not yet confirmed with the code sent to it.
    .addColumn('pending_email', 'text')
    .addColumn('pending_code_hash', 'text')
    .addColumn('pending_expires_at', 'bigint')
    .addColumn('pending_failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('push_subscriptions')
    // One browser, one endpoint: subscribing it for another account moves it.
    .addColumn('endpoint', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('push_subscriptions_account')
    .on('push_subscriptions')
    .columns(['account_id', 'created_at'])
    .execute();
}
