import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellTower, WifiAccessPointLocation } from '../geo/geo.model.ts';
import { distanceMeters } from '../geo/haversine.ts';
import { InMemoryCellTowers, InMemoryWifi, T0 } from '../testing/position-fakes.ts';
import type { ObservedCell, ObservedWifi } from './location-observation.model.ts';
import {
  LocalGeoResolver,
  MIN_CELL_RANGE_METERS,
  WIFI_REACH_METERS,
} from './local-geo-resolver.ts';

const A = { latitude: 52.52, longitude: 13.4 };
const B = { latitude: 52.53, longitude: 13.42 };

function tower(cid: number, at: { latitude: number; longitude: number }, rangeMeters = 1000) {
  const row: CellTower = {
    mcc: 262,
    mnc: 2,
    lac: 801,
    cid,
    radio: 'LTE',
    ...at,
    rangeMeters,
    samples: 10,
    updatedAt: T0,
  };
  return row;
}

function heardCell(cid: number, rssi?: number): ObservedCell {
  return {
    mcc: 262,
    mnc: 2,
    lac: 801,
    cid,
    isOperatorKnown: true,
    ...(rssi === undefined ? {} : { rssi }),
  };
}

function accessPoint(mac: string, at: { latitude: number; longitude: number }) {
  const row: WifiAccessPointLocation = {
    mac,
    ...at,
    accuracyMeters: 10,
    samples: 4,
    updatedAt: T0,
  };
  return row;
}

async function setUp(towers: CellTower[], aps: WifiAccessPointLocation[] = []) {
  const cells = new InMemoryCellTowers();
  await cells.upsertMany(towers);
  const wifi = new InMemoryWifi();
  for (const ap of aps) wifi.accessPoints.set(ap.mac, ap);
  return { cells, wifi, resolver: new LocalGeoResolver({ cells, wifi }) };
}

const near = (a: { latitude: number; longitude: number }, b: typeof a, meters: number) =>
  distanceMeters(a, b) <= meters;

test('one known cell gives its tower, as accurate as its range', async () => {
  const { resolver } = await setUp([tower(1, A, 1800)]);
  const fix = await resolver.resolve([heardCell(1, 140), heardCell(99, 150)], []);
  assert.ok(fix !== undefined && near(fix, A, 0.01));
  assert.equal(fix.source, 'cell');
  assert.equal(fix.accuracyMeters, 1800);
});

test('two equally heard cells give their midpoint; radius = half their distance + range', async () => {
  const { resolver } = await setUp([tower(1, A), tower(2, B)]);
  const fix = await resolver.resolve([heardCell(1, 140), heardCell(2, 140)], []);
  assert.ok(fix !== undefined);
  const half = distanceMeters(A, B) / 2;
  assert.ok(near(fix, { latitude: 52.525, longitude: 13.41 }, 1));
  assert.ok(Math.abs(fix.accuracyMeters - (half + 1000)) <= 1, String(fix.accuracyMeters));
});

test('a cell heard 20 dB stronger pulls the fix ten times harder', async () => {
  const { resolver } = await setUp([tower(1, A), tower(2, B)]);
  const fix = await resolver.resolve([heardCell(1, 148), heardCell(2, 128)], []);
  assert.ok(fix !== undefined);
  const fromA = distanceMeters(A, fix);
  assert.ok(Math.abs(fromA - distanceMeters(A, B) / 11) < 2, String(fromA));
});

test('cells of an unknown operator are never looked up', async () => {
  const { resolver, cells } = await setUp([tower(1, A)]);
  const unknownOperator = { ...heardCell(1), isOperatorKnown: false };
  const noCountry: ObservedCell = { mnc: 2, lac: 801, cid: 1, isOperatorKnown: true };
  assert.equal(await resolver.resolve([unknownOperator, noCountry], []), undefined);
  assert.equal(cells.lookups, 0);
});

test('a tower range from a handful of samples is widened to the floor', async () => {
  const { resolver } = await setUp([tower(1, A, 3)]);
  const fix = await resolver.resolve([heardCell(1)], []);
  assert.equal(fix?.accuracyMeters, MIN_CELL_RANGE_METERS);
});

test('two known access points win over cells; radius from their reach', async () => {
  const east = { latitude: 52.52, longitude: 13.4006 }; // about 40 m east of A
  const { resolver } = await setUp(
    [tower(1, B)],
    [accessPoint('aa:bb:cc:00:00:01', A), accessPoint('aa:bb:cc:00:00:02', east)],
  );
  const wifi: ObservedWifi[] = [
    { mac: 'AA:BB:CC:0:0:1', rssi: -60 },
    { mac: 'aa:bb:cc:00:00:02', rssi: -60 },
  ];
  const fix = await resolver.resolve([heardCell(1)], wifi);
  assert.ok(fix !== undefined);
  assert.equal(fix.source, 'wifi');
  assert.ok(near(fix, { latitude: 52.52, longitude: 13.4003 }, 1));
  const reach = 10 + WIFI_REACH_METERS * 1.5;
  const expected = Math.round(distanceMeters(A, east) / 2 + reach);
  assert.ok(Math.abs(fix.accuracyMeters - expected) <= 1, `${fix.accuracyMeters} ${expected}`);
});

test('one known access point is not enough: the cells decide', async () => {
  const { resolver } = await setUp([tower(1, B)], [accessPoint('aa:bb:cc:00:00:01', A)]);
  const wifi = [
    { mac: 'aa:bb:cc:00:00:01', rssi: -50 },
    { mac: 'aa:bb:cc:00:00:09', rssi: -70 },
  ];
  const fix = await resolver.resolve([heardCell(1)], wifi);
  assert.ok(fix !== undefined);
  assert.equal(fix.source, 'cell');
  assert.ok(near(fix, B, 1));
});

test('an access point far from the others (it moved house) is left out', async () => {
  const faraway = { latitude: 52.9, longitude: 13.4 };
  const { resolver } = await setUp(
    [],
    [
      accessPoint('aa:bb:cc:00:00:01', A),
      accessPoint('aa:bb:cc:00:00:02', { latitude: 52.5203, longitude: 13.4 }),
      accessPoint('aa:bb:cc:00:00:03', faraway),
    ],
  );
  const wifi = ['01', '02', '03'].map((octet) => ({ mac: `aa:bb:cc:00:00:${octet}`, rssi: -70 }));
  const fix = await resolver.resolve([], wifi);
  assert.ok(fix !== undefined);
  assert.ok(near(fix, A, 40), String(distanceMeters(fix, A)));
  assert.ok(fix.accuracyMeters < 250, String(fix.accuracyMeters));
});

test('nothing known, nothing heard, or only junk MACs: no fix', async () => {
  const { resolver, cells } = await setUp([tower(1, A)], [accessPoint('aa:bb:cc:00:00:01', A)]);
  assert.equal(await resolver.resolve([], []), undefined);
  assert.equal(await resolver.resolve([heardCell(7)], [{ mac: '0', rssi: -40 }]), undefined);
  assert.equal(cells.lookups, 1);
});
