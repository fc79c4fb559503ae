import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { createAccountTables } from './accounts.migration.ts';
import { createActivityTable } from './activity.migration.ts';
import { addAlertAlarmLink, createAlertTables } from './alerts.migration.ts';
import type { Db } from './database.ts';
import type { SqlDatabase } from './open-database.ts';
import type { SqlFlavour } from './sql-flavour.ts';
import { createZoneTables } from './zones.migration.ts';
import { createNotificationTables } from './notifications.migration.ts';
import { addPositionBlockFormat, createPositionBlocks } from './position-blocks.migration.ts';

/**
 * Every schema change, in order. A migration, once released, is never edited: add a new one.
 * Names sort in the order they must run.
 */
function migrations(flavour: SqlFlavour): Record<string, Migration> {
  return {
    '0001-watches': { up: (db: Kysely<unknown>) => createWatchTables(db, flavour) },
    '0002-positions': { up: (db: Kysely<unknown>) => createPositionTables(db, flavour) },
    '0003-commands': { up: (db: Kysely<unknown>) => createCommandTables(db, flavour) },
    '0004-geo': { up: (db: Kysely<unknown>) => createGeoTables(db) },
    '0005-accounts': { up: (db: Kysely<unknown>) => createAccountTables(db, flavour) },
    '0006-zones': { up: (db: Kysely<unknown>) => createZoneTables(db, flavour) },
    '0007-activity': { up: (db: Kysely<unknown>) => createActivityTable(db, flavour) },
    '0008-alerts': { up: (db: Kysely<unknown>) => createAlertTables(db, flavour) },
    '0009-notifications': { up: (db: Kysely<unknown>) => createNotificationTables(db) },
    '0010-position-blocks': { up: (db: Kysely<unknown>) => createPositionBlocks(db, flavour) },
    '0011-position-block-format': { up: (db: Kysely<unknown>) => addPositionBlockFormat(db) },
    '0012-alert-alarm': { up: (db: Kysely<unknown>) => addAlertAlarmLink(db) },
  };
}

/**
 * Brings the schema up to date and returns the names of the migrations it ran; run at every
 * start. On PostgreSQL several processes may run it at once (kysely holds an advisory lock);
 * a SQLite file belongs to one process. Each migration runs in a transaction: on failure it is
 * rolled back and the error thrown, naming it.
 */
export async function migrateToLatest(database: SqlDatabase): Promise<string[]> {
  const { db, flavour } = database;
  const migrationTableSchema = flavour.name === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations(flavour)) },
    // Without a schema kysely finds its table in any schema of the database, including one
    // that belongs to another Kinwatch instance.
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    const name = failed === undefined ? '' : ` ${failed.migrationName}`;
    throw new Error(`database migration${name} failed`, { cause: error });
  }
  return results.map((result) => result.migrationName);
}

async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(db);
  const name = rows[0]?.name;
  if (name === undefined) throw new Error('PostgreSQL has no current schema: check search_path');
  return name;
}

async function createWatchTables(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('watches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().unique())
    .addColumn('provisioned_at', 'bigint', (c) => c.notNull())
    .addColumn('vendor', 'text')
    .addColumn('first_seen_at', 'bigint')
    .addColumn('last_seen_at', 'bigint')
    .addColumn('last_address', 'text')
    .addColumn('imei', 'text')
    .addColumn('iccid', 'text')
    .addColumn('is_possible_clone', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await createSightingTable(db);
  await createStatusTable(db);
  await createSecurityEventTable(db, flavour);
  await createKeyTable(db, flavour);
}

async function createSightingTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('unknown_watch_sightings')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_address', 'text', (c) => c.notNull())
    .addColumn('sightings', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('unknown_watch_sightings_last_seen')
    .on('unknown_watch_sightings')
    .column('last_seen_at')
    .execute();
}

async function createStatusTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('watch_status')
    .addColumn('watch_id', 'text', (c) =>
      c.primaryKey().references('watches.id').onDelete('cascade'),
    )
    .addColumn('battery_percent', 'integer')
    .addColumn('gsm_signal_percent', 'integer')
    .addColumn('steps', 'integer')
    .addColumn('alarm_bits', 'integer')
    .addColumn('state_bits', 'integer')
    .addColumn('is_online', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

async function createSecurityEventTable(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('security_events')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('watch_id', 'text', (c) => c.references('watches.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('security_events_device')
    .on('security_events')
    .columns(['device_id', 'id'])
    .execute();
  await db.schema
    .createIndex('security_events_watch')
    .on('security_events')
    .columns(['watch_id', 'id'])
    .execute();
}

async function createKeyTable(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  // No foreign key: a data key's life is managed by the cipher (destroyKey), and the table
  // may hold a key for a watch id whose row is being created or removed.
  await db.schema
    .createTable('watch_keys')
    .addColumn('watch_id', 'text', (c) => c.primaryKey())
    .addColumn('wrapped_key', flavour.binaryType, (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

async function createPositionTables(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('positions')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('is_buffered', 'integer', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('sealed', flavour.binaryType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('positions_watch_recorded')
    .on('positions')
    .columns(['watch_id', 'recorded_at'])
    .execute();
  await createAlarmTable(db, flavour);
}

async function createAlarmTable(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('alarms')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('sealed', flavour.binaryType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alarms_watch').on('alarms').columns(['watch_id', 'id']).execute();
}

async function createCommandTables(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('commands')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload_sealed', flavour.binaryType, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('settled_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('commands_watch_status')
    .on('commands')
    .columns(['watch_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('commands_status_expiry')
    .on('commands')
    .columns(['status', 'expires_at'])
    .execute();
  await createTwinTable(db, flavour);
}

async function createTwinTable(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('watch_twin')
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('desired_sealed', flavour.binaryType)
    .addColumn('desired_at', 'bigint')
    .addColumn('reported_sealed', flavour.binaryType)
    .addColumn('reported_at', 'bigint')
    .addPrimaryKeyConstraint('watch_twin_pk', ['watch_id', 'key'])
    .execute();
}

async function createGeoTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cell_towers')
    .addColumn('mcc', 'integer', (c) => c.notNull())
    .addColumn('mnc', 'integer', (c) => c.notNull())
    .addColumn('lac', 'integer', (c) => c.notNull())
    // 5G NR cell identities have 36 bits.
    .addColumn('cid', 'bigint', (c) => c.notNull())
    .addColumn('radio', 'text')
    .addColumn('latitude', 'double precision', (c) => c.notNull())
    .addColumn('longitude', 'double precision', (c) => c.notNull())
    .addColumn('range_meters', 'double precision', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('cell_towers_pk', ['mcc', 'mnc', 'lac', 'cid'])
    .execute();
  await createWifiTable(db);
}

async function createWifiTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wifi_access_points')
    .addColumn('mac', 'text', (c) => c.primaryKey())
    .addColumn('latitude', 'double precision', (c) => c.notNull())
    .addColumn('longitude', 'double precision', (c) => c.notNull())
    .addColumn('accuracy_meters', 'double precision', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
