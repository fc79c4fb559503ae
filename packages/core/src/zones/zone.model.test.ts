import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../errors/domain-error.ts';
import { destination, ring } from '../testing/zone-geometry.ts';
import {
  validZoneDraft,
  type ZoneDraft,
  type ZoneExpectation,
  type ZoneShape,
} from './zone.model.ts';

const SCHOOL = { latitude: 52.52, longitude: 13.405 };

function draft(shape: ZoneShape, expectations: ZoneExpectation[] = []): ZoneDraft {
  return { name: ' School ', shape, expectations };
}

function circle(radiusMeters: number, latitude = SCHOOL.latitude, longitude = SCHOOL.longitude) {
  return { kind: 'circle', latitude, longitude, radiusMeters } as const;
}

function refusal(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    assert.equal(error.kind, 'invalid');
    assert.equal(error.code, 'invalidZone');
    return error.message;
  }
  assert.fail('expected a refusal');
}

const WEEKDAYS_0750_0815: ZoneExpectation = {
  days: ['fri', 'mon', 'tue', 'wed', 'thu', 'mon'],
  start: '07:50',
  end: '08:15',
  timeZone: 'Europe/Berlin',
};

describe('circles', () => {
  test('a sensible circle is accepted, its name trimmed', () => {
    const valid = validZoneDraft(draft(circle(150)));
    assert.equal(valid.name, 'School');
    assert.deepEqual(valid.shape, circle(150));
  });

  test('absurd radii are refused with the allowed range', () => {
    assert.match(
      refusal(() => validZoneDraft(draft(circle(0)))),
      /radiusMeters: from 30 to 50000/,
    );
    assert.match(
      refusal(() => validZoneDraft(draft(circle(10_000_000)))),
      /radiusMeters/,
    );
    assert.match(
      refusal(() => validZoneDraft(draft(circle(Number.NaN)))),
      /radiusMeters/,
    );
  });

  test('NaN and out-of-range coordinates are refused, naming the field', () => {
    assert.match(
      refusal(() => validZoneDraft(draft(circle(100, Number.NaN)))),
      /latitude/,
    );
    assert.match(
      refusal(() => validZoneDraft(draft(circle(100, 91)))),
      /shape.latitude/,
    );
    assert.match(
      refusal(() => validZoneDraft(draft(circle(100, 10, 180.5)))),
      /shape.longitude/,
    );
  });

  test('an empty or overlong name is refused', () => {
    assert.match(
      refusal(() => validZoneDraft({ ...draft(circle(100)), name: '  ' })),
      /name/,
    );
    const long = 'x'.repeat(61);
    assert.match(
      refusal(() => validZoneDraft({ ...draft(circle(100)), name: long })),
      /name/,
    );
  });
});

