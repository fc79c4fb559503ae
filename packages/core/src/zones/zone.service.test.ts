import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../errors/domain-error.ts';
import { MemoryZoneRepository } from '../testing/memory-zone-repository.ts';
import { destination } from '../testing/zone-geometry.ts';
import type { ZoneFix } from './zone-evaluator.ts';
import type { ZoneDraft } from './zone.model.ts';
import { ZoneService } from './zone.service.ts';

const HOME = { latitude: 40.4168, longitude: -3.7038 };

class Clock {
  ms = Date.parse('2025-03-03T06:00:00.000Z'); // Monday 07:00 in Madrid
  now(): Date {
    return new Date(this.ms);
  }
}

function setUp() {
  const repository = new MemoryZoneRepository();
  const clock = new Clock();
  let next = 0;
  const service = new ZoneService({
    zones: repository,
    access: {
      watchFor(accountId, watchId) {
        if (accountId === 'parent' && watchId === 'w1') return Promise.resolve({});
        return Promise.reject(new DomainError('notFound', 'watchNotFound', 'no such watch'));
      },
    },
    ids: { id: () => `zone-${++next}` },
    clock,
  });
  return { repository, clock, service };
}

const SCHOOL: ZoneDraft = {
  name: 'School',
  shape: { kind: 'circle', ...HOME, radiusMeters: 150 },
  expectations: [{ days: ['mon'], start: '07:50', end: '08:15', timeZone: 'Europe/Madrid' }],
};

function fix(meters: number, at: Date): ZoneFix {
  return { ...destination(HOME, 0, meters), accuracyMeters: 15, at, isBuffered: false };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error) => error instanceof DomainError && error.code === code);
}

describe('managing zones', () => {
  test('a guardian creates, reads, changes and deletes; another account is told there is no watch', async () => {
    const { service } = setUp();
    const zone = await service.create('parent', 'w1', SCHOOL);
    assert.deepEqual(await service.list('parent', 'w1'), [zone]);
    const renamed = await service.update('parent', 'w1', zone.id, { ...SCHOOL, name: 'Escuela' });
    assert.equal((await service.get('parent', 'w1', zone.id)).name, renamed.name);
    await rejectsWith(service.list('stranger', 'w1'), 'watchNotFound');
    await rejectsWith(service.get('stranger', 'w1', zone.id), 'watchNotFound');
    await service.remove('parent', 'w1', zone.id);
    await rejectsWith(service.get('parent', 'w1', zone.id), 'zoneNotFound');
    await rejectsWith(service.remove('parent', 'w1', zone.id), 'zoneNotFound');
  });

  test('a bad draft is refused before anything is stored', async () => {
    const { service, repository } = setUp();
    const absurd = { ...SCHOOL, shape: { ...SCHOOL.shape, radiusMeters: 10_000_000 } };
    await rejectsWith(service.create('parent', 'w1', absurd), 'invalidZone');
    assert.equal(repository.zones.size, 0);
  });

  test('a watch has at most 500 zones', async () => {
    const { service } = setUp();
    for (let i = 0; i < 500; i++) await service.create('parent', 'w1', SCHOOL);
    await rejectsWith(service.create('parent', 'w1', SCHOOL), 'tooManyZones');
  });

  test('zone-only mode is a setting of the watch, read by the pipeline without a guardian', async () => {
    const { service } = setUp();
    assert.equal(await service.zoneOnlyFor('parent', 'w1'), false);
    await service.setZoneOnly('parent', 'w1', true);
    assert.equal(await service.isZoneOnly('w1'), true);
    await rejectsWith(service.setZoneOnly('stranger', 'w1', false), 'watchNotFound');
  });
});

