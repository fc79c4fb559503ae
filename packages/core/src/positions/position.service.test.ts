import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distanceMeters } from '../geo/haversine.ts';
import {
  InMemoryCellTowers,
  InMemoryWifi,
  RecordingSink,
  RecordingWatchStatus,
  T0,
  observation,
  observationAt,
} from '../testing/position-fakes.ts';
import { RecordingLogger, RecordingMetrics } from '../testing/recording-observability.ts';
import type { GeoResolver } from './geo-resolver.ports.ts';
import { LocalGeoResolver } from './local-geo-resolver.ts';
import type { ObservedCell } from './location-observation.model.ts';
import type { Position } from './position.model.ts';
import { PositionService } from './position.service.ts';

const TOWER = { latitude: 52.53, longitude: 13.42 };
const SERVING: ObservedCell = {
  mcc: 262,
  mnc: 2,
  lac: 801,
  cid: 7,
  rssi: 140,
  isOperatorKnown: true,
};
const HOME_WIFI = [
  { mac: 'AA:BB:CC:0:0:1', rssi: -50 },
  { mac: 'aa:bb:cc:00:00:02', rssi: -60 },
  { mac: 'aa-bb-cc-00-00-01', rssi: -70 },
];

async function setUp(resolverOverride?: GeoResolver) {
  const cells = new InMemoryCellTowers();
  await cells.upsertMany([
    {
      mcc: 262,
      mnc: 2,
      lac: 801,
      cid: 7,
      radio: 'GSM',
      ...TOWER,
      rangeMeters: 1500,
      samples: 9,
      updatedAt: T0,
    },
  ]);
  const wifi = new InMemoryWifi();
  const sink = new RecordingSink();
  const watches = new RecordingWatchStatus();
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  const resolver = resolverOverride ?? new LocalGeoResolver({ cells, wifi });
  const service = new PositionService({ resolver, sink, wifi, watches, logger, metrics });
  return { service, sink, wifi, watches, logger, metrics };
}

test('a GPS fix is stored as sent, and returned as stored', async () => {
  const { service, sink, metrics } = await setUp();
  const stored = await service.ingest(observation());
  assert.deepEqual(stored, {
    watchId: 'w',
    recordedAt: T0,
    receivedAt: new Date(T0.getTime() + 2_000),
    source: 'gps',
    latitude: 52.52,
    longitude: 13.405,
    accuracyMeters: 12,
    speedKmh: 3,
    courseDegrees: 90,
    altitudeMeters: 40,
    isBuffered: false,
    flags: [],
  });
  assert.deepEqual(sink.positions, [stored]);
  assert.equal(
    metrics.value('kinwatch_positions_ingested_total', { source: 'gps', buffered: 'false' }),
    1,
  );
});

test('a live report updates the watch status, leaving out what it did not carry', async () => {
  const { service, watches } = await setUp();
  await service.ingest(observation({ steps: null, batteryPercent: 140, alarmBits: 0x10000 }));
  assert.deepEqual(watches.updates, [
    {
      watchId: 'w',
      update: {
        updatedAt: new Date(T0.getTime() + 2_000),
        gsmSignalPercent: 60,
        stateBits: 0x8,
        alarmBits: 0x10000,
      },
    },
  ]);
});

test('without a fix, the known cells place the watch, without speed or course', async () => {
  const { service } = await setUp();
  const stored = await service.ingest(observation({ hasGnssFix: false, cells: [SERVING] }));
  assert.equal(stored.source, 'cell');
  assert.deepEqual(
    [stored.latitude, stored.longitude, stored.accuracyMeters],
    [52.53, 13.42, 1500],
  );
  assert.deepEqual(
    [stored.speedKmh, stored.courseDegrees, stored.altitudeMeters],
    [null, null, null],
  );
});

test('a fix at exactly 0,0 is not believed; the cells are asked instead', async () => {
  const { service } = await setUp();
  const stored = await service.ingest(observation({ latitude: 0, longitude: 0, cells: [SERVING] }));
  assert.equal(stored.source, 'cell');
});

test('a report that places the watch nowhere is still stored, as source none', async () => {
  const { service, sink, watches } = await setUp();
  const unknownCell = { ...SERVING, cid: 99 };
  const stored = await service.ingest(observation({ hasGnssFix: false, cells: [unknownCell] }));
  assert.deepEqual(
    [stored.source, stored.latitude, stored.longitude, stored.accuracyMeters],
    ['none', null, null, null],
  );
  assert.equal(sink.positions.length, 1);
  assert.equal(watches.updates.length, 1);
});

test('a failed lookup is counted and gives source none rather than losing the report', async () => {
  const broken: GeoResolver = { resolve: () => Promise.reject(new Error('db down')) };
  const { service, metrics, logger } = await setUp(broken);
  const stored = await service.ingest(observation({ hasGnssFix: false, cells: [SERVING] }));
  assert.equal(stored.source, 'none');
  assert.equal(metrics.value('kinwatch_geo_resolve_failures_total'), 1);
  assert.equal(logger.entries[0]?.level, 'warn');
});

