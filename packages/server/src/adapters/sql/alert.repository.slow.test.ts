import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqlAccountRepository } from './account.repository.ts';
import { SqlAlertRepository } from './alert.repository.ts';
import { SqlGuardianRepository } from './guardian.repository.ts';
import { describeOnEachDatabase } from './sql-test-support.ts';
import { SqlWatchRepository } from './watch.repository.ts';

const T0 = new Date('2026-03-01T08:00:00.000Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describeOnEachDatabase('AlertRepository', (context) => {
  async function setUp() {
    const { db, cipher } = context();
    const watches = new SqlWatchRepository(db, cipher);
    await watches.provision(['8800000001', '8800000002'], T0);
    const one = await watches.findByDeviceId('8800000001');
    const two = await watches.findByDeviceId('8800000002');
    assert.ok(one && two);
    return { alerts: new SqlAlertRepository(db, cipher), one: one.id, two: two.id, watches };
  }

  const sos = (watchId: string, at = T0) => ({
    watchId,
    kind: 'sos' as const,
    raisedAt: at,
    recordedAt: at,
    location: { latitude: 51.5, longitude: -0.12, accuracyMeters: 8, source: 'gps' },
    details: { alarmId: 3 },
  });

  test('stores alerts sealed, lists them newest first per watch', async () => {
    const { alerts, one, two } = await setUp();
    const first = await alerts.create(sos(one));
    await alerts.create(sos(two));
    const second = await alerts.create({ ...sos(one, later(1)), kind: 'fall' });
    assert.ok(second.eventId > first.eventId);
    assert.deepEqual(
      (await alerts.list(one, { limit: 10 })).map((a) => a.kind),
      ['fall', 'sos'],
    );
    assert.deepEqual(
      (await alerts.list(one, { beforeId: second.alert.id, limit: 10 })).map((a) => a.id),
      [first.alert.id],
    );
    assert.deepEqual((await alerts.find(one, first.alert.id))?.location, sos(one).location);
    const row = await context().db.selectFrom('alerts').select('sealed').executeTakeFirstOrThrow();
    assert.ok(!Buffer.from(row.sealed).toString('latin1').includes('51.5'));
  });

  test('the first acknowledgement wins and is an event; repeats are events', async () => {
    const { alerts, one } = await setUp();
    const raised = await alerts.create(sos(one));
    const repeat = await alerts.recordRepeat(raised.alert, later(1));
    const ack = await alerts.acknowledge(one, raised.alert.id, 'dad', later(2));
    assert.ok(ack !== undefined);
    assert.equal(ack.alert.acknowledgedBy, 'dad');
    assert.equal(await alerts.acknowledge(one, raised.alert.id, 'mum', later(3)), undefined);
    assert.deepEqual(
      (await alerts.eventsAfter([one], raised.eventId - 1, 10)).map((e) => [e.eventId, e.type]),
      [
        [raised.eventId, 'raised'],
        [repeat.eventId, 'repeated'],
        [ack.eventId, 'acknowledged'],
      ],
    );
    assert.equal(await alerts.lastEventId([one]), ack.eventId);
    assert.deepEqual(await alerts.listOpen(['sos'], T0), []);
    assert.equal(await alerts.findOpen(one, 'sos'), undefined);
  });

  test('events after an id are only those of the watches asked for', async () => {
    const { alerts, one, two } = await setUp();
    await alerts.create(sos(one));
    const theirs = await alerts.create(sos(two));
    assert.deepEqual(
      (await alerts.eventsAfter([two], 0, 10)).map((e) => e.eventId),
      [theirs.eventId],
    );
    assert.deepEqual(await alerts.eventsAfter([], 0, 10), []);
  });

  test('silent watches are the bound ones not heard from since the time given', async () => {
    const { alerts, one, two } = await setUp();
    const { db, cipher } = context();
    await new SqlAccountRepository(db).create({ id: 'mum', phone: '+12025550101', createdAt: T0 });
    await new SqlGuardianRepository(db, cipher).bind(
      one,
      'mum',
      { name: 'Mia', birthDate: null, watchPhone: null, avatarImageId: null },
      T0,
    );
    for (const watchId of [one, two]) {
      await db
        .updateTable('watches')
        .set({ last_seen_at: T0.getTime() })
        .where('id', '=', watchId)
        .execute();
    }
    assert.deepEqual(
      (await alerts.silentWatches(later(30))).map((s) => s.watchId),
      [one],
    );
    assert.deepEqual(await alerts.silentWatches(T0), []);
  });
});
