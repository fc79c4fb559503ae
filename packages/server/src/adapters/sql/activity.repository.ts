import {
  isActivityKind,
  type ActivityDetails,
  type ActivityEntry,
  type ActivityRepository,
  type FieldCipher,
  type NewActivityEntry,
  type WatchId,
} from '@kinwatch/core';
import type { Selectable } from 'kysely';
import type { ActivityLogTable, Db } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { checkLimit, knownValue } from './stored-value.ts';

/** The sealed part of an entry. */
interface SealedActivity {
  readonly nickname: string | null;
  readonly details: ActivityDetails;
}

/**
 * The activity log. Who acted (by account id), what kind of thing and when are in the clear,
 * for ordering and retention; the actor's nickname and the details (time ranges, command
 * types) are sealed with the watch's data key.
 */
export class SqlActivityRepository implements ActivityRepository {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async append(entry: NewActivityEntry): Promise<ActivityEntry> {
    const secret: SealedActivity = { nickname: entry.actorNickname, details: entry.details };
    const sealed = await this.#cipher.seal(
      entry.watchId,
      new TextEncoder().encode(JSON.stringify(secret)),
    );
    const { id } = await this.#db
      .insertInto('activity_log')
      .values({
        watch_id: entry.watchId,
        actor_id: entry.actorId,
        kind: entry.kind,
        sealed,
        at: toMillis(entry.at),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...entry, id };
  }

  async list(
    watchId: WatchId,
    beforeId: number | undefined,
    limit: number,
  ): Promise<ActivityEntry[]> {
    let query = this.#db.selectFrom('activity_log').selectAll().where('watch_id', '=', watchId);
    if (beforeId !== undefined) query = query.where('id', '<', beforeId);
    const rows = await query.orderBy('id', 'desc').limit(checkLimit(limit)).execute();
    return Promise.all(rows.map((row) => this.#fromRow(row)));
  }

  async #fromRow(row: Selectable<ActivityLogTable>): Promise<ActivityEntry> {
    const opened = await this.#cipher.open(row.watch_id, row.sealed);
    const secret = JSON.parse(new TextDecoder().decode(opened)) as SealedActivity;
    return {
      id: row.id,
      watchId: row.watch_id,
      actorId: row.actor_id,
      actorNickname: secret.nickname,
      kind: knownValue(row.kind, isActivityKind, 'activity kind'),
      details: secret.details,
      at: fromMillis(row.at),
    };
  }
}
