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
import { executeLinked, insertedIdOf } from './atomic-statements.ts';
import { idAt, raisedAlertEvent, raisedAlertStatements, sealAlert } from './alert.repository.ts';
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
    const statements = [
      this.#db
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
        .compile(),
      ...sealedAlerts.flatMap(({ alert, sealed: sealedAlert }, index) =>
        raisedAlertStatements(this.#db, alert, sealedAlert, 1 + 2 * index, insertedIdOf(0)),
      ),
    ];
    // One transaction, durable when it resolves. Urgent: the watch's acknowledgement and the
    // guardians wait for it, so it goes before position batches the writer thread has queued.
    const ids = await executeLinked(this.#db, statements, { urgent: true });
    const id = idAt(ids[0]);
    return {
      alarm: {
        id,
        watchId: alarm.watchId,
        kinds: [...alarm.kinds],
        recordedAt: alarm.recordedAt,
        receivedAt: alarm.receivedAt,
        source: alarm.source,
        latitude: alarm.latitude,
        longitude: alarm.longitude,
        accuracyMeters: alarm.accuracyMeters,
      },
      alerts: sealedAlerts.map(({ alert }, index) =>
        raisedAlertEvent(alert, idAt(ids[1 + 2 * index]), idAt(ids[2 + 2 * index]), id),
      ),
    };
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
