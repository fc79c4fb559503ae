import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Zone } from '@kinwatch/core';
import { describeOnEachDatabase, type SqlTestContext } from './sql-test-support.ts';
import { SqlZoneRepository } from './zone.repository.ts';

const T0 = new Date('2025-03-03T07:00:00.000Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function zone(id: string, watchId: string, overrides: Partial<Zone> = {}): Zone {
  return {
    id,
    watchId,
    name: 'School',
    shape: { kind: 'circle', latitude: 52.52, longitude: 13.405, radiusMeters: 150 },
    expectations: [],
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

async function withWatches(context: SqlTestContext, ...ids: string[]): Promise<SqlZoneRepository> {
  for (const [i, id] of ids.entries()) {
    await context.db
      .insertInto('watches')
      .values({ id, device_id: `88000000${i}`, provisioned_at: 0, demo_expires_at: null })
      .execute();
  }
  return new SqlZoneRepository(context.db, context.cipher);
}

describeOnEachDatabase('ZoneRepository', (context) => {
  test('zones round-trip whole, sealed, in creation order, and only for their watch', async () => {
    const zones = await withWatches(context(), 'watch-a', 'watch-b');
    const polygon = zone('zone-2', 'watch-a', {
      name: 'Park',
      shape: {
        kind: 'polygon',
        vertices: [
          { latitude: 52.5, longitude: 13.4 },
          { latitude: 52.51, longitude: 13.4 },
          { latitude: 52.51, longitude: 13.41 },
        ],
      },
      expectations: [{ days: ['mon'], start: '07:50', end: '08:15', timeZone: 'Europe/Berlin' }],
      createdAt: later(1),
      updatedAt: later(1),
    });
    await zones.insertZone(zone('zone-1', 'watch-a'));
    await zones.insertZone(polygon);
    assert.deepEqual(await zones.listZones('watch-a'), [zone('zone-1', 'watch-a'), polygon]);
    assert.deepEqual(await zones.listZones('watch-b'), []);
    assert.equal(await zones.findZone('watch-b', 'zone-1'), undefined);
    assert.equal(await zones.countZones('watch-a'), 2);
    assert.deepEqual(await zones.watchIdsWithExpectations(), ['watch-a']);
    const row = await context().db.selectFrom('zones').select('sealed').executeTakeFirstOrThrow();
    assert.ok(!Buffer.from(row.sealed).toString('latin1').includes('School'));
  });

  test('update and remove touch only a zone of the named watch', async () => {
    const zones = await withWatches(context(), 'watch-a', 'watch-b');
    await zones.insertZone(zone('zone-1', 'watch-a'));
    const renamed = zone('zone-1', 'watch-a', { name: 'Home', updatedAt: later(5) });
    assert.equal(await zones.updateZone({ ...renamed, watchId: 'watch-b' }), false);
    assert.equal(await zones.updateZone(renamed), true);
    assert.deepEqual(await zones.findZone('watch-a', 'zone-1'), renamed);
    assert.equal(await zones.removeZone('watch-b', 'zone-1'), false);
    assert.equal(await zones.removeZone('watch-a', 'zone-1'), true);
    assert.equal(await zones.removeZone('watch-a', 'zone-1'), false);
  });

  test('transitions store states and events; deleting the zone deletes both', async () => {
    const zones = await withWatches(context(), 'watch-a');
    await zones.insertZone(zone('zone-1', 'watch-a'));
    const enter = { zoneId: 'zone-1', kind: 'enter', at: later(1), isBuffered: false } as const;
    const leave = { zoneId: 'zone-1', kind: 'leave', at: later(9), isBuffered: true } as const;
    await zones.recordTransitions(
      'watch-a',
      [{ zoneId: 'zone-1', isInside: true, since: later(1) }],
      [enter],
    );
    await zones.recordTransitions(
      'watch-a',
      [{ zoneId: 'zone-1', isInside: false, since: later(9) }],
      [leave],
    );
    assert.deepEqual(await zones.listStates('watch-a'), [
      { zoneId: 'zone-1', isInside: false, since: later(9) },
    ]);
    const all = await zones.listEvents('watch-a', { from: T0, to: later(60), limit: 10 });
    assert.deepEqual(
      all.map((e) => [e.kind, e.at.getTime(), e.isBuffered]),
      [
        ['leave', later(9).getTime(), true],
        ['enter', later(1).getTime(), false],
      ],
    );
    const window = await zones.listEvents('watch-a', {
      from: T0,
      to: later(9),
      zoneId: 'zone-1',
      limit: 10,
    });
    assert.equal(window.length, 1);
    assert.equal((await zones.lastEventBefore('watch-a', 'zone-1', later(9)))?.kind, 'enter');
    assert.equal(await zones.lastEventBefore('watch-a', 'zone-1', later(1)), undefined);
    await zones.removeZone('watch-a', 'zone-1');
    assert.deepEqual(await zones.listStates('watch-a'), []);
    assert.deepEqual(await zones.listEvents('watch-a', { from: T0, to: later(60), limit: 10 }), []);
  });

  test('transitions of a zone deleted meanwhile are dropped', async () => {
    const zones = await withWatches(context(), 'watch-a');
    const enter = { zoneId: 'gone', kind: 'enter', at: later(1), isBuffered: false } as const;
    await zones.recordTransitions(
      'watch-a',
      [{ zoneId: 'gone', isInside: true, since: later(1) }],
      [enter],
    );
    assert.deepEqual(await zones.listStates('watch-a'), []);
  });

  test('zone-only mode is off until set, and can be switched back', async () => {
    const zones = await withWatches(context(), 'watch-a');
    assert.equal(await zones.isZoneOnly('watch-a'), false);
    await zones.setZoneOnly('watch-a', true, T0);
    assert.equal(await zones.isZoneOnly('watch-a'), true);
    await zones.setZoneOnly('watch-a', false, later(1));
    assert.equal(await zones.isZoneOnly('watch-a'), false);
  });
});
