import type { WatchActivity, WatchConnection, WatchId, WatchStatusUpdate } from '@kinwatch/core';
import { sql, type CompiledQuery, type RawBuilder } from 'kysely';
import type { Db } from './database.ts';
import { toMillis } from './epoch-millis.ts';
import { chunks, rowsPerInsert } from './sql-flavour.ts';

type StatusField = Exclude<keyof WatchStatusUpdate, 'updatedAt'>;

const STATUS_COLUMNS = {
  batteryPercent: 'battery_percent',
  gsmSignalPercent: 'gsm_signal_percent',
  steps: 'steps',
  alarmBits: 'alarm_bits',
  stateBits: 'state_bits',
  isOnline: 'is_online',
} as const satisfies Record<StatusField, string>;

const STATUS_FIELDS = Object.keys(STATUS_COLUMNS) as StatusField[];

type StatusColumn = (typeof STATUS_COLUMNS)[StatusField];

/** One batch entry per watch, later entries merged over earlier ones. */
export function mergeActivity(batch: readonly WatchActivity[]): Map<WatchId, WatchActivity> {
  const merged = new Map<WatchId, WatchActivity>();
  for (const entry of batch) {
    const earlier = merged.get(entry.watchId);
    if (earlier === undefined) {
      merged.set(entry.watchId, entry);
      continue;
    }
    const status =
      earlier.status === undefined || entry.status === undefined
        ? (entry.status ?? earlier.status)
        : { ...earlier.status, ...entry.status };
    const connection = entry.connection ?? earlier.connection;
    merged.set(entry.watchId, {
      watchId: entry.watchId,
      ...(status === undefined ? {} : { status }),
      ...(connection === undefined ? {} : { connection }),
    });
  }
  return merged;
}

/**
 * Upserts statuses. Only the fields an update names replace the stored ones, so updates are
 * grouped by the fields they name: one multi-row statement per group and chunk.
 */
export async function upsertStatuses(
  db: Db,
  updates: readonly (readonly [WatchId, WatchStatusUpdate])[],
): Promise<void> {
  for (const statement of statusUpserts(db, updates)) await db.executeQuery(statement);
}

/** The statements of `upsertStatuses`, to run in a batch of one's own. */
export function statusUpserts(
  db: Db,
  updates: readonly (readonly [WatchId, WatchStatusUpdate])[],
): CompiledQuery[] {
  const statements: CompiledQuery[] = [];
  const groups = new Map<number, (readonly [WatchId, WatchStatusUpdate])[]>();
  for (const entry of updates) {
    const shape = shapeOf(entry[1]);
    const group = groups.get(shape);
    if (group === undefined) groups.set(shape, [entry]);
    else group.push(entry);
  }
  for (const [shape, group] of groups) {
    const named = STATUS_FIELDS.filter((_, bit) => (shape & (1 << bit)) !== 0).map(
      (field) => STATUS_COLUMNS[field],
    );
    for (const chunk of chunks(group, rowsPerInsert(8))) {
      const statement = db
        .insertInto('watch_status')
        .values(chunk.map(([watchId, update]) => statusRow(watchId, update)))
        .onConflict((oc) =>
          oc.column('watch_id').doUpdateSet(() => {
            const set: Partial<Record<StatusColumn | 'updated_at', RawBuilder<number>>> = {
              updated_at: excluded('updated_at'),
            };
            for (const column of named) set[column] = excluded(column);
            return set;
          }),
        )
        .compile();
      statements.push(statement);
    }
  }
  return statements;
}

/** The value the conflicting INSERT proposed for the column. */
function excluded(column: StatusColumn | 'updated_at'): RawBuilder<number> {
  return sql<number>`excluded.${sql.ref(column)}`;
}

/** A bit per status field the update names (present, even as null). */
function shapeOf(update: WatchStatusUpdate): number {
  let shape = 0;
  for (let bit = 0; bit < STATUS_FIELDS.length; bit++) {
    if (update[STATUS_FIELDS[bit] as StatusField] !== undefined) shape |= 1 << bit;
  }
  return shape;
}

function statusRow(watchId: WatchId, update: WatchStatusUpdate) {
  return {
    watch_id: watchId,
    battery_percent: update.batteryPercent ?? null,
    gsm_signal_percent: update.gsmSignalPercent ?? null,
    steps: update.steps ?? null,
    alarm_bits: update.alarmBits ?? null,
    state_bits: update.stateBits ?? null,
    is_online: update.isOnline === true ? 1 : 0,
    updated_at: toMillis(update.updatedAt),
  };
}

/**
 * Records connections, many per statement: `UPDATE ... FROM (VALUES ...)`, which SQLite (3.33
 * and later) and PostgreSQL both take, with the VALUES columns named `column1`... on both.
 * The cast tells PostgreSQL the type of the time column.
 */
export function connectionUpdates(
  db: Db,
  connections: readonly (readonly [WatchId, WatchConnection])[],
): CompiledQuery[] {
  const statements: CompiledQuery[] = [];
  for (const chunk of chunks(connections, rowsPerInsert(4))) {
    const rows = chunk.map(
      ([watchId, c]) =>
        sql`(${watchId}, cast(${toMillis(c.at)} as bigint), ${c.address}, ${c.vendor})`,
    );
    const statement = sql`update watches set
        first_seen_at = coalesce(watches.first_seen_at, v.column2),
        last_seen_at = v.column2,
        last_address = v.column3,
        vendor = v.column4
      from (values ${sql.join(rows)}) as v
      where watches.id = v.column1`.compile(db);
    statements.push(statement);
  }
  return statements;
}
