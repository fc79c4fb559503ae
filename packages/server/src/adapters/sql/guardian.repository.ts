import {
  WatchAlreadyBoundError,
  type AccountId,
  type ChildProfile,
  type FieldCipher,
  type GuardedWatch,
  type Guardian,
  type GuardianRepository,
  type GuardianRole,
  type WatchId,
} from '@kinwatch/core';
import type { Kysely } from 'kysely';
import type { Database, Db } from './database.ts';
import { fromMillis, fromNullableMillis, toMillis } from './epoch-millis.ts';
import { isUniqueViolation } from './sql-errors.ts';

/** The sealed part of a child profile. */
interface SealedChild {
  readonly name: string;
  readonly birthDate: string | null;
  readonly watchPhone: string | null;
}

/**
 * Guardianships and child profiles. Every read that returns a watch, a child or a guardian
 * joins on the caller's own guardianship row, so the scope is in the SQL, not in the route.
 */
export class SqlGuardianRepository implements GuardianRepository {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async watchesOf(accountId: AccountId): Promise<GuardedWatch[]> {
    const rows = await this.#guardedWatches(accountId).orderBy('g.added_at').execute();
    return Promise.all(rows.map((row) => this.#guardedWatch(row)));
  }

  async watchOf(accountId: AccountId, watchId: WatchId): Promise<GuardedWatch | undefined> {
    const row = await this.#guardedWatches(accountId)
      .where('g.watch_id', '=', watchId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#guardedWatch(row);
  }

  async guardiansOf(accountId: AccountId, watchId: WatchId): Promise<Guardian[]> {
    const rows = await this.#db
      .selectFrom('guardianships as mine')
      .innerJoin('guardianships as g', 'g.watch_id', 'mine.watch_id')
      .innerJoin('accounts as a', 'a.id', 'g.account_id')
      .select([
        'g.account_id',
        'g.role',
        'g.added_at',
        'a.nickname',
        'a.phone',
        'a.avatar_image_id',
      ])
      .where('mine.account_id', '=', accountId)
      .where('mine.watch_id', '=', watchId)
      .orderBy('g.added_at')
      .execute();
    return rows.map((row) => ({
      accountId: row.account_id,
      nickname: row.nickname,
      phone: row.phone,
      role: row.role as GuardianRole,
      addedAt: fromMillis(row.added_at),
      hasAvatar: row.avatar_image_id !== null,
    }));
  }

  async guardianIdsOf(watchId: WatchId): Promise<AccountId[]> {
    const rows = await this.#db
      .selectFrom('guardianships')
      .select('account_id')
      .where('watch_id', '=', watchId)
      .execute();
    return rows.map((row) => row.account_id);
  }

  async isBound(watchId: WatchId): Promise<boolean> {
    const row = await this.#db
      .selectFrom('guardianships')
      .select('watch_id')
      .where('watch_id', '=', watchId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async bind(watchId: WatchId, accountId: AccountId, child: ChildProfile, at: Date): Promise<void> {
    const sealed = await this.#seal(watchId, child);
    try {
      await this.#db.transaction().execute(async (trx) => {
        const bound = await trx
          .selectFrom('guardianships')
          .select('account_id')
          .where('watch_id', '=', watchId)
          .limit(1)
          .executeTakeFirst();
        if (bound !== undefined) throw new WatchAlreadyBoundError('the watch has guardians');
        await trx
          .insertInto('guardianships')
          .values({
            watch_id: watchId,
            account_id: accountId,
            role: 'admin',
            added_at: toMillis(at),
          })
          .execute();
        await upsertChild(trx, watchId, sealed, child.avatarImageId, at);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new WatchAlreadyBoundError('the watch has an admin');
      throw error;
    }
  }

  async addGuardian(
    watchId: WatchId,
    accountId: AccountId,
    role: GuardianRole,
    at: Date,
  ): Promise<void> {
    await this.#db
      .insertInto('guardianships')
      .values({ watch_id: watchId, account_id: accountId, role, added_at: toMillis(at) })
      .onConflict((oc) => oc.columns(['watch_id', 'account_id']).doNothing())
      .execute();
  }

  async removeGuardian(watchId: WatchId, accountId: AccountId): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('guardianships')
      .where('watch_id', '=', watchId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async transferAdmin(watchId: WatchId, from: AccountId, to: AccountId): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      // Demote first: the partial unique index allows one admin per watch at any moment.
      await trx
        .updateTable('guardianships')
        .set({ role: 'guardian' })
        .where('watch_id', '=', watchId)
        .where('account_id', '=', from)
        .where('role', '=', 'admin')
        .execute();
      const promoted = await trx
        .updateTable('guardianships')
        .set({ role: 'admin' })
        .where('watch_id', '=', watchId)
        .where('account_id', '=', to)
        .executeTakeFirst();
      if (promoted.numUpdatedRows === 0n) throw new Error('the new admin is not a guardian');
    });
  }

  async saveChild(watchId: WatchId, child: ChildProfile, at: Date): Promise<void> {
    await upsertChild(this.#db, watchId, await this.#seal(watchId, child), child.avatarImageId, at);
  }

  #guardedWatches(accountId: AccountId) {
    return this.#db
      .selectFrom('guardianships as g')
      .innerJoin('watches as w', 'w.id', 'g.watch_id')
      .leftJoin('child_profiles as c', 'c.watch_id', 'g.watch_id')
      .leftJoin('watch_status as s', 's.watch_id', 'g.watch_id')
      .select([
        'g.watch_id',
        'g.role',
        'g.added_at',
        'w.device_id',
        'w.last_seen_at',
        'w.demo_expires_at',
        'c.sealed',
        'c.avatar_image_id',
        's.is_online',
        's.battery_percent',
      ])
      .where('g.account_id', '=', accountId);
  }

  async #guardedWatch(row: {
    watch_id: string;
    role: string;
    added_at: number;
    device_id: string;
    last_seen_at: number | null;
    demo_expires_at: number | null;
    sealed: Uint8Array | null;
    avatar_image_id: string | null;
    is_online: number | null;
    battery_percent: number | null;
  }): Promise<GuardedWatch> {
    const child =
      row.sealed === null
        ? null
        : { ...(await this.#open(row.watch_id, row.sealed)), avatarImageId: row.avatar_image_id };
    return {
      watchId: row.watch_id,
      deviceId: row.device_id,
      role: row.role as GuardianRole,
      boundAt: fromMillis(row.added_at),
      child,
      isOnline: row.is_online === 1,
      batteryPercent: row.battery_percent,
      lastSeenAt: fromNullableMillis(row.last_seen_at),
      isDemo: row.demo_expires_at !== null,
    };
  }

  #seal(watchId: WatchId, child: ChildProfile): Promise<Uint8Array> {
    const value: SealedChild = {
      name: child.name,
      birthDate: child.birthDate,
      watchPhone: child.watchPhone,
    };
    return this.#cipher.seal(watchId, new TextEncoder().encode(JSON.stringify(value)));
  }

  async #open(watchId: WatchId, sealed: Uint8Array): Promise<SealedChild> {
    const text = new TextDecoder().decode(await this.#cipher.open(watchId, sealed));
    return JSON.parse(text) as SealedChild;
  }
}

async function upsertChild(
  db: Kysely<Database>,
  watchId: WatchId,
  sealed: Uint8Array,
  avatarImageId: string | null,
  at: Date,
): Promise<void> {
  await db
    .insertInto('child_profiles')
    .values({ watch_id: watchId, sealed, avatar_image_id: avatarImageId, updated_at: toMillis(at) })
    .onConflict((oc) =>
      oc.column('watch_id').doUpdateSet({
        sealed,
        avatar_image_id: avatarImageId,
        updated_at: toMillis(at),
      }),
    )
    .execute();
}
