import type { Kysely } from 'kysely';
import type { SqlFlavour } from './sql-flavour.ts';

/**
 * Alerts and their ordered event log (raised, repeated, acknowledged), which a live stream
 * resumes from. Locations and details are sealed with the watch's data key.
 */
export async function createAlertTables(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint')
    .addColumn('sealed', flavour.binaryType, (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .execute();
  await db.schema.createIndex('alerts_watch').on('alerts').columns(['watch_id', 'id']).execute();
  await db.schema
    .createIndex('alerts_open')
    .on('alerts')
    .columns(['kind', 'acknowledged_at', 'raised_at'])
    .execute();
  await db.schema
    .createTable('alert_events')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('alert_id', 'bigint', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alert_events_watch')
    .on('alert_events')
    .columns(['watch_id', 'id'])
    .execute();
}

/**
 * The alarm an alert was raised by, in the clear (an id, nothing about the child): an alarm and
 * its alerts are stored in one transaction, before the alarm's id could be sealed into the
 * alert's details. Not a foreign key, so that the retention of alarms and of alerts stay
 * independent.
 */
export async function addAlertAlarmLink(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('alarm_id', 'bigint').execute();
}
