import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  InMemoryAlarms,
  InMemoryCellTowers,
  InMemoryWifi,
  T0,
  observation,
} from '../testing/position-fakes.ts';
import { RecordingLogger, RecordingMetrics } from '../testing/recording-observability.ts';
import type { NewAlarm } from './alarm.model.ts';
import type { RecordedAlarm } from './alarm.ports.ts';
import { AlarmService } from './alarm.service.ts';
import type { GeoResolver } from './geo-resolver.ports.ts';
import { LocalGeoResolver } from './local-geo-resolver.ts';

const SERVING = { mcc: 262, mnc: 2, lac: 801, cid: 7, isOperatorKnown: true };

async function setUp(resolverOverride?: GeoResolver) {
  const cells = new InMemoryCellTowers();
  await cells.upsertMany([
    {
      ...SERVING,
      radio: 'GSM',
      latitude: 52.53,
      longitude: 13.42,
      rangeMeters: 900,
      samples: 5,
      updatedAt: T0,
    },
  ]);
  const alarms = new InMemoryAlarms();
  const metrics = new RecordingMetrics();
  const resolver = resolverOverride ?? new LocalGeoResolver({ cells, wifi: new InMemoryWifi() });
  const service = new AlarmService({ resolver, alarms, logger: new RecordingLogger(), metrics });
  return { service, alarms, metrics };
}

test('an SOS with a GPS fix is recorded with its place and its alerts, and reported live', async () => {
  const { service, alarms, metrics } = await setUp();
  const raised = await service.raise(observation(), ['sos', 'fall', 'sos']);
  const receivedAt = new Date(T0.getTime() + 2_000);
  const place = { latitude: 52.52, longitude: 13.405, accuracyMeters: 12, source: 'gps' };
  assert.deepEqual(raised.alarm, {
    id: 1,
    watchId: 'w',
    kinds: ['sos', 'fall'],
    recordedAt: T0,
    receivedAt,
    source: 'gps',
    latitude: 52.52,
    longitude: 13.405,
    accuracyMeters: 12,
  });
  assert.equal(raised.isLive, true);
  assert.deepEqual(
    raised.alerts.map(({ alert }) => [
      alert.kind,
      alert.raisedAt,
      alert.recordedAt,
      alert.location,
    ]),
    [
      ['sos', receivedAt, T0, place],
      ['fall', receivedAt, T0, place],
    ],
  );
  assert.deepEqual(
    raised.alerts.map(({ alert }) => alert.details['alarmId']),
    [1, 1],
    'each alert refers to its alarm',
  );
  assert.deepEqual(alarms.records, [raised.alarm]);
  assert.deepEqual(alarms.alerts, raised.alerts);
  assert.equal(metrics.value('kinwatch_alarms_recorded_total', { kind: 'sos', live: 'true' }), 1);
});

test('the watch’s own fence alarms and a general alarm are stored without an alert', async () => {
  const { service, alarms } = await setUp();
  const raised = await service.raise(observation(), ['fenceOut', 'general']);
  assert.deepEqual(raised.alerts, []);
  assert.equal(alarms.records.length, 1);
});

test('raise resolves only after the alarm is committed', async () => {
  let commit: () => void = () => undefined;
  const slow = {
    record: (alarm: NewAlarm) =>
      new Promise<RecordedAlarm>((resolve) => {
        commit = () => {
          resolve({ alarm: { ...alarm, id: 1 }, alerts: [] });
        };
      }),
  };
  const resolver: GeoResolver = { resolve: () => Promise.resolve(undefined) };
  const service = new AlarmService({
    resolver,
    alarms: slow,
    logger: new RecordingLogger(),
    metrics: new RecordingMetrics(),
  });
  let isSettled = false;
  const raising = service.raise(observation(), ['sos']).then(() => {
    isSettled = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(isSettled, false);
  commit();
  await raising;
  assert.equal(isSettled, true);
});

test('without a fix the alarm is placed by its cells, or stored without a place', async () => {
  const { service } = await setUp();
  const byCell = await service.raise(observation({ hasGnssFix: false, cells: [SERVING] }), [
    'removed',
  ]);
  assert.deepEqual([byCell.alarm.source, byCell.alarm.accuracyMeters], ['cell', 900]);
  const broken: GeoResolver = { resolve: () => Promise.reject(new Error('db down')) };
  const { service: blind } = await setUp(broken);
  const nowhere = await blind.raise(observation({ hasGnssFix: false, cells: [SERVING] }), ['sos']);
  assert.deepEqual([nowhere.alarm.source, nowhere.alarm.latitude], ['none', null]);
});

test('a buffered alarm is stored but never live', async () => {
  const { service, alarms } = await setUp();
  const raised = await service.raise(observation({ isBuffered: true }), ['sos']);
  assert.equal(raised.isLive, false);
  assert.equal(alarms.records.length, 1);
  assert.deepEqual(raised.alerts, [], 'buffered history never raises an alert');
  assert.deepEqual(alarms.alerts, []);
});

test('an alarm from a watch with an unreadable clock is stored at its receive time', async () => {
  const { service } = await setUp();
  const raised = await service.raise(observation({ recordedAt: new Date(Number.NaN) }), ['sos']);
  assert.equal(raised.alarm.recordedAt, raised.alarm.receivedAt);
});

test('no kinds is refused; a failed commit rejects so the watch is not acknowledged', async () => {
  const { service, alarms } = await setUp();
  await assert.rejects(service.raise(observation(), []), RangeError);
  alarms.failure = new Error('disk full');
  await assert.rejects(service.raise(observation(), ['sos']), /disk full/);
  assert.equal(alarms.records.length, 0);
  assert.equal(alarms.alerts.length, 0);
});

test('place stores nothing; record stores what place made, alerts included', async () => {
  const { service, alarms } = await setUp();
  const placed = await service.place(observation(), ['sos', 'sos']);
  assert.equal(alarms.records.length, 0);
  assert.deepEqual(placed.alarm.kinds, ['sos']);
  assert.equal(placed.isLive, true);
  assert.deepEqual(
    placed.alerts.map((alert) => [alert.kind, alert.raisedAt, alert.recordedAt]),
    [['sos', placed.alarm.receivedAt, T0]],
  );
  const raised = await service.record(placed);
  assert.equal(alarms.records.length, 1);
  assert.deepEqual(
    raised.alerts.map(({ alert }) => alert.kind),
    ['sos'],
  );
  const buffered = await service.place(observation({ isBuffered: true }), ['sos']);
  assert.deepEqual([buffered.isLive, buffered.alerts.length], [false, 0]);
  await assert.rejects(service.place(observation(), []), RangeError);
});
