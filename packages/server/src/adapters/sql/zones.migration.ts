import type { Kysely } from 'kysely';
import type { SqlFlavour } from './sql-flavour.ts';

/**
 * Safe zones: the zones of each watch (name, shape and expectations sealed with the watch's
 * data key: they show where the child lives and goes to school), where the watch is for each
 * zone, the arrivals and departures, and the per-watch zone-only setting.
 */
export async function createZoneTables(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('zones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('sealed', flavour.binaryType, (c) => c.notNull())
    // Clear, so that the expectation checker finds its watches without opening every zone.
    .addColumn('has_expectations', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('zones_watch')
    .on('zones')
    .columns(['watch_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('zone_states')
    .addColumn('zone_id', 'text', (c) => c.primaryKey().references('zones.id').onDelete('cascade'))
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('is_inside', 'integer', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('zone_states_watch').on('zone_states').column('watch_id').execute();
  await db.schema
    .createTable('zone_events')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('zone_id', 'text', (c) => c.notNull().references('zones.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('is_buffered', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('zone_events_watch')
    .on('zone_events')
    .columns(['watch_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('zone_events_zone')
    .on('zone_events')
    .columns(['zone_id', 'occurred_at'])
    .execute();
  await db.schema
    .createTable('watch_settings')
    .addColumn('watch_id', 'text', (c) =>
      c.primaryKey().references('watches.id').onDelete('cascade'),
    )
    .addColumn('is_zone_only', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
