import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataKeyUnavailableError, type NewActivityEntry, type WatchId } from '@kinwatch/core';
import { SqlActivityRepository } from './activity.repository.ts';
import { describeOnEachDatabase } from './sql-test-support.ts';
import { SqlWatchRepository } from './watch.repository.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');

function entry(watchId: WatchId, seconds: number, overrides: Partial<NewActivityEntry> = {}) {
  return {
    watchId,
    actorId: 'account-1',
    actorNickname: 'Mum',
    kind: 'historyViewed',
    details: { from: '2025-02-28T08:00:00.000Z', to: '2025-03-01T08:00:00.000Z', n: seconds },
    at: new Date(T0.getTime() + seconds * 1000),
    ...overrides,
  } satisfies NewActivityEntry;
}

describeOnEachDatabase('ActivityRepository', (context) => {
  const setup = async () => {
    const { db, cipher } = context();
    const watches = new SqlWatchRepository(db, cipher);
    await watches.provision(['8800000031', '8800000032'], T0);
    const a = (await watches.findByDeviceId('8800000031'))?.id ?? assert.fail();
    const b = (await watches.findByDeviceId('8800000032'))?.id ?? assert.fail();
    return { entries: new SqlActivityRepository(db, cipher), watches, a, b };
  };

  test('stores every field and lists the newest first', async () => {
    const { entries, a } = await setup();
    const first = await entries.append(entry(a, 0));
    const second = await entries.append(
      entry(a, 5, { kind: 'locateNow', actorNickname: null, details: {} }),
    );
    assert.ok(second.id > first.id);
    assert.deepEqual(await entries.list(a, undefined, 10), [second, first]);
  });

  test("pages by id and never shows another watch's entries", async () => {
    const { entries, a, b } = await setup();
    const stored = [];
    for (let i = 0; i < 5; i++) {
      stored.push(await entries.append(entry(a, i)));
      await entries.append(entry(b, i));
    }
    const newest = await entries.list(a, undefined, 2);
    assert.deepEqual(newest, [stored[4], stored[3]]);
    const older = await entries.list(a, newest[1]?.id, 10);
    assert.deepEqual(older, [stored[2], stored[1], stored[0]]);
    assert.ok((await entries.list(a, undefined, 10)).every((e) => e.watchId === a));
  });

  test("keeps the nickname and details sealed with the watch's key", async () => {
    const { entries, a } = await setup();
    const { db, cipher } = context();
    await entries.append(entry(a, 0, { actorNickname: 'Grandpa Joe', details: { format: 'gpx' } }));
    const row = await db.selectFrom('activity_log').selectAll().executeTakeFirstOrThrow();
    const stored = Buffer.from(row.sealed).toString('latin1');
    assert.ok(!stored.includes('Grandpa') && !stored.includes('gpx'));
    await cipher.destroyKey(a);
    await assert.rejects(entries.list(a, undefined, 10), DataKeyUnavailableError);
  });

  test('entries go with the watch', async () => {
    const { entries, watches, a } = await setup();
    await entries.append(entry(a, 0));
    await watches.remove(a);
    assert.deepEqual(await entries.list(a, undefined, 10), []);
  });
});
