import {
  isDeviceId,
  type DeviceId,
  type FieldCipher,
  type KnownWatch,
  type NewSecurityEvent,
  type ProvisionResult,
  type SecurityEvent,
  type UnknownWatchSighting,
  type Watch,
  type WatchActivity,
  type WatchConnection,
  type WatchId,
  type WatchIdentityReport,
  type WatchRepository,
  type WatchStatus,
  type WatchStatusUpdate,
} from '@kinwatch/core';
import type { Updateable } from 'kysely';
import { executeAtomically } from './atomic-statements.ts';
import type { Db, WatchesTable } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { chunks, rowsPerInsert } from './sql-flavour.ts';
import { checkLimit } from './stored-value.ts';
import {
  connectionUpdates,
  mergeActivity,
  statusUpserts,
  upsertStatuses,
} from './watch-activity-writes.ts';
import { newWatchId, securityEventFromRow, watchFromRow } from './watch-rows.ts';

export class SqlWatchRepository implements WatchRepository {
  readonly #db: Db;
  readonly #cipher: Pick<FieldCipher, 'destroyKey'>;

  /** `cipher` destroys a removed watch's data key. */
  constructor(db: Db, cipher: Pick<FieldCipher, 'destroyKey'>) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async provision(deviceIds: readonly DeviceId[], at: Date): Promise<ProvisionResult> {
    const unique = [...new Set(deviceIds)];
    const invalid = unique.find((deviceId) => !isDeviceId(deviceId));
    if (invalid !== undefined) {
      throw new RangeError(`${JSON.stringify(invalid)} is not a device id (5 to 20 digits)`);
    }
    const provisionedAt = toMillis(at);
    let created = 0;
    await this.#db.transaction().execute(async (trx) => {
      for (const chunk of chunks(unique, rowsPerInsert(3))) {
        const inserted = await trx
          .insertInto('watches')
          .values(
            chunk.map((deviceId) => ({
              id: newWatchId(),
              device_id: deviceId,
              provisioned_at: provisionedAt,
            })),
          )
          .onConflict((oc) => oc.column('device_id').doNothing())
          .returning('device_id')
          .execute();
        created += inserted.length;
        if (inserted.length === 0) continue;
        await adoptSightings(
          trx,
          inserted.map((row) => row.device_id),
        );
      }
    });
    return { created, existing: unique.length - created };
  }

  async findById(watchId: WatchId): Promise<Watch | undefined> {
    const row = await this.#db
      .selectFrom('watches')
      .selectAll()
      .where('id', '=', watchId)
      .executeTakeFirst();
    return row === undefined ? undefined : watchFromRow(row);
  }

  async findByDeviceId(deviceId: DeviceId): Promise<Watch | undefined> {
    const row = await this.#db
      .selectFrom('watches')
      .selectAll()
      .where('device_id', '=', deviceId)
      .executeTakeFirst();
    return row === undefined ? undefined : watchFromRow(row);
  }

  async listKnown(): Promise<KnownWatch[]> {
    const rows = await this.#db
      .selectFrom('watches')
      .select(['id', 'device_id', 'imei', 'iccid'])
      .execute();
    return rows.map((row) => ({
      id: row.id,
      deviceId: row.device_id,
      imei: row.imei,
      iccid: row.iccid,
    }));
  }

  async recordConnection(watchId: WatchId, connection: WatchConnection): Promise<void> {
    const at = toMillis(connection.at);
    await this.#db
      .updateTable('watches')
      .set((eb) => ({
        first_seen_at: eb.fn.coalesce('first_seen_at', eb.val(at)),
        last_seen_at: at,
        last_address: connection.address,
        vendor: connection.vendor,
      }))
      .where('id', '=', watchId)
      .execute();
  }

  async recordIdentity(watchId: WatchId, report: WatchIdentityReport): Promise<void> {
    const changes: Updateable<WatchesTable> = {};
    if (report.imei !== undefined) changes.imei = report.imei;
    if (report.iccid !== undefined) changes.iccid = report.iccid;
    if (Object.keys(changes).length === 0) return;
    await this.#db.updateTable('watches').set(changes).where('id', '=', watchId).execute();
  }

  async setPossibleClone(watchId: WatchId, isPossibleClone: boolean): Promise<void> {
    await this.#db
      .updateTable('watches')
      .set({ is_possible_clone: isPossibleClone ? 1 : 0 })
      .where('id', '=', watchId)
      .execute();
  }

  async recordSighting(deviceId: DeviceId, address: string, at: Date): Promise<void> {
    if (!isDeviceId(deviceId)) {
      throw new RangeError(`${JSON.stringify(deviceId)} is not a device id (5 to 20 digits)`);
    }
    const millis = toMillis(at);
    await this.#db
      .insertInto('unknown_watch_sightings')
      .values({
        device_id: deviceId,
        first_seen_at: millis,
        last_seen_at: millis,
        last_address: address,
        sightings: 1,
      })
      .onConflict((oc) =>
        oc.column('device_id').doUpdateSet((eb) => ({
          last_seen_at: eb.ref('excluded.last_seen_at'),
          last_address: eb.ref('excluded.last_address'),
          sightings: eb('unknown_watch_sightings.sightings', '+', 1),
        })),
      )
      .execute();
  }

  async listUnknownSightings(limit: number): Promise<UnknownWatchSighting[]> {
    const rows = await this.#db
      .selectFrom('unknown_watch_sightings')
      .selectAll()
      .orderBy('last_seen_at', 'desc')
      .orderBy('device_id', 'asc')
      .limit(checkLimit(limit))
      .execute();
    return rows.map((row) => ({
      deviceId: row.device_id,
      firstSeenAt: fromMillis(row.first_seen_at),
      lastSeenAt: fromMillis(row.last_seen_at),
      lastAddress: row.last_address,
      sightings: row.sightings,
    }));
  }

  async updateStatus(watchId: WatchId, update: WatchStatusUpdate): Promise<void> {
    await upsertStatuses(this.#db, [[watchId, update]]);
  }

  async recordActivity(batch: readonly WatchActivity[]): Promise<void> {
    const merged = mergeActivity(batch);
    if (merged.size === 0) return;
    const statuses: [WatchId, WatchStatusUpdate][] = [];
    const connections: [WatchId, WatchConnection][] = [];
    for (const entry of merged.values()) {
      if (entry.status !== undefined) statuses.push([entry.watchId, entry.status]);
      if (entry.connection !== undefined) connections.push([entry.watchId, entry.connection]);
    }
    // A bulk write: on a SQLite file it goes to the writer thread as one message.
    await executeAtomically(this.#db, [
      ...statusUpserts(this.#db, statuses),
      ...connectionUpdates(this.#db, connections),
    ]);
  }

  async getStatus(watchId: WatchId): Promise<WatchStatus | undefined> {
    const row = await this.#db
      .selectFrom('watch_status')
      .selectAll()
      .where('watch_id', '=', watchId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      batteryPercent: row.battery_percent,
      gsmSignalPercent: row.gsm_signal_percent,
      steps: row.steps,
      alarmBits: row.alarm_bits,
      stateBits: row.state_bits,
      isOnline: row.is_online === 1,
      updatedAt: fromMillis(row.updated_at),
    };
  }

  async recordSecurityEvent(event: NewSecurityEvent): Promise<SecurityEvent> {
    const { id } = await this.#db
      .insertInto('security_events')
      .values({
        watch_id: event.watchId,
        device_id: event.deviceId,
        kind: event.kind,
        details: JSON.stringify(event.details),
        occurred_at: toMillis(event.occurredAt),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...event, id, details: { ...event.details } };
  }

  async listSecurityEvents(query: {
    readonly watchId?: WatchId;
    readonly deviceId?: DeviceId;
    readonly limit: number;
  }): Promise<SecurityEvent[]> {
    let select = this.#db.selectFrom('security_events').selectAll();
    if (query.watchId !== undefined) select = select.where('watch_id', '=', query.watchId);
    if (query.deviceId !== undefined) select = select.where('device_id', '=', query.deviceId);
    const rows = await select.orderBy('id', 'desc').limit(checkLimit(query.limit)).execute();
    return rows.map(securityEventFromRow);
  }

  async remove(watchId: WatchId): Promise<boolean> {
    // Key first: if deleting the rows then fails, what is left is already unreadable.
    await this.#cipher.destroyKey(watchId);
    // Status, positions, alarms, commands, twin and security events go by ON DELETE CASCADE.
    const result = await this.#db
      .deleteFrom('watches')
      .where('id', '=', watchId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

/**
 * An id seen before it was provisioned keeps its first/last seen and address on its new watch,
 * and is no longer listed as unknown.
 */
async function adoptSightings(trx: Db, deviceIds: readonly DeviceId[]): Promise<void> {
  await trx
    .updateTable('watches')
    .set((eb) => {
      const sighting = eb
        .selectFrom('unknown_watch_sightings as s')
        .whereRef('s.device_id', '=', 'watches.device_id');
      return {
        first_seen_at: sighting.select('s.first_seen_at'),
        last_seen_at: sighting.select('s.last_seen_at'),
        last_address: sighting.select('s.last_address'),
      };
    })
    .where('device_id', 'in', deviceIds)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('unknown_watch_sightings as s')
          .select('s.device_id')
          .whereRef('s.device_id', '=', 'watches.device_id'),
      ),
    )
    .execute();
  await trx.deleteFrom('unknown_watch_sightings').where('device_id', 'in', deviceIds).execute();
}
