import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqlPositionRepository } from './position.repository.ts';
import { describeOnEachDatabase } from './sql-test-support.ts';
import { SqlWatchRepository } from './watch.repository.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describeOnEachDatabase('WatchRepository', (context) => {
  const repository = () => new SqlWatchRepository(context().db, context().cipher);

  test('provisions new ids, and provisioning again changes nothing', async () => {
    const watches = repository();
    assert.deepEqual(await watches.provision(['8800000015', '8800000016', '8800000015'], T0), {
      created: 2,
      existing: 0,
    });
    const first = await watches.findByDeviceId('8800000015');
    assert.deepEqual(await watches.provision(['8800000015', '8800000017'], later(60)), {
      created: 1,
      existing: 1,
    });
    const again = await watches.findByDeviceId('8800000015');
    assert.deepEqual(again, first);
    assert.equal(again?.provisionedAt.getTime(), T0.getTime());
  });

  test('a new watch has an opaque random id and nothing seen yet', async () => {
    const watches = repository();
    await watches.provision(['8800000015', '8800000016'], T0);
    const a = await watches.findByDeviceId('8800000015');
    const b = await watches.findByDeviceId('8800000016');
    assert.ok(a !== undefined && b !== undefined);
    assert.notEqual(a.id, b.id);
    assert.ok(!a.id.includes('8800000015'));
    assert.match(a.id, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(await watches.findById(a.id), a);
    assert.deepEqual(
      { ...a, id: '' },
      {
        id: '',
        deviceId: '8800000015',
        provisionedAt: T0,
        vendor: null,
        firstSeenAt: null,
        lastSeenAt: null,
        lastAddress: null,
        imei: null,
        iccid: null,
        isPossibleClone: false,
      },
    );
  });

  test('refuses a batch holding anything but a device id, storing none of it', async () => {
    const watches = repository();
    await assert.rejects(watches.provision(['8800000015', '12ab5'], T0), RangeError);
    await assert.rejects(watches.provision(['1234'], T0), RangeError);
    await assert.rejects(watches.provision(['123456789012345678901'], T0), RangeError);
    assert.equal(await watches.findByDeviceId('8800000015'), undefined);
  });

  test('provisions ten thousand ids in one call', async () => {
    const watches = repository();
    const ids = Array.from({ length: 12_000 }, (_, index) => String(7_000_000_000 + index));
    assert.deepEqual(await watches.provision(ids, T0), { created: 12_000, existing: 0 });
    assert.equal((await watches.findByDeviceId('7000011999'))?.deviceId, '7000011999');
  });

  test('unknown ids: first sighting creates, later ones update and count', async () => {
    const watches = repository();
    await watches.recordSighting('9900000001', '203.0.113.7:40001', T0);
    await watches.recordSighting('9900000002', '203.0.113.8:40002', later(5));
    await watches.recordSighting('9900000001', '203.0.113.9:40003', later(10));
    assert.deepEqual(await watches.listUnknownSightings(10), [
      {
        deviceId: '9900000001',
        firstSeenAt: T0,
        lastSeenAt: later(10),
        lastAddress: '203.0.113.9:40003',
        sightings: 2,
      },
      {
        deviceId: '9900000002',
        firstSeenAt: later(5),
        lastSeenAt: later(5),
        lastAddress: '203.0.113.8:40002',
        sightings: 1,
      },
    ]);
    assert.equal((await watches.listUnknownSightings(1)).length, 1);
    await assert.rejects(watches.recordSighting('not-an-id', '203.0.113.7:1', T0), RangeError);
  });

  test('provisioning an id seen before carries its sighting over', async () => {
    const watches = repository();
    await watches.recordSighting('9900000001', '203.0.113.7:40001', T0);
    await watches.recordSighting('9900000001', '203.0.113.7:40002', later(30));
    await watches.provision(['9900000001'], later(60));
    const watch = await watches.findByDeviceId('9900000001');
    assert.deepEqual(watch?.firstSeenAt, T0);
    assert.deepEqual(watch.lastSeenAt, later(30));
    assert.equal(watch.lastAddress, '203.0.113.7:40002');
    assert.deepEqual(await watches.listUnknownSightings(10), []);
  });

  test('records connections and reported identity', async () => {
    const watches = repository();
    await watches.provision(['8800000015'], T0);
    const { id } = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    await watches.recordConnection(id, {
      at: later(1),
      address: '198.51.100.1:5000',
      vendor: '3G',
    });
    await watches.recordConnection(id, {
      at: later(9),
      address: '198.51.100.2:5001',
      vendor: 'SG',
    });
    await watches.recordIdentity(id, { imei: '860000000000015' });
    await watches.recordIdentity(id, { iccid: '89860000000000000015' });
    await watches.setPossibleClone(id, true);
    const watch = await watches.findById(id);
    assert.deepEqual(watch?.firstSeenAt, later(1));
    assert.deepEqual(watch.lastSeenAt, later(9));
    assert.equal(watch.lastAddress, '198.51.100.2:5001');
    assert.equal(watch.vendor, 'SG');
    assert.equal(watch.imei, '860000000000015');
    assert.equal(watch.iccid, '89860000000000000015');
    assert.equal(watch.isPossibleClone, true);
    await watches.setPossibleClone(id, false);
    assert.equal((await watches.findById(id))?.isPossibleClone, false);
  });

  test('status: fields not named in an update keep their value', async () => {
    const watches = repository();
    await watches.provision(['8800000015'], T0);
    const { id } = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    assert.equal(await watches.getStatus(id), undefined);
    await watches.updateStatus(id, {
      batteryPercent: 80,
      gsmSignalPercent: 60,
      steps: 1200,
      alarmBits: 1 << 16,
      stateBits: 0b1001,
      isOnline: true,
      updatedAt: later(1),
    });
    await watches.updateStatus(id, { batteryPercent: 79, steps: 1300, updatedAt: later(2) });
    assert.deepEqual(await watches.getStatus(id), {
      batteryPercent: 79,
      gsmSignalPercent: 60,
      steps: 1300,
      alarmBits: 1 << 16,
      stateBits: 0b1001,
      isOnline: true,
      updatedAt: later(2),
    });
    await watches.updateStatus(id, { isOnline: false, alarmBits: null, updatedAt: later(3) });
    const status = await watches.getStatus(id);
    assert.equal(status?.isOnline, false);
    assert.equal(status.alarmBits, null);
    assert.equal(status.batteryPercent, 79);
  });

  test('activity: many statuses and connections in one call, each as named', async () => {
    const watches = repository();
    const ids = Array.from({ length: 1_200 }, (_, index) => String(8_800_100_000 + index));
    await watches.provision(ids, T0);
    const known = await watches.listKnown();
    assert.equal(known.length, 1_200);
    const byDevice = new Map(known.map((watch) => [watch.deviceId, watch]));
    const [a, b, c] = ids.map((deviceId) => byDevice.get(deviceId)?.id ?? assert.fail());
    assert.ok(a !== undefined && b !== undefined && c !== undefined);
    await watches.updateStatus(b, {
      batteryPercent: 80,
      gsmSignalPercent: 60,
      alarmBits: 1 << 16,
      isOnline: true,
      updatedAt: later(1),
    });
    await watches.recordConnection(c, { at: later(1), address: '198.51.100.9:7000', vendor: '3G' });
    await watches.recordActivity([
      // Every watch: online, connected; the first and second with more, in other shapes.
      ...known.map((watch) => ({
        watchId: watch.id,
        status: { isOnline: true, updatedAt: later(5) },
        connection: { at: later(5), address: '198.51.100.1:5000', vendor: 'SG' },
      })),
      { watchId: a, status: { batteryPercent: 42, steps: 900, updatedAt: later(6) } },
      { watchId: b, status: { alarmBits: null, steps: 10, updatedAt: later(7) } },
      { watchId: c, connection: { at: later(8), address: '203.0.113.4:6000', vendor: '3G' } },
    ]);
    assert.deepEqual(await watches.getStatus(a), {
      batteryPercent: 42,
      gsmSignalPercent: null,
      steps: 900,
      alarmBits: null,
      stateBits: null,
      isOnline: true,
      updatedAt: later(6),
    });
    assert.deepEqual(await watches.getStatus(b), {
      batteryPercent: 80,
      gsmSignalPercent: 60,
      steps: 10,
      alarmBits: null,
      stateBits: null,
      isOnline: true,
      updatedAt: later(7),
    });
    const first = await watches.findById(a);
    assert.deepEqual(first?.firstSeenAt, later(5));
    assert.deepEqual(first.lastSeenAt, later(5));
    assert.equal(first.lastAddress, '198.51.100.1:5000');
    assert.equal(first.vendor, 'SG');
    const third = await watches.findById(c);
    assert.deepEqual(third?.firstSeenAt, later(1), 'first seen is kept');
    assert.deepEqual(third.lastSeenAt, later(8), 'the later entry of a watch wins');
    assert.equal(third.lastAddress, '203.0.113.4:6000');
    const last = byDevice.get('8800101199')?.id ?? assert.fail();
    assert.equal((await watches.getStatus(last))?.isOnline, true);
    await watches.recordActivity([]);
  });

  test('activity: a batch naming a removed watch writes nothing', async () => {
    const watches = repository();
    await watches.provision(['8800000015'], T0);
    const { id } = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    await assert.rejects(
      watches.recordActivity([
        {
          watchId: id,
          status: { batteryPercent: 50, updatedAt: later(1) },
          connection: { at: later(1), address: '198.51.100.1:5000', vendor: '3G' },
        },
        { watchId: 'no-such-watch', status: { isOnline: true, updatedAt: later(1) } },
      ]),
    );
    assert.equal(await watches.getStatus(id), undefined);
    assert.equal((await watches.findById(id))?.lastSeenAt, null);
  });

  test('listKnown gives id, device id and reported identity of every watch', async () => {
    const watches = repository();
    assert.deepEqual(await watches.listKnown(), []);
    await watches.provision(['8800000015', '8800000016'], T0);
    const { id } = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    await watches.recordIdentity(id, { imei: '860000000000015' });
    const known = (await watches.listKnown()).sort((x, y) => x.deviceId.localeCompare(y.deviceId));
    assert.deepEqual(known[0], {
      id,
      deviceId: '8800000015',
      imei: '860000000000015',
      iccid: null,
    });
    assert.equal(known[1]?.deviceId, '8800000016');
    assert.equal(known.length, 2);
  });

  test('security events: stored with details, listed newest first, filtered', async () => {
    const watches = repository();
    await watches.provision(['8800000015'], T0);
    const { id } = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    const first = await watches.recordSecurityEvent({
      watchId: id,
      deviceId: '8800000015',
      kind: 'possibleClone',
      details: { firstAddress: '198.51.100.1:5000', secondAddress: '203.0.113.5:6000' },
      occurredAt: later(1),
    });
    await watches.recordSecurityEvent({
      watchId: null,
      deviceId: '9900000001',
      kind: 'possibleClone',
      details: { secondAddress: '203.0.113.6:6001' },
      occurredAt: later(2),
    });
    const third = await watches.recordSecurityEvent({
      watchId: id,
      deviceId: '8800000015',
      kind: 'identityChanged',
      details: { previousImei: '860000000000015', imei: '860000000000099', isDualSim: false },
      occurredAt: later(3),
    });
    assert.ok(third.id > first.id);
    assert.deepEqual(await watches.listSecurityEvents({ watchId: id, limit: 10 }), [third, first]);
    const unknown = await watches.listSecurityEvents({ deviceId: '9900000001', limit: 10 });
    assert.equal(unknown.length, 1);
    assert.equal(unknown[0]?.watchId, null);
    assert.equal((await watches.listSecurityEvents({ limit: 2 })).length, 2);
  });

  test('remove destroys the data key first and deletes everything of the watch', async () => {
    const { db, cipher } = context();
    const watches = repository();
    await watches.provision(['8800000015', '8800000016'], T0);
    const gone = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    const kept = (await watches.findByDeviceId('8800000016')) ?? assert.fail();
    const positions = new SqlPositionRepository(db, cipher);
    const fix = {
      recordedAt: T0,
      receivedAt: T0,
      source: 'gps' as const,
      latitude: 1,
      longitude: 2,
      accuracyMeters: 5,
      speedKmh: 0,
      courseDegrees: 0,
      altitudeMeters: 0,
      isBuffered: false,
      flags: [],
    };
    await positions.appendBatch([
      { ...fix, watchId: gone.id },
      { ...fix, watchId: kept.id },
    ]);
    await watches.updateStatus(gone.id, { batteryPercent: 50, updatedAt: T0 });
    await watches.recordSecurityEvent({
      watchId: gone.id,
      deviceId: gone.deviceId,
      kind: 'possibleClone',
      details: {},
      occurredAt: T0,
    });

    assert.equal(await watches.remove(gone.id), true);
    assert.deepEqual(cipher.destroyed, [gone.id]);
    assert.equal(await watches.findById(gone.id), undefined);
    assert.equal(await watches.getStatus(gone.id), undefined);
    assert.equal(await positions.count(gone.id), 0);
    assert.deepEqual(await watches.listSecurityEvents({ watchId: gone.id, limit: 10 }), []);
    assert.equal(await positions.count(kept.id), 1);
    assert.equal((await positions.latest(kept.id))?.latitude, 1);
    assert.equal(await watches.remove(gone.id), false);
  });

  test('remove keeps the rows when the key cannot be destroyed', async () => {
    const { db } = context();
    const failing = {
      destroyKey: () => Promise.reject(new Error('key store unreachable')),
    };
    const watches = new SqlWatchRepository(db, failing);
    await watches.provision(['8800000015'], T0);
    const { id } = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    await assert.rejects(watches.remove(id), /key store unreachable/);
    assert.notEqual(await watches.findById(id), undefined);
  });
});