test('impossible values of a fix become unknown instead of blocking storage', async () => {
  const { service } = await setUp();
  const stored = await service.ingest(
    observation({
      courseDegrees: 360,
      speedKmh: -1,
      altitudeMeters: Number.NaN,
      accuracyMeters: 0,
    }),
  );
  assert.deepEqual(
    [stored.courseDegrees, stored.speedKmh, stored.altitudeMeters, stored.accuracyMeters],
    [0, null, null, null],
  );
});

test('a jump no vehicle could make is flagged and counted; the walk home is not', async () => {
  const { service, metrics } = await setUp();
  const first = await service.ingest(observationAt(0, 52.52, 13.4));
  const glitch = await service.ingest(observationAt(60, 53.52, 13.4));
  const back = await service.ingest(observationAt(120, 52.5205, 13.4));
  assert.deepEqual([first.flags, glitch.flags, back.flags], [[], ['impossibleJump'], []]);
  assert.equal(metrics.value('kinwatch_position_flags_total', { flag: 'impossibleJump' }), 1);
});

test('a device clock reset to 2000 is flagged; the jump check then uses the receive time', async () => {
  const { service } = await setUp();
  await service.ingest(observationAt(0, 52.52, 13.4));
  const reset = new Date('2000-01-01T00:00:00Z');
  const skewed = await service.ingest(observationAt(60, 52.5205, 13.4, { recordedAt: reset }));
  assert.deepEqual(skewed.flags, ['clockSkew']);
  assert.equal(skewed.recordedAt, reset, 'the device time is kept as sent');
  const unreadable = await service.ingest(
    observationAt(120, 52.521, 13.4, { recordedAt: new Date(Number.NaN) }),
  );
  assert.deepEqual(unreadable.flags, ['clockSkew']);
  assert.equal(unreadable.recordedAt, unreadable.receivedAt);
});

test('buffered history is stored but never moves the reference, the status or the Wi-Fi table', async () => {
  const { service, watches, wifi, sink } = await setUp();
  await service.ingest(observationAt(0, 52.52, 13.4));
  const old = await service.ingest(
    observationAt(60, 48.85, 2.35, { isBuffered: true, wifi: HOME_WIFI, recordedAt: T0 }),
  );
  const next = await service.ingest(observationAt(120, 52.5205, 13.4));
  assert.deepEqual([old.isBuffered, old.flags, next.flags], [true, [], []]);
  assert.equal(sink.positions.length, 3);
  assert.equal(watches.updates.length, 2);
  assert.equal(wifi.learned.length, 0);
});

test('an accurate, slow GPS fix teaches the Wi-Fi table, which then places a fixless report', async () => {
  const { service, wifi } = await setUp();
  await service.ingest(observation({ wifi: HOME_WIFI }));
  assert.deepEqual(
    wifi.learned.map((o) => [o.mac, o.accuracyMeters]),
    [
      ['aa:bb:cc:00:00:01', 12],
      ['aa:bb:cc:00:00:02', 12],
    ],
  );
  const indoors = await service.ingest(
    observationAt(600, 0, 0, { hasGnssFix: false, wifi: HOME_WIFI, cells: [SERVING] }),
  );
  assert.equal(indoors.source, 'wifi');
  assert.ok(distanceMeters({ latitude: 52.52, longitude: 13.405 }, indoors as never) < 1);
});

test('vague, fast, cell-based or fixes with few satellites teach the Wi-Fi table nothing', async () => {
  const { service, wifi } = await setUp();
  const reports = [
    observation({ wifi: HOME_WIFI, accuracyMeters: 80 }),
    observation({ wifi: HOME_WIFI, speedKmh: 30 }),
    observation({ wifi: HOME_WIFI, hasGnssFix: false, cells: [SERVING] }),
    observation({ wifi: HOME_WIFI, accuracyMeters: undefined, satellites: 3 }),
  ];
  for (const report of reports) await service.ingest(report);
  assert.equal(wifi.learned.length, 0);
  await service.ingest(observation({ wifi: HOME_WIFI, accuracyMeters: undefined, satellites: 8 }));
  assert.deepEqual(
    wifi.learned.map((o) => o.accuracyMeters),
    [50, 50],
  );
});

test('a failed sink fails the ingest; a failed status update only logs and counts', async () => {
  const { service, sink, watches, metrics, logger } = await setUp();
  watches.failure = new Error('status table locked');
  const stored = await service.ingest(observation());
  assert.equal(sink.positions.length, 1);
  assert.equal(stored.source, 'gps');
  assert.equal(
    metrics.value('kinwatch_position_side_effect_failures_total', { step: 'status' }),
    1,
  );
  assert.match(String(logger.entries.at(-1)?.fields['err']), /locked/);
  sink.failure = new Error('disk full');
  await assert.rejects(service.ingest(observation()), /disk full/);
});

/** A sink whose commits and room the test controls. */
class ManualSink {
  readonly submitted: { readonly position: Position; readonly settle: (error?: Error) => void }[] =
    [];
  roomWait: Promise<void> | undefined;

