import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DataKeyUnavailableError,
  SealedDataError,
  type FieldCipher,
  type Position,
  type PositionKey,
  type WatchId,
} from '@kinwatch/core';
import { sql } from 'kysely';
import type { Db } from './database.ts';
import { migrateToLatest } from './migrations.ts';
import { HOUR_MS, SqlPositionBlocks, withPositionBlocks } from './position-blocks.ts';
import { encodePositionFields } from './position-fields.ts';
import { SqlPositionRepository } from './position.repository.ts';
import { CountingCipher, makeBlocks } from './position-blocks-test-support.ts';
import { describeOnEachDatabase, TestCipher, type SqlTestContext } from './sql-test-support.ts';
import { SqlWatchRepository } from './watch.repository.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const MINUTE_MS = 60_000;
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE_MS);
/** After every position these tests store. */
const LATER = at(24 * 60);

const SECRET_LATITUDE = 48.858370123;
const SECRET_LONGITUDE = 2.294481357;

function fix(watchId: WatchId, minutes: number, overrides: Partial<Position> = {}): Position {
  return {
    watchId,
    recordedAt: at(minutes),
    receivedAt: new Date(at(minutes).getTime() + 1500),
    source: 'gps',
    latitude: 52.52 + minutes / 1e4,
    longitude: 13.405 - minutes / 1e4,
    accuracyMeters: 8,
    speedKmh: 4.5,
    courseDegrees: 270,
    altitudeMeters: 34,
    isBuffered: false,
    flags: [],
    ...overrides,
  };
}

/** Three hours of a fix a minute, with what real histories hold besides: 183 positions. */
function threeHours(watchId: WatchId): Position[] {
  const positions = Array.from({ length: 180 }, (_, minute) => fix(watchId, minute));
  positions.push(
    // A resent fix (a tie on the device time), a report without a fix, buffered history.
    fix(watchId, 30, { latitude: 1, flags: ['impossibleJump'] }),
    fix(watchId, 95, {
      source: 'none',
      latitude: null,
      longitude: null,
      accuracyMeters: null,
      speedKmh: null,
      courseDegrees: null,
      altitudeMeters: null,
    }),
    fix(watchId, 150, { isBuffered: true, flags: ['clockSkew'], altitudeMeters: null }),
  );
  return positions;
}

interface Reads {
  readonly all: Position[];
  readonly pages: Position[][];
  readonly latest: Position | undefined;
  readonly latestFix: Position | undefined;
  readonly edges: Position[];
}

/** Every way the repository reads a watch's history. */
async function readEverything(positions: SqlPositionRepository, watchId: WatchId): Promise<Reads> {
  const pages: Position[][] = [];
  let after: PositionKey | undefined;
  do {
    const page = await positions.listRange(watchId, at(-60), LATER, after, 70);
    pages.push(page.positions);
    after = page.next;
  } while (after !== undefined);
  return {
    all: await positions.range(watchId, at(-60), LATER, 10_000),
    pages,
    latest: await positions.latest(watchId),
    latestFix: await positions.latestFix(watchId),
    // Across the end of an hour, part of each block.
    edges: await positions.range(watchId, at(40), at(80), 100),
  };
}

async function provision(context: SqlTestContext, ...deviceIds: string[]): Promise<WatchId[]> {
  const watches = new SqlWatchRepository(context.db, context.cipher);
  await watches.provision(deviceIds, T0);
  return Promise.all(
    deviceIds.map(
      async (deviceId) => (await watches.findByDeviceId(deviceId))?.id ?? assert.fail(),
    ),
  );
}

async function blocksOf(db: Db, watchId: WatchId) {
  return withPositionBlocks(db)
    .selectFrom('position_blocks')
    .selectAll()
    .where('watch_id', '=', watchId)
    .orderBy('hour_start', 'asc')
    .execute();
}

const hours = (blocks: { hour_start: number }[]) =>
  blocks.map((block) => (block.hour_start - T0.getTime()) / HOUR_MS);

