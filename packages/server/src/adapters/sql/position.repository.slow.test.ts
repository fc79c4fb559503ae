import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DataKeyUnavailableError,
  type Position,
  type PositionKey,
  type WatchId,
} from '@kinwatch/core';
import type { Db } from './database.ts';
import { migrateToLatest } from './migrations.ts';
import { openDatabase } from './open-database.ts';
import { SqlPositionRepository } from './position.repository.ts';
import { describeOnEachDatabase, TestCipher } from './sql-test-support.ts';
import { SqlWatchRepository } from './watch.repository.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Distinctive values, so that finding their bytes in storage cannot be chance. */
const SECRET_LATITUDE = 48.858370123;
const SECRET_LONGITUDE = 2.294481357;

function fix(watchId: WatchId, seconds: number, overrides: Partial<Position> = {}): Position {
  return {
    watchId,
    recordedAt: at(seconds),
    receivedAt: at(seconds + 2),
    source: 'gps',
    latitude: 52.52 + seconds / 1e5,
    longitude: 13.405 + seconds / 1e5,
    accuracyMeters: 8,
    speedKmh: 4.5,
    courseDegrees: 270,
    altitudeMeters: 34,
    isBuffered: false,
    flags: [],
    ...overrides,
  };
}

async function provision(db: Db, cipher: TestCipher, ...deviceIds: string[]): Promise<WatchId[]> {
  const watches = new SqlWatchRepository(db, cipher);
  await watches.provision(deviceIds, T0);
  return Promise.all(
    deviceIds.map(
      async (deviceId) => (await watches.findByDeviceId(deviceId))?.id ?? assert.fail(),
    ),
  );
}

describeOnEachDatabase('PositionRepository', (context) => {
  const setup = async () => {
    const { db, cipher } = context();
    const [a, b] = await provision(db, cipher, '8800000015', '8800000016');
    assert.ok(a !== undefined && b !== undefined);
    return { positions: new SqlPositionRepository(db, cipher), a, b };
  };

  test('stores every field and reads it back unchanged', async () => {
    const { positions, a } = await setup();
    const gps = fix(a, 0, { flags: ['clockSkew', 'impossibleJump'] });
    const cell = fix(a, 10, {
      source: 'cell',
      accuracyMeters: 1500,
      speedKmh: null,
      courseDegrees: null,
      altitudeMeters: null,
      isBuffered: true,
    });
    const none = fix(a, 20, {
      source: 'none',
      latitude: null,
      longitude: null,
      accuracyMeters: null,
      speedKmh: null,
      courseDegrees: null,
      altitudeMeters: null,
    });
    await positions.appendBatch([gps, cell, none]);
    assert.deepEqual(await positions.range(a, at(0), at(30), 10), [gps, cell, none]);
  });

  test('range is from inclusive, to exclusive, oldest first, limited', async () => {
    const { positions, a, b } = await setup();
    // Stored out of order, as buffered UD2 history arrives after live reports.
    await positions.appendBatch([fix(a, 30), fix(a, 10), fix(a, 20), fix(b, 15), fix(a, 40)]);
    const times = (list: Position[]) =>
      list.map((p) => (p.recordedAt.getTime() - T0.getTime()) / 1000);
    assert.deepEqual(times(await positions.range(a, at(10), at(40), 100)), [10, 20, 30]);
    assert.deepEqual(times(await positions.range(a, at(0), at(100), 2)), [10, 20]);
    assert.deepEqual(await positions.range(a, at(41), at(100), 10), []);
    await assert.rejects(positions.range(a, at(0), at(100), 0), RangeError);
  });

  test('latest is the greatest device time, the last stored on a tie', async () => {
    const { positions, a, b } = await setup();
    assert.equal(await positions.latest(a), undefined);
    await positions.appendBatch([fix(a, 50), fix(a, 10, { isBuffered: true }), fix(b, 90)]);
    assert.deepEqual(await positions.latest(a), fix(a, 50));
    await positions.appendBatch([fix(a, 50, { latitude: 10 })]);
    assert.equal((await positions.latest(a))?.latitude, 10);
  });

  test('count is per watch', async () => {
    const { positions, a, b } = await setup();
    await positions.appendBatch([fix(a, 1), fix(a, 2), fix(b, 3)]);
    assert.equal(await positions.count(a), 2);
    assert.equal(await positions.count(b), 1);
    await positions.appendBatch([]);
    assert.equal(await positions.count(a), 2);
  });

  test('a batch larger than one statement can carry is stored whole', async () => {
    const { positions, a, b } = await setup();
    const batch = Array.from({ length: 10_000 }, (_, index) => fix(index % 2 ? a : b, index));
    await positions.appendBatch(batch);
    assert.equal(await positions.count(a), 5_000);
    assert.equal(await positions.count(b), 5_000);
    assert.deepEqual(await positions.latest(a), fix(a, 9_999));
  });

  test('a batch that fails part-way stores nothing', async () => {
    const { positions, a } = await setup();
    // The unknown watch id fails the foreign key in the second statement of the batch.
    const batch = Array.from({ length: 6_000 }, (_, index) => fix(a, index));
    batch.push(fix('no-such-watch', 0));
    await assert.rejects(positions.appendBatch(batch));
    assert.equal(await positions.count(a), 0);
  });

  test('invalid positions are refused before anything is written', async () => {
    const { positions, a } = await setup();
    for (const bad of [
      fix(a, 0, { latitude: 91 }),
      fix(a, 0, { longitude: Number.NaN }),
      fix(a, 0, { source: 'none' }),
      fix(a, 0, { latitude: null }),
      fix(a, 0, { courseDegrees: 360 }),
      fix(a, 0, { speedKmh: -1 }),
      fix(a, 0, { recordedAt: new Date(Number.NaN) }),
    ]) {
      await assert.rejects(positions.appendBatch([fix(a, 1), bad]), RangeError);
    }
    assert.equal(await positions.count(a), 0);
  });

  test('coordinates and the other sensitive fields are not in the row in plaintext', async () => {
    const { positions, a } = await setup();
    await positions.appendBatch([
      fix(a, 0, { latitude: SECRET_LATITUDE, longitude: SECRET_LONGITUDE, altitudeMeters: 1234.5 }),
    ]);
    const row = await context().db.selectFrom('positions').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual(Object.keys(row).sort(), [
      'flags',
      'id',
      'is_buffered',
      'received_at',
      'recorded_at',
      'sealed',
      'source',
      'watch_id',
    ]);
    const stored = Buffer.concat(
      Object.values(row).map((value) =>
        value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value)),
      ),
    );
    assertNoSecrets(stored);
    assert.equal(
      (await positions.latest(a))?.latitude,
      SECRET_LATITUDE,
      'and the repository still reads it back',
    );
  });

  test('a destroyed key makes the history unreadable, other watches unaffected', async () => {
    const { positions, a, b } = await setup();
    await positions.appendBatch([fix(a, 1), fix(b, 1)]);
    await context().cipher.destroyKey(a);
    await assert.rejects(positions.latest(a), DataKeyUnavailableError);
    await assert.rejects(positions.range(a, at(0), at(10), 10), DataKeyUnavailableError);
    assert.deepEqual(await positions.latest(b), fix(b, 1));
  });

  test('listRange pages return every position of the range once, in order', async () => {
    const { positions, a, b } = await setup();
    // Ties on the device time (the watch resent a fix) and out-of-order storage.
    const stored = [fix(a, 30), fix(a, 10), fix(a, 20), fix(a, 20, { latitude: 1 }), fix(b, 15)];
    await positions.appendBatch([...stored, fix(a, 20, { latitude: 2 }), fix(a, 50)]);
    const seen: Position[] = [];
    let after: PositionKey | undefined;
    let pages = 0;
    do {
      const page = await positions.listRange(a, at(10), at(50), after, 2);
      seen.push(...page.positions);
      after = page.next;
      pages += 1;
    } while (after !== undefined);
    assert.deepEqual(
      seen.map((p) => [(p.recordedAt.getTime() - T0.getTime()) / 1000, p.latitude]),
      [
        [10, fix(a, 10).latitude],
        [20, fix(a, 20).latitude],
        [20, 1],
        [20, 2],
        [30, fix(a, 30).latitude],
      ],
    );
    assert.equal(pages, 3, 'the last page says it is the last; no empty page follows');
    const whole = await positions.listRange(a, at(10), at(50), undefined, 5);
    assert.equal(whole.next, undefined);
    assert.deepEqual(await positions.listRange(a, at(60), at(90), undefined, 5), {
      positions: [],
      next: undefined,
    });
    await assert.rejects(positions.listRange(a, at(0), at(1), undefined, 0), RangeError);
  });

  test('latestFix skips buffered history and reports without coordinates', async () => {
    const { positions, a } = await setup();
    assert.equal(await positions.latestFix(a), undefined);
    const none = {
      source: 'none',
      latitude: null,
      longitude: null,
      accuracyMeters: null,
      speedKmh: null,
      courseDegrees: null,
      altitudeMeters: null,
    } as const;
    await positions.appendBatch([
      fix(a, 10),
      fix(a, 20, none),
      fix(a, 30, { isBuffered: true }),
      fix(a, 5),
    ]);
    assert.deepEqual(await positions.latestFix(a), fix(a, 10));
  });
});