describe('evaluation', () => {
  test('arrivals and departures are returned with the zone name and stored as events', async () => {
    const { service, clock } = setUp();
    const zone = await service.create('parent', 'w1', SCHOOL);
    const arrived = await service.evaluate('w1', fix(20, clock.now()));
    assert.deepEqual(
      arrived.map((t) => [t.zoneName, t.kind]),
      [['School', 'enter']],
    );
    assert.deepEqual(await service.evaluate('w1', fix(40, clock.now())), []);
    const left = await service.evaluate('w1', fix(900, new Date(clock.ms + 60_000)));
    assert.deepEqual(
      left.map((t) => t.kind),
      ['leave'],
    );
    const events = await service.events('parent', 'w1', { to: new Date(clock.ms + 120_000) });
    assert.deepEqual(
      events.map((e) => [e.zoneId, e.kind]),
      [
        [zone.id, 'leave'],
        [zone.id, 'enter'],
      ],
    );
  });

  test('a changed zone is used at once', async () => {
    const { service, clock } = setUp();
    const zone = await service.create('parent', 'w1', SCHOOL);
    assert.deepEqual(await service.evaluate('w1', fix(400, clock.now())), []);
    await service.update('parent', 'w1', zone.id, {
      ...SCHOOL,
      shape: { kind: 'circle', ...HOME, radiusMeters: 1000 },
    });
    assert.equal((await service.evaluate('w1', fix(400, clock.now()))).length, 1);
  });

  test('a watch is known to have no zones only from a fresh look at them', async () => {
    const { service, clock } = setUp();
    assert.equal(service.hasNoZones('w1'), false, 'never looked at: unknown');
    assert.deepEqual(await service.evaluate('w1', fix(20, clock.now())), []);
    assert.equal(service.hasNoZones('w1'), true);
    clock.ms += 61_000;
    assert.equal(service.hasNoZones('w1'), false, 'a stale look counts for nothing');
    await service.evaluate('w1', fix(20, clock.now()));
    assert.equal(service.hasNoZones('w1'), true);
    await service.create('parent', 'w1', SCHOOL);
    assert.equal(service.hasNoZones('w1'), false, 'a new zone counts at once');
    await service.evaluate('w1', fix(20, clock.now()));
    assert.equal(service.hasNoZones('w1'), false);
  });

  test('reversed and enormous event ranges are refused', async () => {
    const { service, clock } = setUp();
    await rejectsWith(
      service.events('parent', 'w1', { from: clock.now(), to: new Date(clock.ms - 1) }),
      'invalidRange',
    );
    await rejectsWith(
      service.events('parent', 'w1', { from: new Date(0), to: clock.now() }),
      'invalidRange',
    );
  });
});

describe('expectations', () => {
  const windowEnd = Date.parse('2025-03-03T07:15:00.000Z'); // Monday 08:15 in Madrid

  test('a window that ends without an arrival is missed; an arrival in it meets it', async () => {
    const { service, clock } = setUp();
    const zone = await service.create('parent', 'w1', SCHOOL);
    const from = clock.now();
    const missed = await service.missedExpectations('w1', from, new Date(windowEnd));
    assert.deepEqual(
      missed.map((m) => [m.zoneName, m.window.end.toISOString()]),
      [['School', '2025-03-03T07:15:00.000Z']],
    );
    await service.evaluate('w1', fix(10, new Date(windowEnd - 5 * 60_000)));
    assert.deepEqual(await service.missedExpectations('w1', from, new Date(windowEnd)), []);
    assert.deepEqual(await service.watchesWithExpectations(), ['w1']);
    assert.equal(zone.expectations.length, 1);
  });

  test('already inside when the window opens meets it; a zone made during the window is not judged', async () => {
    const { service, clock } = setUp();
    await service.create('parent', 'w1', SCHOOL);
    await service.evaluate('w1', fix(10, clock.now()));
    assert.deepEqual(await service.missedExpectations('w1', clock.now(), new Date(windowEnd)), []);

    const late = setUp();
    late.clock.ms = windowEnd - 10 * 60_000;
    await late.service.create('parent', 'w1', SCHOOL);
    assert.deepEqual(
      await late.service.missedExpectations('w1', late.clock.now(), new Date(windowEnd)),
      [],
    );
  });
});
