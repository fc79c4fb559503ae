import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alarmProblem, type NewAlarm } from './alarm.model.ts';
import { positionProblem, type Position } from './position.model.ts';

const gps: Position = {
  watchId: 'w',
  recordedAt: new Date('2025-03-01T08:00:00Z'),
  receivedAt: new Date('2025-03-01T08:00:02Z'),
  source: 'gps',
  latitude: -90,
  longitude: 180,
  accuracyMeters: 0,
  speedKmh: 0,
  courseDegrees: 0,
  altitudeMeters: -400,
  isBuffered: false,
  flags: ['clockSkew'],
};

test('a well-formed position, at the edges of every range, has no problem', () => {
  assert.equal(positionProblem(gps), undefined);
  assert.equal(
    positionProblem({ ...gps, courseDegrees: 359.99, latitude: 90, longitude: -180 }),
    undefined,
  );
  const none = {
    ...gps,
    source: 'none' as const,
    latitude: null,
    longitude: null,
    accuracyMeters: null,
  };
  assert.equal(positionProblem(none), undefined);
});

test('each malformed field is named', () => {
  const cases: [Partial<Position>, RegExp][] = [
    [{ latitude: 90.0001 }, /latitude/],
    [{ longitude: -180.5 }, /longitude/],
    [{ latitude: Number.NaN }, /latitude/],
    [{ longitude: Number.POSITIVE_INFINITY }, /longitude/],
    [{ latitude: null }, /coordinates/],
    [{ source: 'none' }, /coordinates/],
    [{ accuracyMeters: -1 }, /accuracyMeters/],
    [{ speedKmh: -0.1 }, /speedKmh/],
    [{ courseDegrees: 360 }, /courseDegrees/],
    [{ courseDegrees: -1 }, /courseDegrees/],
    [{ altitudeMeters: Number.NaN }, /altitudeMeters/],
    [{ recordedAt: new Date('not a date') }, /recordedAt/],
    [{ receivedAt: new Date(Number.NaN) }, /receivedAt/],
    [{ flags: ['teleported' as never] }, /flag/],
    [{ source: 'bluetooth' as never }, /source/],
  ];
  for (const [change, reason] of cases) {
    assert.match(
      positionProblem({ ...gps, ...change }) ?? 'no problem found',
      reason,
      JSON.stringify(change),
    );
  }
});

test('an alarm needs distinct known kinds and a well-formed position', () => {
  const alarm: NewAlarm = {
    watchId: 'w',
    kinds: ['sos', 'fall'],
    recordedAt: gps.recordedAt,
    receivedAt: gps.receivedAt,
    source: 'cell',
    latitude: 1,
    longitude: 2,
    accuracyMeters: 900,
  };
  assert.equal(alarmProblem(alarm), undefined);
  assert.match(alarmProblem({ ...alarm, kinds: [] }) ?? '', /at least one/);
  assert.match(alarmProblem({ ...alarm, kinds: ['sos', 'sos'] }) ?? '', /repeat/);
  assert.match(alarmProblem({ ...alarm, kinds: ['panic' as never] }) ?? '', /unknown alarm kind/);
  assert.match(alarmProblem({ ...alarm, latitude: null }) ?? '', /coordinates/);
});
