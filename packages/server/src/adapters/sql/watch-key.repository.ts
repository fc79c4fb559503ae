import type { WatchId, WrappedDataKey, WrappedKeyStore } from '@kinwatch/core';
import type { Selectable } from 'kysely';
import type { Db, WatchKeysTable } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';

/** Wrapped data keys in the `watch_keys` table. The master key that wraps them never is. */
export class SqlWrappedKeyStore implements WrappedKeyStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async find(watchId: WatchId): Promise<WrappedDataKey | undefined> {
    const row = await this.#db
      .selectFrom('watch_keys')
      .selectAll()
      .where('watch_id', '=', watchId)
      .executeTakeFirst();
    return row === undefined ? undefined : keyFromRow(row);
  }

  async insertIfAbsent(watchId: WatchId, key: WrappedDataKey): Promise<WrappedDataKey> {
    await this.#db
      .insertInto('watch_keys')
      .values({
        watch_id: watchId,
        wrapped_key: key.wrappedKey,
        master_key_id: key.masterKeyId,
        created_at: toMillis(key.createdAt),
      })
      .onConflict((oc) => oc.column('watch_id').doNothing())
      .execute();
    const stored = await this.find(watchId);
    // Only a delete racing between the two statements gets here.
    if (stored === undefined)
      throw new Error(`data key of watch ${watchId} vanished as it was stored`);
    return stored;
  }

  async delete(watchId: WatchId): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('watch_keys')
      .where('watch_id', '=', watchId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function keyFromRow(row: Selectable<WatchKeysTable>): WrappedDataKey {
  return {
    wrappedKey: new Uint8Array(row.wrapped_key),
    masterKeyId: row.master_key_id,
    createdAt: fromMillis(row.created_at),
  };
}
