import { sql, type Kysely } from 'kysely';
import type { SqlFlavour } from './sql-flavour.ts';

/**
 * Guardians and what hangs on them: accounts, server-side sessions, one-time codes, the
 * counters of SMS limits, guardianships of watches with child profiles, watch claims, family
 * invitations, notices, images. Random text ids everywhere a URL may carry one.
 */
export async function createAccountTables(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('images')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('bytes', flavour.binaryType, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone', 'text', (c) => c.notNull().unique())
    .addColumn('nickname', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('avatar_image_id', 'text', (c) => c.references('images.id').onDelete('set null'))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sessions')
    // The SHA-256 of the cookie's token: a stolen database holds no usable session.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    // A public id for the session list ("log out this device"), unrelated to the token.
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('authenticated_at', 'bigint', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();
  await db.schema
    .createTable('one_time_codes')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('one_time_codes_phone')
    .on('one_time_codes')
    .columns(['phone', 'purpose', 'id'])
    .execute();
  await db.schema
    .createTable('rate_counters')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_counters_pk', ['key', 'window_start'])
    .execute();
  await createGuardianTables(db, flavour);
}

async function createGuardianTables(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema.alterTable('watches').addColumn('demo_expires_at', 'bigint').execute();
  await db.schema
    .createTable('guardianships')
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('guardianships_pk', ['watch_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('guardianships_account')
    .on('guardianships')
    .columns(['account_id', 'watch_id'])
    .execute();
  // At most one admin per watch, kept by the database as well as by the service.
  await sql`create unique index guardianships_one_admin on guardianships (watch_id) where role = 'admin'`.execute(
    db,
  );
  await db.schema
    .createTable('child_profiles')
    .addColumn('watch_id', 'text', (c) =>
      c.primaryKey().references('watches.id').onDelete('cascade'),
    )
    // Name, birth date and the watch's phone number, sealed with the watch's data key.
    .addColumn('sealed', flavour.binaryType, (c) => c.notNull())
    .addColumn('avatar_image_id', 'text', (c) => c.references('images.id').onDelete('set null'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('watch_claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confirmed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('watch_claims_account')
    .on('watch_claims')
    .columns(['account_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('invited_by', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('phone', 'text')
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('accepted_by', 'text', (c) => c.references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('settled_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('invitations_watch')
    .on('invitations')
    .columns(['watch_id', 'status'])
    .execute();
  await db.schema
    .createTable('notices')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('watch_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('notices_account')
    .on('notices')
    .columns(['account_id', 'id'])
    .execute();
}