test('SQLite: no coordinate reaches the database file or its WAL in plaintext', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'kinwatch-positions-'));
  try {
    const database = await openDatabase(`sqlite:${join(directory, 'kinwatch.db')}`);
    await migrateToLatest(database);
    const cipher = new TestCipher();
    const [watchId] = await provision(database.db, cipher, '8800000042');
    assert.ok(watchId !== undefined);
    const positions = new SqlPositionRepository(database.db, cipher);
    await positions.appendBatch(
      Array.from({ length: 50 }, (_, index) =>
        fix(watchId, index, { latitude: SECRET_LATITUDE, longitude: SECRET_LONGITUDE }),
      ),
    );
    const files = (await readdir(directory)).map((name) => join(directory, name));
    const bytes = Buffer.concat(await Promise.all(files.map((file) => readFile(file))));
    await database.close();
    // The scan sees real content: the plaintext columns are there.
    assert.ok(bytes.includes(Buffer.from('8800000042')), 'device id expected in the file');
    assertNoSecrets(bytes);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

/** Neither as text nor as a float64/float32 in either byte order. */
function assertNoSecrets(bytes: Buffer): void {
  for (const secret of [SECRET_LATITUDE, SECRET_LONGITUDE]) {
    assert.ok(!bytes.includes(Buffer.from(String(secret))), `${secret} found as text`);
    assert.ok(!bytes.includes(Buffer.from(String(secret).slice(0, 7))), `${secret} prefix found`);
    for (const encoded of binaryForms(secret)) {
      assert.ok(!bytes.includes(encoded), `${secret} found as binary`);
    }
  }
}

function binaryForms(value: number): Buffer[] {
  const double = Buffer.alloc(8);
  const single = Buffer.alloc(4);
  const forms: Buffer[] = [];
  double.writeDoubleLE(value);
  forms.push(Buffer.from(double));
  double.writeDoubleBE(value);
  forms.push(Buffer.from(double));
  single.writeFloatLE(value);
  forms.push(Buffer.from(single));
  single.writeFloatBE(value);
  forms.push(Buffer.from(single));
  return forms;
}
