import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PositionJsonBuffer,
  positionsJson,
  type Position,
  type PositionKey,
  type WatchId,
} from '@kinwatch/core';
import type { Db } from './database.ts';
import { HOUR_MS, SqlPositionBlocks, withPositionBlocks } from './position-blocks.ts';
import { SqlPositionRepository } from './position.repository.ts';
import { CountingCipher, makeBlocks } from './position-blocks-test-support.ts';
import { describeOnEachDatabase, type SqlTestContext } from './sql-test-support.ts';
import { SqlWatchRepository } from './watch.repository.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const MINUTE_MS = 60_000;
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE_MS);
const LATER = at(24 * 60);

function fix(watchId: WatchId, minutes: number, overrides: Partial<Position> = {}): Position {
  return {
    watchId,
    recordedAt: at(minutes),
    receivedAt: new Date(at(minutes).getTime() + 1500 + (minutes % 7)),
    source: minutes % 10 === 0 ? 'wifi' : 'gps',
    latitude: 52.52 + Math.sin(minutes / 100) * 0.01,
    longitude: 13.405 + Math.cos(minutes / 100) * 0.01,
    accuracyMeters: minutes % 10 === 0 ? 45.5 : 8,
    speedKmh: minutes % 10 === 0 ? null : 4.5,
    courseDegrees: minutes % 10 === 0 ? null : (minutes * 7) % 360,
    altitudeMeters: minutes % 10 === 0 ? null : 34.25,
    isBuffered: false,
    flags: [],
    ...overrides,
  };
}

/**
 * Four hours and a quarter of a fix a minute, with ties, reports without a fix, buffered ones
 * (stored first, so that they are in the blocks the job makes before the last hour's fixes).
 */
function history(watchId: WatchId): Position[] {
  return [
    fix(watchId, 30, { latitude: 1, flags: ['impossibleJump'] }),
    fix(watchId, 30, { source: 'cell', accuracyMeters: 1200 }),
    fix(watchId, 95, {
      source: 'none',
      latitude: null,
      longitude: null,
      accuracyMeters: null,
      speedKmh: null,
      courseDegrees: null,
      altitudeMeters: null,
    }),
    fix(watchId, 150, { isBuffered: true, flags: ['clockSkew', 'impossibleJump'] }),
    fix(watchId, 179, { recordedAt: new Date(at(180).getTime() - 1) }),
    ...Array.from({ length: 255 }, (_, minute) => fix(watchId, minute)),
  ];
}

/** Each page's JSON, count and next key, as a string to compare. */
type Pages = string[];

interface Reading {
  readonly from: Date;
  readonly to: Date;
  readonly limit: number;
}

/** Full days, pages of every size about the threshold for blocks, ranges that cut hours. */
const READINGS: readonly Reading[] = [
  { from: at(-60), to: LATER, limit: 2000 },
  { from: at(0), to: LATER, limit: 70 },
  { from: at(0), to: LATER, limit: 31 },
  { from: at(0), to: LATER, limit: 32 },
  { from: at(0), to: LATER, limit: 33 },
  { from: at(0), to: LATER, limit: 500 },
  { from: at(40), to: at(130), limit: 2000 },
  { from: at(25), to: at(200), limit: 50 },
  { from: at(59), to: at(61), limit: 40 },
  { from: at(179), to: at(181), limit: 40 },
  { from: at(200), to: LATER, limit: 2000 },
];

async function readPages(
  positions: SqlPositionRepository,
  watchId: WatchId,
  { from, to, limit }: Reading,
): Promise<Pages> {
  const pages: Pages = [];
  let after: PositionKey | undefined;
  do {
    // Written after bytes of the caller's, as the route does.
    const json = new PositionJsonBuffer(8);
    json.text('[');
    const page = await positions.listRangeJson(watchId, from, to, after, limit, json);
    json.text(']');
    pages.push(`${Buffer.from(json.bytes()).toString('utf8')}|${page.count}|${keyText(page.next)}`);
    after = page.next;
  } while (after !== undefined);
  return pages;
}

