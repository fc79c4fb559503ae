import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellTower } from '@kinwatch/core';
import { SqlCellTowerRepository } from './cell-tower.repository.ts';
import { describeOnEachDatabase } from './sql-test-support.ts';
import { SqlWifiRepository } from './wifi.repository.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');

function tower(cid: number, overrides: Partial<CellTower> = {}): CellTower {
  return {
    mcc: 262,
    mnc: 2,
    lac: 801,
    cid,
    radio: 'LTE',
    latitude: 52.5,
    longitude: 13.4,
    rangeMeters: 1000,
    samples: 3,
    updatedAt: T0,
    ...overrides,
  };
}

const byCid = (a: CellTower, b: CellTower) => a.cid - b.cid;

describeOnEachDatabase('CellTowerRepository', (context) => {
  const repository = () => new SqlCellTowerRepository(context().db);

  test('finds the towers it has among the keys asked, ignoring the rest', async () => {
    const towers = repository();
    const nr = tower(68_719_476_735, { radio: 'NR' });
    await towers.upsertMany([tower(1), tower(2), nr, tower(1, { mnc: 3 })]);
    const found = await towers.findMany([
      { mcc: 262, mnc: 2, lac: 801, cid: 1 },
      { mcc: 262, mnc: 2, lac: 801, cid: 68_719_476_735 },
      { mcc: 262, mnc: 2, lac: 802, cid: 2 },
      { mcc: 262, mnc: 2, lac: 801, cid: 1 },
    ]);
    assert.deepEqual(found.sort(byCid), [tower(1), nr]);
    assert.deepEqual(await towers.findMany([]), []);
  });

  test('upsert replaces a known key; within one batch the later row wins', async () => {
    const towers = repository();
    await towers.upsertMany([tower(1)]);
    await towers.upsertMany([
      tower(1, { latitude: 1, samples: 10 }),
      tower(1, { latitude: 2, samples: 20, radio: null }),
    ]);
    assert.deepEqual(await towers.findMany([tower(1)]), [
      tower(1, { latitude: 2, samples: 20, radio: null }),
    ]);
  });

  test('imports and looks up batches larger than one statement', async () => {
    const towers = repository();
    const many = Array.from({ length: 8_000 }, (_, index) => tower(index));
    await towers.upsertMany(many);
    const found = await towers.findMany(many.slice(100, 1_600));
    assert.equal(found.length, 1_500);
    assert.deepEqual(found.sort(byCid)[0], tower(100));
  });

  test('refuses a batch with an invalid row, storing none of it', async () => {
    const towers = repository();
    await assert.rejects(towers.upsertMany([tower(1), tower(2, { latitude: 95 })]), RangeError);
    await assert.rejects(towers.upsertMany([tower(-1)]), RangeError);
    assert.deepEqual(await towers.findMany([tower(1)]), []);
  });
});

describeOnEachDatabase('WifiRepository', (context) => {
  const repository = () => new SqlWifiRepository(context().db);

  test('learns a running average of every observation', async () => {
    const wifi = repository();
    const observe = (latitude: number, longitude: number, accuracyMeters: number, second: number) =>
      wifi.learn({
        mac: '1c:fa:68:0d:0f:6a',
        latitude,
        longitude,
        accuracyMeters,
        at: new Date(T0.getTime() + second * 1000),
      });
    await observe(52.0, 13.0, 10, 0);
    await observe(52.3, 13.3, 20, 1);
    await observe(52.6, 13.6, 30, 2);
    const [learned] = await wifi.findMany(['1c:fa:68:0d:0f:6a']);
    assert.ok(learned !== undefined);
    assert.equal(learned.samples, 3);
    assert.ok(Math.abs(learned.latitude - 52.3) < 1e-9);
    assert.ok(Math.abs(learned.longitude - 13.3) < 1e-9);
    assert.ok(Math.abs(learned.accuracyMeters - 20) < 1e-9);
    assert.deepEqual(learned.updatedAt, new Date(T0.getTime() + 2000));
  });

  test('one access point under different spellings of its MAC', async () => {
    const wifi = repository();
    const base = { latitude: 1, longitude: 2, accuracyMeters: 5, at: T0 };
    await wifi.learn({ ...base, mac: '1C:FA:68:D:F:6A' });
    await wifi.learn({ ...base, mac: '1c-fa-68-0d-0f-6a' });
    await wifi.learn({ ...base, mac: 'aa:bb:cc:dd:ee:ff' });
    const found = await wifi.findMany(['1c:fa:68:d:f:6a', 'not a mac', '00:00:00:00:00:01']);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.mac, '1c:fa:68:0d:0f:6a');
    assert.equal(found[0].samples, 2);
    await assert.rejects(wifi.learn({ ...base, mac: 'zz:00:00:00:00:00' }), RangeError);
    await assert.rejects(
      wifi.learn({ ...base, mac: 'aa:bb:cc:dd:ee:ff', latitude: 100 }),
      RangeError,
    );
  });

  test('many observations in one transaction fold as one by one would; an invalid one stores none', async () => {
    const wifi = repository();
    const base = { mac: '00:11:22:33:44:55', longitude: 2, accuracyMeters: 10, at: T0 };
    await wifi.learnMany([
      { ...base, latitude: 1 },
      { ...base, latitude: 2 },
      { ...base, latitude: 3 },
    ]);
    const [learned] = await wifi.findMany([base.mac]);
    assert.equal(learned?.samples, 3);
    assert.ok(Math.abs(learned.latitude - 2) < 1e-9);
    await assert.rejects(
      wifi.learnMany([
        { ...base, mac: 'aa:aa:aa:aa:aa:aa', latitude: 1 },
        { ...base, mac: 'not a mac', latitude: 1 },
      ]),
      RangeError,
    );
    assert.deepEqual(await wifi.findMany(['aa:aa:aa:aa:aa:aa']), []);
    await wifi.learnMany([]);
  });
});
