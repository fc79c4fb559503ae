import type { Kysely } from 'kysely';
import type { SqlFlavour } from './sql-flavour.ts';

/**
 * Blocks of positions (docs/adr/0007-position-blocks.md): for each watch and hour of device time,
 * the sealed fields of that hour's positions sealed again together, so that reading a day opens
 * some 24 values instead of one per position. A copy, made after the fact by a job: `positions`
 * is unchanged and stays the record (each position still sealed on its own), so nothing stored
 * before this migration needs converting, and a missing or outdated block only makes reads
 * slower. `positions` and `last_id` say which rows the block holds, for the job to see whether
 * it is up to date; `position_block_progress` is how far the job has read `positions`.
 */
export async function createPositionBlocks(
  db: Kysely<unknown>,
  flavour: SqlFlavour,
): Promise<void> {
  await db.schema
    .createTable('position_blocks')
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('hour_start', 'bigint', (c) => c.notNull())
    .addColumn('positions', 'integer', (c) => c.notNull())
    .addColumn('last_id', 'bigint', (c) => c.notNull())
    .addColumn('sealed', flavour.binaryType, (c) => c.notNull())
    .addPrimaryKeyConstraint('position_blocks_pk', ['watch_id', 'hour_start'])
    .execute();
  await db.schema
    .createTable('position_block_progress')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_position_id', 'bigint', (c) => c.notNull())
    .execute();
}

/**
 * Blocks that keep their positions' API JSON ready-made (docs/adr/0008-position-json-in-blocks.md):
 * `format` says in the clear which layout and JSON version a block's plaintext has, so that the
 * job finds the blocks to make again after either changes. Blocks made before are 0: readers
 * no longer use them, and the job makes them again from the rows.
 */
export async function addPositionBlockFormat(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('position_blocks')
    .addColumn('format', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