/** The same pages from `listRange`, written from its positions. */
async function pagesFromPositions(
  positions: SqlPositionRepository,
  watchId: WatchId,
  { from, to, limit }: Reading,
): Promise<Pages> {
  const pages: Pages = [];
  let after: PositionKey | undefined;
  do {
    const page = await positions.listRange(watchId, from, to, after, limit);
    const json = Buffer.from(positionsJson(page.positions)).toString('utf8');
    pages.push(`[${json}]|${page.positions.length}|${keyText(page.next)}`);
    after = page.next;
  } while (after !== undefined);
  return pages;
}

const keyText = (key: PositionKey | undefined) =>
  key === undefined ? 'end' : `${key.recordedAt.toISOString()}#${key.sequence}`;

async function readAll(positions: SqlPositionRepository, watchId: WatchId): Promise<Pages[]> {
  return Promise.all(READINGS.map((reading) => readPages(positions, watchId, reading)));
}

/** What the API answers with no block at all: the blocks set aside while it reads. */
async function readWithoutBlocks(
  db: Db,
  positions: SqlPositionRepository,
  watchId: WatchId,
): Promise<Pages[]> {
  const blockDb = withPositionBlocks(db);
  const saved = await blockDb.selectFrom('position_blocks').selectAll().execute();
  await blockDb.deleteFrom('position_blocks').execute();
  try {
    const pages = await readAll(positions, watchId);
    const fromPositions = await Promise.all(
      READINGS.map((reading) => pagesFromPositions(positions, watchId, reading)),
    );
    assert.deepEqual(pages, fromPositions, 'the JSON of the positions listRange returns');
    return pages;
  } finally {
    if (saved.length > 0) await blockDb.insertInto('position_blocks').values(saved).execute();
  }
}

