import type { Kysely } from 'kysely';
import type { SqlFlavour } from './sql-flavour.ts';

/**
 * The activity log of each watch. The actor's nickname and the details are sealed with the
 * watch's data key; the entries go with the watch when it is unbound. No foreign key to the
 * actor: an entry outlives the account that made it.
 */
export async function createActivityTable(db: Kysely<unknown>, flavour: SqlFlavour): Promise<void> {
  await db.schema
    .createTable('activity_log')
    .addColumn('id', flavour.idType, flavour.idColumn)
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sealed', flavour.binaryType, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('activity_log_watch')
    .on('activity_log')
    .columns(['watch_id', 'id'])
    .execute();
}
