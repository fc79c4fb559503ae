import type {
  FieldCipher,
  WatchId,
  Zone,
  ZoneDraft,
  ZoneEvent,
  ZoneEventQuery,
  ZoneId,
  ZoneRepository,
  ZoneState,
  ZoneTransition,
} from '@kinwatch/core';
import type { Db } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';

/** The sealed part of a zone. */
type SealedZone = ZoneDraft;

interface ZoneRow {
  id: string;
  watch_id: string;
  sealed: Uint8Array;
  created_at: number;
  updated_at: number;
}

/**
 * Zones with their sealed drawing, states, arrivals and departures, and the zone-only setting.
 * Every statement names the watch, so a zone id of another watch is never read or changed.
 */
export class SqlZoneRepository implements ZoneRepository {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async listZones(watchId: WatchId): Promise<Zone[]> {
    const rows = await this.#db
      .selectFrom('zones')
      .select(['id', 'watch_id', 'sealed', 'created_at', 'updated_at'])
      .where('watch_id', '=', watchId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.#zone(row)));
  }

  async findZone(watchId: WatchId, zoneId: ZoneId): Promise<Zone | undefined> {
    const row = await this.#db
      .selectFrom('zones')
      .select(['id', 'watch_id', 'sealed', 'created_at', 'updated_at'])
      .where('watch_id', '=', watchId)
      .where('id', '=', zoneId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#zone(row);
  }

  async countZones(watchId: WatchId): Promise<number> {
    const row = await this.#db
      .selectFrom('zones')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('watch_id', '=', watchId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async insertZone(zone: Zone): Promise<void> {
    await this.#db
      .insertInto('zones')
      .values({
        id: zone.id,
        watch_id: zone.watchId,
        sealed: await this.#seal(zone),
        has_expectations: zone.expectations.length > 0 ? 1 : 0,
        created_at: toMillis(zone.createdAt),
        updated_at: toMillis(zone.updatedAt),
      })
      .execute();
  }

  async updateZone(zone: Zone): Promise<boolean> {
    const result = await this.#db
      .updateTable('zones')
      .set({
        sealed: await this.#seal(zone),
        has_expectations: zone.expectations.length > 0 ? 1 : 0,
        updated_at: toMillis(zone.updatedAt),
      })
      .where('watch_id', '=', zone.watchId)
      .where('id', '=', zone.id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async removeZone(watchId: WatchId, zoneId: ZoneId): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const owned = await trx
        .selectFrom('zones')
        .select('id')
        .where('watch_id', '=', watchId)
        .where('id', '=', zoneId)
        .executeTakeFirst();
      if (owned === undefined) return false;
      await trx.deleteFrom('zone_events').where('zone_id', '=', zoneId).execute();
      await trx.deleteFrom('zone_states').where('zone_id', '=', zoneId).execute();
      await trx.deleteFrom('zones').where('id', '=', zoneId).execute();
      return true;
    });
  }

  async watchIdsWithExpectations(): Promise<WatchId[]> {
    const rows = await this.#db
      .selectFrom('zones')
      .select('watch_id')
      .distinct()
      .where('has_expectations', '=', 1)
      .orderBy('watch_id')
      .execute();
    return rows.map((row) => row.watch_id);
  }

  async listStates(watchId: WatchId): Promise<ZoneState[]> {
    const rows = await this.#db
      .selectFrom('zone_states')
      .select(['zone_id', 'is_inside', 'since'])
      .where('watch_id', '=', watchId)
      .execute();
    return rows.map((row) => ({
      zoneId: row.zone_id,
      isInside: row.is_inside === 1,
      since: fromMillis(row.since),
    }));
  }

  /** Transitions of zones deleted meanwhile are dropped. */
  async recordTransitions(
    watchId: WatchId,
    states: readonly ZoneState[],
    transitions: readonly ZoneTransition[],
  ): Promise<void> {
    if (states.length === 0 && transitions.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      const zoneIds = [...new Set([...states, ...transitions].map((s) => s.zoneId))];
      const existing = await trx
        .selectFrom('zones')
        .select('id')
        .where('watch_id', '=', watchId)
        .where('id', 'in', zoneIds)
        .execute();
      const live = new Set(existing.map((row) => row.id));
      for (const state of states.filter((s) => live.has(s.zoneId))) {
        const values = { is_inside: state.isInside ? 1 : 0, since: toMillis(state.since) };
        await trx
          .insertInto('zone_states')
          .values({ zone_id: state.zoneId, watch_id: watchId, ...values })
          .onConflict((oc) => oc.column('zone_id').doUpdateSet(values))
          .execute();
      }
      const events = transitions
        .filter((t) => live.has(t.zoneId))
        .map((t) => ({
          watch_id: watchId,
          zone_id: t.zoneId,
          kind: t.kind,
          occurred_at: toMillis(t.at),
          is_buffered: t.isBuffered ? 1 : 0,
        }));
      if (events.length > 0) await trx.insertInto('zone_events').values(events).execute();
    });
  }

  async listEvents(watchId: WatchId, query: ZoneEventQuery): Promise<ZoneEvent[]> {
    let select = this.#events(watchId)
      .where('occurred_at', '>=', toMillis(query.from))
      .where('occurred_at', '<', toMillis(query.to));
    if (query.zoneId !== undefined) select = select.where('zone_id', '=', query.zoneId);
    const rows = await select
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .execute();
    return rows.map(toEvent);
  }

  async lastEventBefore(
    watchId: WatchId,
    zoneId: ZoneId,
    before: Date,
  ): Promise<ZoneEvent | undefined> {
    const row = await this.#events(watchId)
      .where('zone_id', '=', zoneId)
      .where('occurred_at', '<', toMillis(before))
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toEvent(row);
  }

  async isZoneOnly(watchId: WatchId): Promise<boolean> {
    const row = await this.#db
      .selectFrom('watch_settings')
      .select('is_zone_only')
      .where('watch_id', '=', watchId)
      .executeTakeFirst();
    return row?.is_zone_only === 1;
  }

  async zoneOnlyWatches(): Promise<WatchId[]> {
    const rows = await this.#db
      .selectFrom('watch_settings')
      .select('watch_id')
      .where('is_zone_only', '=', 1)
      .execute();
    return rows.map((row) => row.watch_id);
  }

  async setZoneOnly(watchId: WatchId, isZoneOnly: boolean, at: Date): Promise<void> {
    const values = { is_zone_only: isZoneOnly ? 1 : 0, updated_at: toMillis(at) };
    await this.#db
      .insertInto('watch_settings')
      .values({ watch_id: watchId, ...values })
      .onConflict((oc) => oc.column('watch_id').doUpdateSet(values))
      .execute();
  }

  #events(watchId: WatchId) {
    return this.#db
      .selectFrom('zone_events')
      .select(['id', 'watch_id', 'zone_id', 'kind', 'occurred_at', 'is_buffered'])
      .where('watch_id', '=', watchId);
  }

  async #zone(row: ZoneRow): Promise<Zone> {
    const text = new TextDecoder().decode(await this.#cipher.open(row.watch_id, row.sealed));
    const sealed = JSON.parse(text) as SealedZone;
    return {
      id: row.id,
      watchId: row.watch_id,
      name: sealed.name,
      shape: sealed.shape,
      expectations: sealed.expectations,
      createdAt: fromMillis(row.created_at),
      updatedAt: fromMillis(row.updated_at),
    };
  }

  #seal(zone: Zone): Promise<Uint8Array> {
    const value: SealedZone = {
      name: zone.name,
      shape: zone.shape,
      expectations: zone.expectations,
    };
    return this.#cipher.seal(zone.watchId, new TextEncoder().encode(JSON.stringify(value)));
  }
}

function toEvent(row: {
  id: number;
  watch_id: string;
  zone_id: string;
  kind: string;
  occurred_at: number;
  is_buffered: number;
}): ZoneEvent {
  return {
    id: row.id,
    watchId: row.watch_id,
    zoneId: row.zone_id,
    kind: row.kind === 'enter' ? 'enter' : 'leave',
    at: fromMillis(row.occurred_at),
    isBuffered: row.is_buffered === 1,
  };
}