describeOnEachDatabase('SqlPositionRepository.listRangeJson', (context: () => SqlTestContext) => {
  const setup = async () => {
    const { db, cipher } = context();
    const watches = new SqlWatchRepository(db, cipher);
    await watches.provision(['8800000071', '8800000072'], T0);
    const ids = await Promise.all(
      ['8800000071', '8800000072'].map(
        async (deviceId) => (await watches.findByDeviceId(deviceId))?.id ?? assert.fail(),
      ),
    );
    const [a, b] = ids as [WatchId, WatchId];
    const positions = new SqlPositionRepository(db, cipher);
    const ofA = history(a);
    const ofB = history(b);
    for (let index = 0; index < ofA.length; index++) {
      await positions.appendBatch([ofA[index], ofB[index]].filter((p) => p !== undefined));
    }
    return { db, cipher, positions, blocks: new SqlPositionBlocks(db, cipher), a, b };
  };

  test('the same bytes with blocks as without, for every page, range and size', async () => {
    const { db, cipher, positions, blocks, a, b } = await setup();
    const without = await readWithoutBlocks(db, positions, a);
    // The last hour (from 12:00) is left without a block, as the job leaves the current one.
    assert.equal(await makeBlocks(blocks, at(240), 100), 8);
    assert.deepEqual(await readAll(positions, a), without);
    assert.deepEqual(await readWithoutBlocks(db, positions, b), await readAll(positions, b));

    const counting = new CountingCipher(cipher);
    const day = await new SqlPositionRepository(db, counting).listRangeJson(
      a,
      at(-60),
      LATER,
      undefined,
      2000,
      new PositionJsonBuffer(),
    );
    assert.equal(day.count, 260);
    assert.equal(counting.opened, 4 + 15, 'four blocks and the 15 positions of the last hour');
  });

  test('a block that lags behind the rows, or stands in another hour, changes nothing', async () => {
    const { db, positions, blocks, a } = await setup();
    // Hours 1 and 2 of as many positions, for the block of one to pass for the other's.
    await positions.appendBatch([fix(a, 100)]);
    await makeBlocks(blocks, LATER);
    // Stored after the blocks were made, into hours that have one, and not made again.
    await positions.appendBatch([
      fix(a, 61, { receivedAt: LATER, isBuffered: true }),
      fix(a, 0, { receivedAt: LATER, latitude: -1 }),
      fix(a, 119, { receivedAt: LATER }),
    ]);
    const lagging = await readWithoutBlocks(db, positions, a);
    assert.deepEqual(await readAll(positions, a), lagging);

    // Hour 1's block put in the place of hour 2's (of as many positions): it names none of
    // hour 2's rows.
    const blockDb = withPositionBlocks(db);
    const hourOne = await blockDb
      .selectFrom('position_blocks')
      .select('sealed')
      .where('watch_id', '=', a)
      .where('hour_start', '=', at(60).getTime())
      .executeTakeFirstOrThrow();
    await blockDb
      .updateTable('position_blocks')
      .set({ sealed: hourOne.sealed })
      .where('watch_id', '=', a)
      .where('hour_start', '=', at(120).getTime())
      .execute();
    assert.deepEqual(await readAll(positions, a), lagging);
  });

  test('a block of an older layout is not used, and the job makes it again', async () => {
    const { db, cipher, positions, blocks, a } = await setup();
    const without = await readWithoutBlocks(db, positions, a);
    await makeBlocks(blocks, LATER);
    const blockDb = withPositionBlocks(db);
    // Hour 0's block as it was before the JSON was kept: fields only, format 0.
    const rows = await blockDb
      .selectFrom('positions')
      .select(['id', 'sealed'])
      .where('watch_id', '=', a)
      .where('recorded_at', '<', at(60).getTime())
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
    const fields = await cipher.openMany(
      a,
      rows.map((row) => row.sealed),
    );
    const old = Buffer.alloc(1 + rows.length * 57);
    old[0] = 2;
    for (const [index, row] of rows.entries()) {
      old.writeDoubleLE(row.id, 1 + index * 57);
      old.set(fields[index] as Uint8Array, 9 + index * 57);
    }
    const oldBlock = { sealed: await cipher.seal(a, old), format: 0 };
    await blockDb
      .updateTable('position_blocks')
      .set(oldBlock)
      .where('watch_id', '=', a)
      .where('hour_start', '=', T0.getTime())
      .execute();
    assert.deepEqual(await readAll(positions, a), without);
    // Also when its format column claims the current one: the plaintext says otherwise.
    await blockDb
      .updateTable('position_blocks')
      .set({ sealed: oldBlock.sealed })
      .where('watch_id', '=', a)
      .where('hour_start', '=', at(60).getTime())
      .execute();
    assert.deepEqual(await readAll(positions, a), without);

    const stale = await blocks.staleHours(undefined, 10);
    assert.deepEqual(stale, [{ watchId: a, hourStart: T0.getTime() }]);
    assert.equal(await blocks.build(a, T0.getTime()), true);
    assert.deepEqual(await blocks.staleHours(undefined, 10), []);
    assert.deepEqual(await readAll(positions, a), without);
    const counting = new CountingCipher(cipher);
    await new SqlPositionRepository(db, counting).listRangeJson(
      a,
      at(0),
      at(60),
      undefined,
      100,
      new PositionJsonBuffer(),
    );
    assert.equal(counting.opened, 1, 'hour 0 from its new block');
  });

  test('a stale block that cannot be made again is deleted', async () => {
    const { db, positions, blocks, a } = await setup();
    await makeBlocks(blocks, LATER);
    const blockDb = withPositionBlocks(db);
    await blockDb
      .updateTable('position_blocks')
      .set({ format: 0 })
      .where('watch_id', '=', a)
      .execute();
    // An hour whose positions are gone: only its block is left.
    await blockDb
      .insertInto('position_blocks')
      .values({
        watch_id: a,
        hour_start: at(-600).getTime(),
        positions: 1,
        last_id: 1,
        sealed: new Uint8Array(40),
        format: 0,
      })
      .execute();
    const stale = await blocks.staleHours(undefined, 100);
    assert.equal(stale.length, 6);
    for (const hour of stale) await blocks.build(hour.watchId, hour.hourStart);
    const left = await blockDb
      .selectFrom('position_blocks')
      .select(['hour_start', 'format'])
      .where('watch_id', '=', a)
      .orderBy('hour_start')
      .execute();
    assert.deepEqual(
      left.map((block) => (block.hour_start - T0.getTime()) / HOUR_MS),
      [0, 1, 2, 3, 4],
    );
    assert.ok(left.every((block) => block.format !== 0));
    assert.deepEqual(await readAll(positions, a), await readWithoutBlocks(db, positions, a));
  });
});