describe('polygons', () => {
  const square = ring(SCHOOL, [
    [45, 200],
    [135, 200],
    [225, 200],
    [315, 200],
  ]);

  test('an open or closed ring is accepted and stored open', () => {
    const open = validZoneDraft(draft({ kind: 'polygon', vertices: square }));
    const closed = validZoneDraft(
      draft({ kind: 'polygon', vertices: [...square, ...square.slice(0, 1)] }),
    );
    assert.deepEqual(closed, open);
    assert.equal(open.shape.kind === 'polygon' && open.shape.vertices.length, 4);
  });

  test('a bow tie is refused as crossing itself', () => {
    const [a, b, c, d] = square as [typeof SCHOOL, typeof SCHOOL, typeof SCHOOL, typeof SCHOOL];
    const message = refusal(() =>
      validZoneDraft(draft({ kind: 'polygon', vertices: [a, c, b, d] })),
    );
    assert.match(message, /crosses itself/);
  });

  test('too few or too many corners, repeated corners and zero area are refused', () => {
    assert.match(
      refusal(() => validZoneDraft(draft({ kind: 'polygon', vertices: square.slice(0, 2) }))),
      /from 3 to 100/,
    );
    const many = ring(
      SCHOOL,
      Array.from({ length: 101 }, (_, i) => [(i * 360) / 101, 500] as const),
    );
    assert.match(
      refusal(() => validZoneDraft(draft({ kind: 'polygon', vertices: many }))),
      /100/,
    );
    const repeated = [0, 1, 1, 2].map((i) => square[i] ?? assert.fail());
    assert.match(
      refusal(() => validZoneDraft(draft({ kind: 'polygon', vertices: repeated }))),
      /repeats/,
    );
    const line = [SCHOOL, destination(SCHOOL, 90, 100), destination(SCHOOL, 90, 300)];
    assert.match(
      refusal(() => validZoneDraft(draft({ kind: 'polygon', vertices: line }))),
      /square metres|crosses/,
    );
  });

  test('a polygon larger than 100 km or across the antimeridian is refused', () => {
    const huge = ring(SCHOOL, [
      [0, 80_000],
      [120, 80_000],
      [240, 80_000],
    ]);
    assert.match(
      refusal(() => validZoneDraft(draft({ kind: 'polygon', vertices: huge }))),
      /km/,
    );
    const across = [
      { latitude: -17, longitude: 179.99 },
      { latitude: -17, longitude: -179.99 },
      { latitude: -17.01, longitude: -179.99 },
    ];
    assert.match(
      refusal(() => validZoneDraft(draft({ kind: 'polygon', vertices: across }))),
      /km/,
    );
  });

  /**
   * Corners in bearing order around one centre, one per sector of 360/n degrees, so that no gap
   * reaches 180 degrees: a star-shaped polygon around the centre, whose border is simple.
   */
  const starCorners = fc.integer({ min: 4, max: 100 }).chain((n) =>
    fc.tuple(
      fc
        .array(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { minLength: n, maxLength: n })
        .map((offsets) => offsets.map((offset, i) => ((i + offset) * 360) / n)),
      fc.array(fc.integer({ min: 100, max: 5000 }), { minLength: n, maxLength: n }),
    ),
  );

  test('property: polygons whose border does not cross itself are accepted', () => {
    fc.assert(
      fc.property(starCorners, ([bearings, distances]) => {
        // Corners in bearing order around one centre make a star-shaped, simple polygon.
        const vertices = ring(
          SCHOOL,
          bearings.map((b, i) => [b, distances[i] ?? 100] as const),
        );
        const valid = validZoneDraft(draft({ kind: 'polygon', vertices }));
        assert.equal(
          valid.shape.kind === 'polygon' && valid.shape.vertices.length,
          vertices.length,
        );
      }),
      { numRuns: 200 },
    );
  });

  test('property: swapping two neighbouring corners of a convex polygon is refused', () => {
    fc.assert(
      fc.property(starCorners, fc.nat(), ([bearings], at) => {
        // Corners on one circle: any two chords whose ends interleave cross.
        const vertices = ring(
          SCHOOL,
          bearings.map((b) => [b, 2000] as const),
        );
        const i = at % vertices.length;
        const j = (i + 1) % vertices.length;
        const corner = vertices[i] ?? assert.fail();
        vertices[i] = vertices[j] ?? assert.fail();
        vertices[j] = corner;
        const message = refusal(() => validZoneDraft(draft({ kind: 'polygon', vertices })));
        assert.match(message, /crosses itself/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('expectations', () => {
  test('days are put in week order without repeats', () => {
    const valid = validZoneDraft(draft(circle(100), [WEEKDAYS_0750_0815]));
    assert.deepEqual(valid.expectations[0]?.days, ['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  test('a schedule that ends before it starts, or when it starts, is refused', () => {
    const backwards = { ...WEEKDAYS_0750_0815, start: '08:15', end: '07:50' };
    assert.match(
      refusal(() => validZoneDraft(draft(circle(100), [backwards]))),
      /expectations\[0\]: ends at 07:50, not after it starts at 08:15/,
    );
    const empty = { ...WEEKDAYS_0750_0815, end: '07:50' };
    assert.match(
      refusal(() => validZoneDraft(draft(circle(100), [empty]))),
      /not after/,
    );
  });

  test('malformed times, unknown days and unknown time zones are refused', () => {
    const cases: [Partial<ZoneExpectation>, RegExp][] = [
      [{ start: '24:00' }, /start: a time HH:MM/],
      [{ end: '8:15' }, /end: a time HH:MM/],
      [{ days: [] }, /days/],
      [{ days: ['someday' as 'mon'] }, /days/],
      [{ timeZone: 'Mars/Olympus_Mons' }, /timeZone/],
    ];
    for (const [change, expected] of cases) {
      const expectation = { ...WEEKDAYS_0750_0815, ...change };
      assert.match(
        refusal(() => validZoneDraft(draft(circle(100), [expectation]))),
        expected,
      );
    }
  });
});
