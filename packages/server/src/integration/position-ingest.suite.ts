import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LocalGeoResolver,
  PositionService,
  type LocationObservation,
  type Logger,
  type Metrics,
  type Position,
  type PositionRepository,
  type WatchId,
} from '@kinwatch/core';
import type { Db } from '../adapters/sql/database.ts';
import { SqlCellTowerRepository } from '../adapters/sql/cell-tower.repository.ts';
import { SqlPositionRepository } from '../adapters/sql/position.repository.ts';
import type { TestCipher } from '../adapters/sql/sql-test-support.ts';
import { SqlWatchRepository } from '../adapters/sql/watch.repository.ts';
import { SqlWifiRepository } from '../adapters/sql/wifi.repository.ts';
import { PositionBatchWriter } from '../ingest/position-batch-writer.ts';

export interface IngestTestContext {
  readonly db: Db;
  readonly cipher: TestCipher;
}

const T0 = Date.parse('2025-03-01T08:00:00.000Z');
const FAR_FUTURE = new Date('2100-01-01T00:00:00Z');

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};
const discard: Metrics = {
  counter: () => ({ inc: () => undefined }),
  gauge: () => ({ set: () => undefined, inc: () => undefined, dec: () => undefined }),
  histogram: () => ({ observe: () => undefined }),
};

let nextDevice = 8_800_000_100;

async function provision(context: IngestTestContext, count: number): Promise<WatchId[]> {
  const watches = new SqlWatchRepository(context.db, context.cipher);
  const deviceIds = Array.from({ length: count }, () => String(nextDevice++));
  await watches.provision(deviceIds, new Date(T0));
  const found = await Promise.all(deviceIds.map((id) => watches.findByDeviceId(id)));
  return found.map((watch) => watch?.id ?? assert.fail('not provisioned'));
}

function position(watchId: WatchId, second: number): Position {
  return {
    watchId,
    recordedAt: new Date(T0 + second * 1000),
    receivedAt: new Date(T0 + second * 1000 + 700),
    source: 'gps',
    latitude: 52.52 + second / 1e6,
    longitude: 13.405,
    accuracyMeters: 9,
    speedKmh: 3.5,
    courseDegrees: 180,
    altitudeMeters: 41,
    isBuffered: false,
    flags: [],
  };
}

/** A live GPS report with two access points heard, as the gateway would hand it over. */
function gpsReport(watchId: WatchId): LocationObservation {
  return {
    watchId,
    recordedAt: new Date(T0),
    receivedAt: new Date(T0 + 1000),
    hasGnssFix: true,
    latitude: 52.52,
    longitude: 13.405,
    speedKmh: 0,
    courseDegrees: 0,
    altitudeMeters: 35,
    satellites: 9,
    accuracyMeters: 8,
    cells: [],
    wifi: [
      { mac: '60:45:cb:cb:34:68', rssi: -60 },
      { mac: '34:31:c4:c8:a9:22', rssi: -70 },
    ],
    isBuffered: false,
    batteryPercent: 77,
    gsmSignalPercent: 55,
    steps: 321,
    stateBits: 8,
    alarmBits: 0,
  };
}

function writerFor(repository: PositionRepository, windowMs = 20) {
  return new PositionBatchWriter({ repository, logger: silent, metrics: discard, windowMs });
}

/** The writer and the position service against a real database; run per database. */
export function positionIngestTests(context: () => IngestTestContext): void {
  void test('2,000 positions submitted at once are all stored, each exactly once', async () => {
    const { db, cipher } = context();
    const watchIds = await provision(context(), 4);
    const repository = new SqlPositionRepository(db, cipher);
    const writer = writerFor(repository);
    const submitted = Array.from({ length: 2_000 }, (_, n) =>
      writer.submit(position(watchIds[n % 4] ?? '', Math.floor(n / 4))),
    );
    await Promise.all(submitted);
    for (const watchId of watchIds) {
      const stored = await repository.range(watchId, new Date(0), FAR_FUTURE, 10_000);
      const seconds = stored.map((p) => (p.recordedAt.getTime() - T0) / 1000);
      assert.deepEqual(
        seconds,
        Array.from({ length: 500 }, (_, n) => n),
      );
    }
    await writer.close();
  });

  void test('a failed commit rejects its whole batch; the next batches are stored', async () => {
    const { db, cipher } = context();
    const [watchId = ''] = await provision(context(), 1);
    const repository = new SqlPositionRepository(db, cipher);
    const writer = writerFor(repository, 10);
    // A watch that does not exist breaks the foreign key, failing the transaction it is in.
    const doomed = [writer.submit(position(watchId, 1)), writer.submit(position('ghost', 2))];
    for (const submit of doomed) await assert.rejects(submit);
    assert.equal(await repository.count(watchId), 0);
    await Promise.all([3, 4, 5].map((second) => writer.submit(position(watchId, second))));
    assert.equal(await repository.count(watchId), 3);
    await writer.close();
  });

  void test('close() writes whatever is still waiting for its window', async () => {
    const { db, cipher } = context();
    const [watchId = ''] = await provision(context(), 1);
    const repository = new SqlPositionRepository(db, cipher);
    const writer = writerFor(repository, 60_000);
    const pending = Array.from({ length: 50 }, (_, n) => writer.submit(position(watchId, n)));
    await writer.close();
    await Promise.all(pending);
    assert.equal(await repository.count(watchId), 50);
  });

  void test('reports go through the position service and the writer into the store', async () => {
    const { db, cipher } = context();
    const [watchId = ''] = await provision(context(), 1);
    const positions = new SqlPositionRepository(db, cipher);
    const writer = writerFor(positions, 5);
    const wifi = new SqlWifiRepository(db);
    const cells = new SqlCellTowerRepository(db);
    const watches = new SqlWatchRepository(db, cipher);
    const resolver = new LocalGeoResolver({ cells, wifi });
    const service = new PositionService({
      resolver,
      sink: writer,
      wifi,
      watches,
      logger: silent,
      metrics: discard,
    });
    const report = gpsReport(watchId);
    await service.ingest(report);
    const later = new Date(T0 + 60_000);
    const indoors = { ...report, recordedAt: later, receivedAt: later, hasGnssFix: false };
    await service.ingest({ ...indoors, latitude: 0, longitude: 0 });
    const stored = await positions.range(watchId, new Date(0), FAR_FUTURE, 10);
    assert.deepEqual(
      stored.map((p) => [p.source, p.latitude, p.longitude]),
      [
        ['gps', 52.52, 13.405],
        ['wifi', 52.52, 13.405],
      ],
    );
    const status = await watches.getStatus(watchId);
    assert.deepEqual([status?.batteryPercent, status?.steps], [77, 321]);
    await writer.close();
  });
}
