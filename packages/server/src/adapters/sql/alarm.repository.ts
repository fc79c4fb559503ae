import {
  alarmProblem,
  isAlarmKind,
  isPositionSource,
  type AlarmRecord,
  type AlarmRepository,
  type FieldCipher,
  type NewAlarm,
  type WatchId,
} from '@kinwatch/core';
import type { Selectable } from 'kysely';
import type { AlarmsTable, Db } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { decodePositionFields, encodePositionFields } from './position-fields.ts';
import { checkLimit, joinNames, knownValue, splitNames } from './stored-value.ts';

/** Alarms, each committed on its own; coordinates and accuracy sealed like positions'. */
export class SqlAlarmRepository implements AlarmRepository {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async record(alarm: NewAlarm): Promise<AlarmRecord> {
    const problem = alarmProblem(alarm);
    if (problem !== undefined) {
      throw new RangeError(`alarm of watch ${alarm.watchId} not stored: ${problem}`);
    }
    const sealed = await this.#cipher.seal(
      alarm.watchId,
      encodePositionFields({ ...alarm, speedKmh: null, courseDegrees: null, altitudeMeters: null }),
    );
    // A single statement commits on its own on both databases: durable when it returns.
    const { id } = await this.#db
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
    return {
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