describeOnEachDatabase('SqlPositionBlocks', (context) => {
  const setup = async () => {
    const [a, b] = await provision(context(), '8800000051', '8800000052');
    assert.ok(a !== undefined && b !== undefined);
    const { db, cipher } = context();
    const positions = new SqlPositionRepository(db, cipher);
    // Interleaved, as the position writer stores them: a little of every watch in each batch.
    const ofA = threeHours(a);
    const ofB = threeHours(b).slice(0, 100);
    for (let index = 0; index < ofA.length; index++) {
      await positions.appendBatch([ofA[index], ofB[index]].filter((p) => p !== undefined));
    }
    return { positions, blocks: new SqlPositionBlocks(db, cipher), db, cipher, a, b };
  };

  test('a block per watch and hour; reads return the same, opening a value per hour', async () => {
    const { positions, blocks, db, cipher, a, b } = await setup();
    const before = await readEverything(positions, a);
    const beforeB = await readEverything(positions, b);

    assert.equal(await makeBlocks(blocks, LATER), 3 + 2);
    assert.deepEqual(hours(await blocksOf(db, a)), [0, 1, 2]);
    assert.deepEqual(hours(await blocksOf(db, b)), [0, 1]);
    assert.deepEqual(await readEverything(positions, a), before);
    assert.deepEqual(await readEverything(positions, b), beforeB);

    const counting = new CountingCipher(cipher);
    const all = await new SqlPositionRepository(db, counting).range(a, at(0), LATER, 1000);
    assert.equal(all.length, 183);
    assert.equal(counting.opened, 3, 'three blocks, no position on its own');
    assert.equal(await makeBlocks(blocks, LATER), 0, 'nothing new: nothing made again');
  });

  test('only hours received before the cutoff; a position stored late remakes its hour', async () => {
    const { positions, blocks, db, cipher, a } = await setup();
    // The scan stops at the first position received from 09:30 on: a block is made of every
    // position of each hour it met, stored until then.
    assert.equal(await makeBlocks(blocks, at(90)), 2 + 2);
    assert.deepEqual(hours(await blocksOf(db, a)), [0, 1]);
    const [first, second] = await blocksOf(db, a);
    assert.deepEqual([first?.positions, second?.positions], [61, 61]);
    const atHalfPast = await readEverything(positions, a);

    assert.equal(await makeBlocks(blocks, LATER), 1, "a's last hour; the others are up to date");
    assert.deepEqual(hours(await blocksOf(db, a)), [0, 1, 2]);
    const late = fix(a, 10, { isBuffered: true, latitude: 45, receivedAt: at(200) });
    await positions.appendBatch([late]);
    assert.equal(await makeBlocks(blocks, LATER), 1, 'the hour of the late position only');
    const [remade] = await blocksOf(db, a);
    assert.equal(remade?.positions, 62);

    const counting = new CountingCipher(cipher);
    const read = await new SqlPositionRepository(db, counting).range(a, at(0), at(60), 1000);
    assert.equal(counting.opened, 1);
    assert.deepEqual(read, [...atHalfPast.all.slice(0, 11), late, ...atHalfPast.all.slice(11, 61)]);
  });

  test('blocks hold no coordinate in the clear; destroying the key makes them unreadable', async () => {
    const { positions, blocks, db, cipher, a, b } = await setup();
    await positions.appendBatch([
      fix(a, 100, { latitude: SECRET_LATITUDE, longitude: SECRET_LONGITUDE }),
    ]);
    await makeBlocks(blocks, LATER);
    const stored = await blocksOf(db, a);
    assertNoSecrets(Buffer.concat(stored.map((block) => Buffer.from(block.sealed))));
    const range = await positions.range(a, at(0), LATER, 1000);
    assert.ok(range.some((position) => position.latitude === SECRET_LATITUDE));

    await cipher.destroyKey(a);
    await assert.rejects(positions.latest(a), DataKeyUnavailableError);
    await assert.rejects(positions.range(a, at(0), LATER, 1000), DataKeyUnavailableError);
    await assert.rejects(
      positions.listRange(a, at(0), LATER, undefined, 1000),
      DataKeyUnavailableError,
    );
    assert.equal((await positions.range(b, at(0), LATER, 1000)).length, 100);
  });

  test('leaves out a watch without its key and a position that does not open', async () => {
    const { positions, blocks, db, cipher, a, b } = await setup();
    const damaged = await db
      .selectFrom('positions')
      .select(['id', 'sealed'])
      .where('watch_id', '=', b)
      .where('recorded_at', '=', at(5).getTime())
      .executeTakeFirstOrThrow();
    const altered = Buffer.from(damaged.sealed);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    await db
      .updateTable('positions')
      .set({ sealed: altered })
      .where('id', '=', damaged.id)
      .execute();
    await cipher.destroyKey(a);

    assert.equal(await makeBlocks(blocks, LATER), 2, "b's two hours only");
    assert.deepEqual(await blocksOf(db, a), []);
    await assert.rejects(positions.range(b, at(0), LATER, 1000), SealedDataError);
    assert.equal((await positions.range(b, at(6), LATER, 1000)).length, 94);
    assert.equal((await positions.range(b, at(0), at(5), 1000)).length, 5);
    assert.equal(await makeBlocks(blocks, LATER), 0, 'not made again and again');
    await blocks.finish(0);
    const due = await blocks.dueHours(LATER, 10_000);
    assert.deepEqual([due.hours.length, due.isComplete], [0, true], 'progress never goes back');
  });

  test('a block only stands for the positions it names', async () => {
    const { positions, blocks, db, a } = await setup();
    const before = await readEverything(positions, a);
    await makeBlocks(blocks, LATER);
    const [first, second] = await blocksOf(db, a);
    assert.ok(first !== undefined && second !== undefined);
    // The block of the second hour put in the place of the first.
    await withPositionBlocks(db)
      .updateTable('position_blocks')
      .set({ sealed: second.sealed })
      .where('watch_id', '=', a)
      .where('hour_start', '=', first.hour_start)
      .execute();
    assert.deepEqual(await readEverything(positions, a), before);
  });

  test('writes nothing when the key is replaced while it works', async () => {
    const { positions, db, cipher, a } = await setup();
    // The watch is removed (its key destroyed) while its block is being made; the next seal
    // makes a new key, under which the old history must not come back.
    const racing: FieldCipher = {
      seal: async (watchId, plaintext) => {
        if (watchId === a) await cipher.destroyKey(a);
        return cipher.seal(watchId, plaintext);
      },
      open: (watchId, sealed) => cipher.open(watchId, sealed),
      openMany: (watchId, sealed) => cipher.openMany(watchId, sealed),
      destroyKey: (watchId) => cipher.destroyKey(watchId),
    };
    await makeBlocks(new SqlPositionBlocks(db, racing), LATER);
    assert.deepEqual(await blocksOf(db, a), []);
    await assert.rejects(positions.range(a, at(0), LATER, 1000), SealedDataError);
  });

  test('two processes making blocks at once agree', async () => {
    const { positions, db, cipher, a } = await setup();
    const before = await readEverything(positions, a);
    await Promise.all([
      makeBlocks(new SqlPositionBlocks(db, cipher), LATER),
      makeBlocks(new SqlPositionBlocks(db, cipher), LATER),
    ]);
    assert.deepEqual(hours(await blocksOf(db, a)), [0, 1, 2]);
    assert.deepEqual(await readEverything(positions, a), before);
  });
});

