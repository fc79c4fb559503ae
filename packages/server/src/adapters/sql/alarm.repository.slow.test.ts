import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataKeyUnavailableError, type NewAlarm, type WatchId } from '@kinwatch/core';
import { SqlAlarmRepository } from './alarm.repository.ts';
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

describeOnEachDatabase('AlarmRepository', (context) => {
  const setup = async () => {
    const { db, cipher } = context();
    const watches = new SqlWatchRepository(db, cipher);
    await watches.provision(['8800000015'], T0);
    const watch = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    return { alarms: new SqlAlarmRepository(db, cipher), watchId: watch.id };
  };

  test('records an alarm and lists it back, newest first', async () => {
    const { alarms, watchId } = await setup();
    const first = await alarms.record(sos(watchId));
    const second = await alarms.record(
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
    const recorded = await alarms.record(sos(watchId));
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

  test('refuses malformed alarms', async () => {
    const { alarms, watchId } = await setup();
    await assert.rejects(alarms.record(sos(watchId, { kinds: [] })), RangeError);
    await assert.rejects(alarms.record(sos(watchId, { kinds: ['sos', 'sos'] })), RangeError);
    await assert.rejects(alarms.record(sos(watchId, { latitude: -91 })), RangeError);
    assert.deepEqual(await alarms.list(watchId, 10), []);
  });

  test('alarms of a watch whose key is destroyed cannot be read', async () => {
    const { alarms, watchId } = await setup();
    await alarms.record(sos(watchId));
    await context().cipher.destroyKey(watchId);
    await assert.rejects(alarms.list(watchId, 10), DataKeyUnavailableError);
  });
});
