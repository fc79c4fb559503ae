import {
  alarmProblem,
  isAlarmKind,
  isPositionSource,
  type AlarmRecord,
  type AlarmRepository,
  type FieldCipher,
  type NewAlarm,
  type NewAlert,
  type RecordedAlarm,
  type WatchId,
} from '@kinwatch/core';
import type { Selectable } from 'kysely';
import type { AlarmsTable, Db } from './database.ts';
import { insertRaisedAlert, sealAlert } from './alert.repository.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { decodePositionFields, encodePositionFields } from './position-fields.ts';
import { checkLimit, joinNames, knownValue, splitNames } from './stored-value.ts';

/**
 * Alarms, each committed on its own with the alerts it raises; coordinates and accuracy sealed
 * like positions', the alerts' locations and details like other alerts'.
 */
export class SqlAlarmRepository implements AlarmRepository {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async record(alarm: NewAlarm, alerts: readonly NewAlert[] = []): Promise<RecordedAlarm> {
    const problem = alarmProblem(alarm);
    if (problem !== undefined) {
      throw new RangeError(`alarm of watch ${alarm.watchId} not stored: ${problem}`);
    }
    const foreign = alerts.find((alert) => alert.watchId !== alarm.watchId);
    if (foreign !== undefined) {
      throw new RangeError(
        `alarm of watch ${alarm.watchId} not stored: an alert of watch ${foreign.watchId} with it`,
      );
    }
    // Everything is sealed before the transaction: nothing in it waits for a key.
    const sealed = await this.#cipher.seal(
      alarm.watchId,
      encodePositionFields({ ...alarm, speedKmh: null, courseDegrees: null, altitudeMeters: null }),
    );
    const sealedAlerts = await Promise.all(
      alerts.map(async (alert) => ({ alert, sealed: await sealAlert(this.#cipher, alert) })),
    );
    // One transaction for the alarm and its alerts: durable, all of it, when it resolves.
    return this.#db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('alarms')
        .values({
          watch_id: alarm.watchId,
          kinds: joinNames(alarm.kinds),
          recorded_at: toMillis(alarm.recordedAt),
          received_at: toMillis(alarm.receivedAt),
          source: alarm.source,
          sealed,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const events = [];
      for (const { alert, sealed: sealedAlert } of sealedAlerts) {
        events.push(await insertRaisedAlert(trx, alert, sealedAlert, id));
      }
      const stored: AlarmRecord = {
        id,
        watchId: alarm.watchId,
        kinds: [...alarm.kinds],
        recordedAt: alarm.recordedAt,
        receivedAt: alarm.receivedAt,
        source: alarm.source,
        latitude: alarm.latitude,
        longitude: alarm.longitude,
        accuracyMeters: alarm.accuracyMeters,
      };
      return { alarm: stored, alerts: events };
    });
  }

  async list(watchId: WatchId, limit: number): Promise<AlarmRecord[]> {
    const rows = await this.#db
      .selectFrom('alarms')
      .selectAll()
      .where('watch_id', '=', watchId)
      .orderBy('id', 'desc')
      .limit(checkLimit(limit))
      .execute();
    return Promise.all(rows.map((row) => this.#fromRow(row)));
  }

  async #fromRow(row: Selectable<AlarmsTable>): Promise<AlarmRecord> {
    const fields = decodePositionFields(await this.#cipher.open(row.watch_id, row.sealed));
    return {
      id: row.id,
      watchId: row.watch_id,
      kinds: splitNames(row.kinds, isAlarmKind, 'alarm kind'),
      recordedAt: fromMillis(row.recorded_at),
      receivedAt: fromMillis(row.received_at),
      source: knownValue(row.source, isPositionSource, 'position source'),
      latitude: fields.latitude,
      longitude: fields.longitude,
      accuracyMeters: fields.accuracyMeters,
    };
  }
}