  submit(position: Position): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.submitted.push({
        position,
        settle: (error) => {
          if (error === undefined) resolve();
          else reject(error);
        },
      });
    });
  }

  room(): Promise<void> | undefined {
    return this.roomWait;
  }
}

function manualService() {
  const sink = new ManualSink();
  const service = new PositionService({
    resolver: new LocalGeoResolver({ cells: new InMemoryCellTowers(), wifi: new InMemoryWifi() }),
    sink,
    wifi: new InMemoryWifi(),
    watches: new RecordingWatchStatus(),
    logger: new RecordingLogger(),
    metrics: new RecordingMetrics(),
  });
  return { service, sink };
}

test('accept hands the position over without waiting for its commit; stored waits for it', async () => {
  const { service, sink } = manualService();
  const first = await service.accept(observationAt(0, 52.52, 13.405));
  const second = await service.accept(observationAt(60, 52.5201, 13.405));
  assert.deepEqual(
    sink.submitted.map((entry) => entry.position),
    [first.position, second.position],
    'both handed over in order, neither committed yet',
  );
  let isStored = false;
  const stored = first.stored.then(() => (isStored = true));
  await Promise.resolve();
  assert.equal(isStored, false);
  sink.submitted[0]?.settle();
  await stored;
  sink.submitted[1]?.settle(new Error('disk full'));
  await assert.rejects(second.stored, /disk full/);
});

test('a stored promise nobody waits for does not go unhandled', async () => {
  const { service, sink } = manualService();
  const unhandled: unknown[] = [];
  const record = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', record);
  try {
    await service.accept(observation());
    sink.submitted[0]?.settle(new Error('disk full'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', record);
  }
});

test('accept waits while the sink has no room', async () => {
  const { service, sink } = manualService();
  let openRoom: () => void = () => undefined;
  sink.roomWait = new Promise<void>((resolve) => (openRoom = resolve));
  let isAccepted = false;
  const accepted = service.accept(observation()).then(() => (isAccepted = true));
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(sink.submitted.length, 1, 'handed over');
  assert.equal(isAccepted, false, 'but the caller waits for room');
  sink.roomWait = undefined;
  openRoom();
  await accepted;
});

test('acceptAtOnce hands a GPS fix over before it returns, and declines what would wait', async () => {
  const { service, sink } = manualService();
  const accepted = service.acceptAtOnce(observation());
  assert.ok(accepted !== undefined);
  assert.equal(sink.submitted.length, 1, 'handed over synchronously');
  const [handed] = sink.submitted;
  assert.ok(handed !== undefined);
  assert.equal(handed.position, accepted.position);
  handed.settle();
  await accepted.stored;
  // A report that needs a lookup is declined, and handed over by accept instead.
  const cellOnly = observation({ hasGnssFix: false, cells: [SERVING] });
  assert.equal(service.acceptAtOnce(cellOnly), undefined);
  assert.equal(sink.submitted.length, 1, 'nothing handed over');
  const later = await service.accept(cellOnly);
  assert.equal(later.position.source, 'none', 'no tower known here: stored as none');
  assert.equal(sink.submitted.length, 2);
  // A sink without room declines too, and nothing is handed over.
  sink.roomWait = new Promise<void>(() => undefined);
  assert.equal(service.acceptAtOnce(observation()), undefined);
  assert.equal(sink.submitted.length, 2);
});

test('a report with nothing to look up is taken at once, as source none', () => {
  const { service, sink } = manualService();
  const accepted = service.acceptAtOnce(observation({ hasGnssFix: false }));
  assert.equal(accepted?.position.source, 'none');
  assert.equal(sink.submitted.length, 1);
});

test('a status buffer that takes the change at once (recordStatus) gets it without a promise', async () => {
  const { watches, sink, metrics } = await setUp();
  const recorded: { watchId: string; batteryPercent: number | null | undefined }[] = [];
  const buffered = Object.assign(watches, {
    recordStatus: (watchId: string, update: { batteryPercent?: number | null }) => {
      if (update.batteryPercent === 13) throw new Error('buffer full');
      recorded.push({ watchId, batteryPercent: update.batteryPercent });
    },
  });
  const withBuffer = new PositionService({
    resolver: new LocalGeoResolver({ cells: new InMemoryCellTowers(), wifi: new InMemoryWifi() }),
    sink,
    wifi: new InMemoryWifi(),
    watches: buffered,
    logger: new RecordingLogger(),
    metrics,
  });
  await withBuffer.ingest(observation({ batteryPercent: 80 }));
  assert.deepEqual(recorded, [{ watchId: 'w', batteryPercent: 80 }]);
  assert.equal(watches.updates.length, 0, 'updateStatus is not called');
  await withBuffer.ingest(observation({ batteryPercent: 13 }));
  assert.equal(sink.positions.length, 2, 'a status that fails leaves the position stored');
  assert.equal(
    metrics.value('kinwatch_position_side_effect_failures_total', { step: 'status' }),
    1,
  );
});
