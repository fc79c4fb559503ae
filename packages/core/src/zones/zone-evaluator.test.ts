import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { destination, ring } from '../testing/zone-geometry.ts';
import {
  BORDER_MARGIN_METERS,
  signedDistanceOf,
  ZoneTracker,
  type ZoneFix,
  type ZoneState,
  type ZoneTransition,
} from './zone-evaluator.ts';
import type { Zone, ZoneId, ZoneShape } from './zone.model.ts';

const CENTRE = { latitude: 48.137, longitude: 11.575 };
const T0 = Date.parse('2025-03-03T07:00:00.000Z');

function zone(id: string, shape: ZoneShape): Zone {
  const at = new Date(T0);
  return { id, watchId: 'w', name: id, shape, expectations: [], createdAt: at, updatedAt: at };
}

const SCHOOL = zone('school', { kind: 'circle', ...CENTRE, radiusMeters: 200 });
const PARK = zone('park', {
  kind: 'polygon',
  vertices: ring(destination(CENTRE, 90, 2000), [
    [0, 300],
    [100, 250],
    [200, 400],
    [300, 300],
  ]),
});

function fixAt(
  bearing: number,
  meters: number,
  accuracyMeters: number | null,
  minute = 0,
  isBuffered = false,
): ZoneFix {
  return {
    ...destination(CENTRE, bearing, meters),
    accuracyMeters,
    at: new Date(T0 + minute * 60_000),
    isBuffered,
  };
}

/** Runs fixes in order through a fresh tracker; returns every transition. */
function run(zones: readonly Zone[], fixes: readonly ZoneFix[]): ZoneTransition[] {
  const tracker = new ZoneTracker(zones);
  return fixes.flatMap((fix) => tracker.evaluate(fix));
}

describe('entering and leaving', () => {
  const zones = [SCHOOL, PARK];

  test('a confident fix inside enters; a confident fix far outside leaves', () => {
    const transitions = run(zones, [fixAt(0, 50, 20, 0), fixAt(0, 400, 20, 5)]);
    assert.deepEqual(
      transitions.map((t) => [t.zoneId, t.kind, t.at.getTime()]),
      [
        ['school', 'enter', T0],
        ['school', 'leave', T0 + 5 * 60_000],
      ],
    );
  });

  test('a coarse fix inside the zone is not enough to enter, nor to leave', () => {
    assert.deepEqual(run(zones, [fixAt(0, 10, 1000)]), []);
    const transitions = run(zones, [fixAt(0, 10, 10, 0), fixAt(0, 600, 1000, 1)]);
    assert.deepEqual(
      transitions.map((t) => t.kind),
      ['enter'],
    );
  });

  test('leaving needs the whole likely area beyond the border plus the margin', () => {
    const accuracy = 20;
    const justShort = 200 + accuracy + BORDER_MARGIN_METERS - 2;
    const beyond = 200 + accuracy + BORDER_MARGIN_METERS + 2;
    assert.deepEqual(
      run(zones, [fixAt(0, 0, 10, 0), fixAt(90, justShort, accuracy, 1)]).map((t) => t.kind),
      ['enter'],
    );
    assert.deepEqual(
      run(zones, [fixAt(0, 0, 10, 0), fixAt(90, beyond, accuracy, 1)]).map((t) => t.kind),
      ['enter', 'leave'],
    );
  });

  test('a fix without accuracy counts as 50 m', () => {
    assert.deepEqual(run(zones, [fixAt(0, 160, null)]), []);
    assert.deepEqual(
      run(zones, [fixAt(0, 140, null)]).map((t) => t.kind),
      ['enter'],
    );
  });

  test('polygons: inside enters, far away leaves (found through the index or the states)', () => {
    const park = destination(CENTRE, 90, 2000);
    const inside = { ...park, accuracyMeters: 10, at: new Date(T0), isBuffered: false };
    const away = { ...destination(CENTRE, 270, 30_000), accuracyMeters: 10, at: new Date(T0 + 1) };
    const transitions = run(zones, [inside, { ...away, isBuffered: true }]);
    assert.deepEqual(
      transitions.map((t) => [t.zoneId, t.kind, t.isBuffered]),
      [
        ['park', 'enter', false],
        ['park', 'leave', true],
      ],
    );
  });

  test('a fix older than the state does not change it', () => {
    const since = new Date(T0 + 60_000);
    const tracker = new ZoneTracker(zones, [{ zoneId: 'school', isInside: true, since }]);
    assert.deepEqual(tracker.evaluate(fixAt(0, 5000, 10, 0)), []);
    assert.deepEqual(tracker.state('school'), { zoneId: 'school', isInside: true, since });
    assert.equal(tracker.evaluate(fixAt(0, 5000, 10, 2)).length, 1);
    assert.equal(tracker.state('school')?.isInside, false);
  });

  test('states of zones that no longer exist are ignored', () => {
    const tracker = new ZoneTracker(zones, [
      { zoneId: 'gone', isInside: true, since: new Date(T0) },
    ]);
    assert.deepEqual(tracker.evaluate(fixAt(0, 5000, 10, 1)), []);
    assert.equal(tracker.state('gone'), undefined);
  });
});

