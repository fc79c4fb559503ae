import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DataKeyUnavailableError,
  type AlertKind,
  type NewAlarm,
  type NewAlert,
  type WatchId,
} from '@kinwatch/core';
import { SqlAlarmRepository } from './alarm.repository.ts';
import { SqlAlertRepository } from './alert.repository.ts';
import { describeOnEachDatabase } from './sql-test-support.ts';
import { SqlWatchRepository } from './watch.repository.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');

function sos(watchId: WatchId, overrides: Partial<NewAlarm> = {}): NewAlarm {
  return {
    watchId,
    kinds: ['sos'],
    recordedAt: T0,
    receivedAt: new Date(T0.getTime() + 1500),
    source: 'gps',
    latitude: -33.856784,
    longitude: 151.215297,
    accuracyMeters: 12,
    ...overrides,
  };
}

function alertOf(alarm: NewAlarm, kind: AlertKind): NewAlert {
  return {
    watchId: alarm.watchId,
    kind,
    raisedAt: alarm.receivedAt,
    recordedAt: alarm.recordedAt,
    location: { latitude: -33.856784, longitude: 151.215297, accuracyMeters: 12, source: 'gps' },
    details: {},
  };
}

describeOnEachDatabase('AlarmRepository', (context) => {
  const setup = async () => {
    const { db, cipher } = context();
    const watches = new SqlWatchRepository(db, cipher);
    await watches.provision(['8800000015'], T0);
    const watch = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    return {
      alarms: new SqlAlarmRepository(db, cipher),
      alerts: new SqlAlertRepository(db, cipher),
      watchId: watch.id,
    };
  };

  test('records an alarm and lists it back, newest first', async () => {
    const { alarms, watchId } = await setup();
    const { alarm: first, alerts } = await alarms.record(sos(watchId));
    assert.deepEqual(alerts, [], 'no alert asked for, none stored');
    const { alarm: second } = await alarms.record(
      sos(watchId, {
        kinds: ['removed', 'lowBattery'],
        source: 'none',
        latitude: null,
        longitude: null,
        accuracyMeters: null,
      }),
    );
    assert.ok(second.id > first.id);
    assert.deepEqual(await alarms.list(watchId, 10), [second, first]);
    assert.deepEqual(first, { ...sos(watchId), id: first.id });
    assert.deepEqual(await alarms.list(watchId, 1), [second]);
  });

  test('the alarm is committed when record resolves, not held in a transaction', async () => {
    const { alarms, watchId } = await setup();
    const { alarm: recorded } = await alarms.record(sos(watchId));
    // On PostgreSQL this count may run on another pooled connection, which sees only
    // committed rows.
    const { count } = await context()
      .db.selectFrom('alarms')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('id', '=', recorded.id)
      .executeTakeFirstOrThrow();
    assert.equal(count, 1);
  });

  test('coordinates are sealed, kinds and times are not', async () => {
    const { alarms, watchId } = await setup();
    await alarms.record(sos(watchId));
    const row = await context().db.selectFrom('alarms').selectAll().executeTakeFirstOrThrow();
    const text = Object.values(row)
      .map((value) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : String(value),
      )
      .join('|');
    assert.ok(text.includes('sos'));
    assert.ok(!text.includes('33.856'));
    assert.ok(!text.includes('151.215'));
    const double = Buffer.alloc(8);
    double.writeDoubleLE(151.215297);
    assert.ok(!Buffer.from(row.sealed).includes(double));
  });

  test('refuses malformed alarms, and alerts of another watch with an alarm', async () => {
    const { alarms, watchId } = await setup();
    const stranger = { ...alertOf(sos(watchId), 'sos'), watchId: 'another-watch' };
    await assert.rejects(
      alarms.record(sos(watchId), [stranger]),
      /an alert of watch another-watch/,
    );
    await assert.rejects(alarms.record(sos(watchId, { kinds: [] })), RangeError);
    await assert.rejects(alarms.record(sos(watchId, { kinds: ['sos', 'sos'] })), RangeError);
    await assert.rejects(alarms.record(sos(watchId, { latitude: -91 })), RangeError);
    assert.deepEqual(await alarms.list(watchId, 10), []);
  });

  test('an alarm and its alerts are stored together, each alert linked to the alarm', async () => {
    const { alarms, alerts, watchId } = await setup();
    const alarm = sos(watchId, { kinds: ['sos', 'fall'] });
    const raised = [alertOf(alarm, 'sos'), alertOf(alarm, 'fall')];
    const recorded = await alarms.record(alarm, raised);
    assert.deepEqual(
      recorded.alerts.map((event) => [event.type, event.alert.kind, event.alert.details]),
      [
        ['raised', 'sos', { alarmId: recorded.alarm.id }],
        ['raised', 'fall', { alarmId: recorded.alarm.id }],
      ],
    );
    const [sosEvent, fallEvent] = recorded.alerts;
    assert.ok(sosEvent !== undefined && fallEvent !== undefined);
    assert.ok(fallEvent.eventId > sosEvent.eventId);
    // Read back through the alert repository: what guardians list and streams replay.
    assert.deepEqual(await alerts.list(watchId, { limit: 10 }), [fallEvent.alert, sosEvent.alert]);
    assert.deepEqual(await alerts.eventsAfter([watchId], 0, 10), recorded.alerts);
    const row = await context().db.selectFrom('alerts').selectAll().executeTakeFirstOrThrow();
    assert.ok(!Buffer.from(row.sealed).toString('latin1').includes('33.856'), 'place sealed');
  });

  test('when the transaction fails, neither the alarm nor any of its alerts is stored', async () => {
    const { alarms, alerts, watchId } = await setup();
    const alarm = sos(watchId);
    // The second alert's time cannot be stored: it fails inside the transaction, after the
    // alarm and the first alert were inserted.
    const broken = { ...alertOf(alarm, 'fall'), raisedAt: new Date(Number.NaN) };
    await assert.rejects(alarms.record(alarm, [alertOf(alarm, 'sos'), broken]), RangeError);
    assert.deepEqual(await alarms.list(watchId, 10), []);
    assert.deepEqual(await alerts.list(watchId, { limit: 10 }), []);
  });

  test('alarms of a watch whose key is destroyed cannot be read', async () => {
    const { alarms, watchId } = await setup();
    await alarms.record(sos(watchId));
    await context().cipher.destroyKey(watchId);
    await assert.rejects(alarms.list(watchId, 10), DataKeyUnavailableError);
  });
});