describeOnEachDatabase('Migration 0010-position-blocks', (context) => {
  test('positions stored before it stay readable, and get their blocks', async () => {
    const { database, db, cipher } = context();
    await undoPositionBlocks(db);
    const [watchId] = await provision(context(), '8800000061');
    assert.ok(watchId !== undefined);
    const stored = threeHours(watchId);
    await db
      .insertInto('positions')
      .values(await rowsBeforeBlocks(cipher, stored))
      .execute();

    assert.deepEqual(await migrateToLatest(database), [
      '0010-position-blocks',
      '0011-position-block-format',
      '0012-alert-alarm',
    ]);
    const positions = new SqlPositionRepository(db, cipher);
    const before = await readEverything(positions, watchId);
    assert.deepEqual(
      before.all.map((p) => p.latitude),
      [...stored]
        .sort((x, y) => x.recordedAt.getTime() - y.recordedAt.getTime())
        .map((p) => p.latitude),
    );
    assert.equal(await makeBlocks(new SqlPositionBlocks(db, cipher), LATER), 3);
    assert.deepEqual(await readEverything(positions, watchId), before);
  });
});

/**
 * Back to the schema of migration 0009, with the records of the later ones gone: kysely runs
 * migrations only in order, so every migration after 0010 is undone too.
 */
async function undoPositionBlocks(db: Db): Promise<void> {
  await sql`drop table position_blocks`.execute(db);
  await sql`drop table position_block_progress`.execute(db);
  await sql`alter table alerts drop column alarm_id`.execute(db);
  await sql`delete from kysely_migration where name in ('0010-position-blocks', '0011-position-block-format', '0012-alert-alarm')`.execute(
    db,
  );
}

/** Rows as the repository wrote them before blocks: each position sealed on its own. */
function rowsBeforeBlocks(cipher: TestCipher, positions: readonly Position[]) {
  return Promise.all(
    positions.map(async (position) => ({
      watch_id: position.watchId,
      recorded_at: position.recordedAt.getTime(),
      received_at: position.receivedAt.getTime(),
      source: position.source,
      is_buffered: position.isBuffered ? 1 : 0,
      flags: position.flags.join(','),
      sealed: await cipher.seal(position.watchId, encodePositionFields(position)),
    })),
  );
}

/** Neither as text nor as a float64/float32 in either byte order. */
function assertNoSecrets(bytes: Buffer): void {
  for (const secret of [SECRET_LATITUDE, SECRET_LONGITUDE]) {
    assert.ok(!bytes.includes(Buffer.from(String(secret).slice(0, 7))), `${secret} as text`);
    const double = Buffer.alloc(8);
    const single = Buffer.alloc(4);
    double.writeDoubleLE(secret);
    assert.ok(!bytes.includes(double), `${secret} as a float64`);
    double.writeDoubleBE(secret);
    assert.ok(!bytes.includes(double), `${secret} as a float64`);
    single.writeFloatLE(secret);
    assert.ok(!bytes.includes(single), `${secret} as a float32`);
    single.writeFloatBE(secret);
    assert.ok(!bytes.includes(single), `${secret} as a float32`);
  }
}