describe('no flapping at the border', () => {
  const zones = [SCHOOL, PARK];

  test('property: fixes within half the margin of a circle border change the state at most once', () => {
    const fix = fc.record({
      bearing: fc.double({ min: 0, max: 360, noNaN: true }),
      offset: fc.double({
        min: -BORDER_MARGIN_METERS / 2,
        max: BORDER_MARGIN_METERS / 2,
        noNaN: true,
      }),
      accuracy: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 200, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(fix, { minLength: 1, maxLength: 60 }), (fixes) => {
        const transitions = run(
          zones,
          fixes.map((f, i) => fixAt(f.bearing, 200 + f.offset, f.accuracy, i)),
        );
        assert.ok(transitions.length <= 1, JSON.stringify(transitions));
      }),
    );
  });

  test('property: a fix exactly on a polygon corner or edge, repeated, never flaps', () => {
    const shape = PARK.shape;
    assert.ok(shape.kind === 'polygon');
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            corner: fc.nat({ max: shape.vertices.length - 1 }),
            along: fc.double({ min: 0, max: 1, noNaN: true }),
            accuracy: fc.double({ min: 0, max: 100, noNaN: true }),
          }),
          { minLength: 2, maxLength: 40 },
        ),
        (points) => {
          const fixes = points.map((p, i) => {
            const a = shape.vertices[p.corner] ?? assert.fail();
            const b = shape.vertices[(p.corner + 1) % shape.vertices.length] ?? assert.fail();
            return {
              latitude: a.latitude + (b.latitude - a.latitude) * p.along,
              longitude: a.longitude + (b.longitude - a.longitude) * p.along,
              accuracyMeters: p.accuracy,
              at: new Date(T0 + i * 1000),
              isBuffered: false,
            };
          });
          assert.ok(run(zones, fixes).length <= 1);
        },
      ),
    );
  });
});

describe('the index', () => {
  /** Every zone checked directly, by the same rule. */
  function bruteForce(all: readonly Zone[], fix: ZoneFix, states: ReadonlyMap<ZoneId, ZoneState>) {
    const accuracy = fix.accuracyMeters ?? 50;
    const out: string[] = [];
    for (const z of all) {
      const d = signedDistanceOf(z)(fix.latitude, fix.longitude);
      const isInside = states.get(z.id)?.isInside ?? false;
      if (!isInside && d <= -accuracy) out.push(`${z.id}:enter`);
      if (isInside && d >= accuracy + BORDER_MARGIN_METERS) out.push(`${z.id}:leave`);
    }
    return out.sort();
  }

  test('property: finds exactly the transitions of checking every zone', () => {
    const zoneArb = fc.record({
      bearing: fc.double({ min: 0, max: 360, noNaN: true }),
      meters: fc.double({ min: 0, max: 8000, noNaN: true }),
      radius: fc.double({ min: 30, max: 1500, noNaN: true }),
      isPolygon: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(zoneArb, { minLength: 1, maxLength: 60 }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 360, noNaN: true }),
            fc.double({ min: 0, max: 9000, noNaN: true }),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        (specs, points, insides) => {
          const all = specs.map((s, i) => {
            const centre = destination(CENTRE, s.bearing, s.meters);
            const shape: ZoneShape = s.isPolygon
              ? {
                  kind: 'polygon',
                  vertices: ring(centre, [
                    [0, s.radius],
                    [120, s.radius],
                    [240, s.radius],
                  ]),
                }
              : { kind: 'circle', ...centre, radiusMeters: s.radius };
            return zone(`z${i}`, shape);
          });
          const states = new Map<ZoneId, ZoneState>(
            all.map((z, i) => [
              z.id,
              { zoneId: z.id, isInside: insides[i] ?? false, since: new Date(T0) },
            ]),
          );
          for (const [bearing, meters] of points) {
            const fix = fixAt(bearing, meters, 25, 1);
            const got = new ZoneTracker(all, [...states.values()])
              .evaluate(fix)
              .map((t) => `${t.zoneId}:${t.kind}`)
              .sort();
            assert.deepEqual(got, bruteForce(all, fix, states));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
