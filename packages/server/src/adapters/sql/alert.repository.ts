import type {
  AccountId,
  Alert,
  AlertEvent,
  AlertKind,
  AlertLocation,
  AlertRepository,
  FieldCipher,
  NewAlert,
  WatchId,
} from '@kinwatch/core';
import type { Kysely, Selectable } from 'kysely';
import type { AlertsTable, Database, Db } from './database.ts';
import { fromMillis, fromNullableMillis, toMillis } from './epoch-millis.ts';

/** The sealed part of an alert. */
interface SealedAlert {
  readonly location: AlertLocation | null;
  readonly details: Readonly<Record<string, string | number | null>>;
}

export class SqlAlertRepository implements AlertRepository {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async create(alert: NewAlert): Promise<AlertEvent> {
    const sealed = await sealAlert(this.#cipher, alert);
    return this.#db.transaction().execute((trx) => insertRaisedAlert(trx, alert, sealed, null));
  }

  async list(
    watchId: WatchId,
    query: { readonly beforeId?: number; readonly limit: number },
  ): Promise<Alert[]> {
    let select = this.#db.selectFrom('alerts').selectAll().where('watch_id', '=', watchId);
    if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
    const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
    return Promise.all(rows.map((row) => this.#alert(row)));
  }

  async find(watchId: WatchId, alertId: number): Promise<Alert | undefined> {
    const row = await this.#db
      .selectFrom('alerts')
      .selectAll()
      .where('watch_id', '=', watchId)
      .where('id', '=', alertId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#alert(row);
  }

  async acknowledge(
    watchId: WatchId,
    alertId: number,
    accountId: AccountId,
    at: Date,
  ): Promise<AlertEvent | undefined> {
    const updated = await this.#db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('alerts')
        .set({ acknowledged_at: toMillis(at), acknowledged_by: accountId })
        .where('watch_id', '=', watchId)
        .where('id', '=', alertId)
        .where('acknowledged_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return undefined;
      const row = await trx
        .selectFrom('alerts')
        .selectAll()
        .where('id', '=', alertId)
        .executeTakeFirstOrThrow();
      return { row, eventId: await insertEvent(trx, alertId, watchId, 'acknowledged', at) };
    });
    if (updated === undefined) return undefined;
    return {
      eventId: updated.eventId,
      type: 'acknowledged',
      alert: await this.#alert(updated.row),
      at,
    };
  }

  async recordRepeat(alert: Alert, at: Date): Promise<AlertEvent> {
    return addEvent(this.#db, alert, 'repeated', at);
  }

  async listOpen(kinds: readonly AlertKind[], since: Date): Promise<Alert[]> {
    if (kinds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('alerts')
      .selectAll()
      .where('kind', 'in', kinds)
      .where('acknowledged_at', 'is', null)
      .where('raised_at', '>=', toMillis(since))
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.#alert(row)));
  }

  async eventsAfter(
    watchIds: readonly WatchId[],
    afterEventId: number,
    limit: number,
  ): Promise<AlertEvent[]> {
    if (watchIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('alert_events as e')
      .innerJoin('alerts as a', 'a.id', 'e.alert_id')
      .selectAll('a')
      .select(['e.id as event_id', 'e.type as event_type', 'e.at as event_at'])
      .where('e.watch_id', 'in', watchIds)
      .where('e.id', '>', afterEventId)
      .orderBy('e.id')
      .limit(limit)
      .execute();
    return Promise.all(
      rows.map(async (row) => ({
        eventId: row.event_id,
        type: row.event_type as AlertEvent['type'],
        at: fromMillis(row.event_at),
        alert: await this.#alert(row),
      })),
    );
  }

  async lastEventId(watchIds: readonly WatchId[]): Promise<number> {
    if (watchIds.length === 0) return 0;
    const row = await this.#db
      .selectFrom('alert_events')
      .select((eb) => eb.fn.max('id').as('last'))
      .where('watch_id', 'in', watchIds)
      .executeTakeFirst();
    return row?.last ?? 0;
  }

  async findOpen(watchId: WatchId, kind: AlertKind): Promise<Alert | undefined> {
    const row = await this.#db
      .selectFrom('alerts')
      .selectAll()
      .where('watch_id', '=', watchId)
      .where('kind', '=', kind)
      .where('acknowledged_at', 'is', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#alert(row);
  }

  async silentWatches(
    before: Date,
  ): Promise<{ readonly watchId: WatchId; readonly lastSeenAt: Date }[]> {
    const rows = await this.#db
      .selectFrom('watches as w')
      .select(['w.id', 'w.last_seen_at'])
      .where('w.last_seen_at', '<', toMillis(before))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('guardianships as g')
            .select('g.watch_id')
            .whereRef('g.watch_id', '=', 'w.id'),
        ),
      )
      .execute();
    return rows.flatMap((row) =>
      row.last_seen_at === null
        ? []
        : [{ watchId: row.id, lastSeenAt: fromMillis(row.last_seen_at) }],
    );
  }

  async #alert(row: Selectable<AlertsTable>): Promise<Alert> {
    const opened = JSON.parse(
      new TextDecoder().decode(await this.#cipher.open(row.watch_id, row.sealed)),
    ) as SealedAlert;
    return {
      id: row.id,
      watchId: row.watch_id,
      kind: row.kind as AlertKind,
      raisedAt: fromMillis(row.raised_at),
      recordedAt: fromNullableMillis(row.recorded_at),
      location: opened.location,
      // Alerts raised with their alarm keep its id in the clear; older ones in their details.
      details:
        row.alarm_id === null ? opened.details : { ...opened.details, alarmId: row.alarm_id },
      acknowledgedAt: fromNullableMillis(row.acknowledged_at),
      acknowledgedBy: row.acknowledged_by,
    };
  }
}

/** An alert's location and details sealed with its watch's data key, ready to insert. */
export function sealAlert(cipher: FieldCipher, alert: NewAlert): Promise<Uint8Array> {
  const value: SealedAlert = { location: alert.location, details: alert.details };
  return cipher.seal(alert.watchId, new TextEncoder().encode(JSON.stringify(value)));
}

/**
 * Inserts an alert sealed by `sealAlert` and its `raised` event, inside the caller's
 * transaction; `alarmId` links an alert raised by an alarm stored in the same transaction.
 */
export async function insertRaisedAlert(
  trx: Kysely<Database>,
  alert: NewAlert,
  sealed: Uint8Array,
  alarmId: number | null,
): Promise<AlertEvent> {
  const row = await trx
    .insertInto('alerts')
    .values({
      watch_id: alert.watchId,
      kind: alert.kind,
      raised_at: toMillis(alert.raisedAt),
      recorded_at: alert.recordedAt === null ? null : toMillis(alert.recordedAt),
      sealed,
      alarm_id: alarmId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const details = alarmId === null ? alert.details : { ...alert.details, alarmId };
  const stored: Alert = {
    ...alert,
    details,
    id: row.id,
    acknowledgedAt: null,
    acknowledgedBy: null,
  };
  return addEvent(trx, stored, 'raised', alert.raisedAt);
}

async function insertEvent(
  db: Kysely<Database>,
  alertId: number,
  watchId: WatchId,
  type: AlertEvent['type'],
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('alert_events')
    .values({ alert_id: alertId, watch_id: watchId, type, at: toMillis(at) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function addEvent(
  db: Kysely<Database>,
  alert: Alert,
  type: AlertEvent['type'],
  at: Date,
): Promise<AlertEvent> {
  return { eventId: await insertEvent(db, alert.id, alert.watchId, type, at), type, alert, at };
}
