import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTimeZone, localTime, windowsEndingBetween } from './expectation-schedule.ts';
import type { ZoneExpectation } from './zone.model.ts';

const SCHOOL_DAYS: ZoneExpectation = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '07:50',
  end: '08:15',
  timeZone: 'Europe/Berlin',
};

const iso = (windows: { start: Date; end: Date }[]) =>
  windows.map((w) => [w.start.toISOString(), w.end.toISOString()]);

test('school days only, in local time, across the spring change to summer time', () => {
  // Berlin moved from UTC+1 to UTC+2 on Sunday 30 March 2025.
  const windows = windowsEndingBetween(
    SCHOOL_DAYS,
    new Date('2025-03-27T12:00:00Z'),
    new Date('2025-04-01T12:00:00Z'),
  );
  assert.deepEqual(iso(windows), [
    ['2025-03-28T06:50:00.000Z', '2025-03-28T07:15:00.000Z'],
    ['2025-03-31T05:50:00.000Z', '2025-03-31T06:15:00.000Z'],
    ['2025-04-01T05:50:00.000Z', '2025-04-01T06:15:00.000Z'],
  ]);
});

test('a window counts when its end falls in (from, to]', () => {
  const end = new Date('2025-03-31T06:15:00Z');
  assert.equal(windowsEndingBetween(SCHOOL_DAYS, new Date(end.getTime() - 1), end).length, 1);
  assert.equal(windowsEndingBetween(SCHOOL_DAYS, end, new Date(end.getTime() + 60_000)).length, 0);
});

test('time zones with half-hour offsets and west of Greenwich', () => {
  const kolkata = { ...SCHOOL_DAYS, days: ['sat'] as const, timeZone: 'Asia/Kolkata' };
  assert.deepEqual(
    iso(
      windowsEndingBetween(kolkata, new Date('2025-03-01T00:00Z'), new Date('2025-03-02T00:00Z')),
    ),
    [['2025-03-01T02:20:00.000Z', '2025-03-01T02:45:00.000Z']],
  );
  const newYork = { ...SCHOOL_DAYS, days: ['mon'] as const, timeZone: 'America/New_York' };
  assert.deepEqual(
    iso(
      windowsEndingBetween(newYork, new Date('2025-11-03T00:00Z'), new Date('2025-11-04T00:00Z')),
    ),
    [['2025-11-03T12:50:00.000Z', '2025-11-03T13:15:00.000Z']],
  );
});

test('looks back at most 7 days', () => {
  const windows = windowsEndingBetween(
    SCHOOL_DAYS,
    new Date('2025-01-01T00:00Z'),
    new Date('2025-03-31T12:00Z'),
  );
  assert.equal(windows.length, 5);
});

test('time zone names and local times', () => {
  assert.equal(isTimeZone('Europe/Berlin'), true);
  assert.equal(isTimeZone('UTC'), true);
  assert.equal(isTimeZone('Europe/Atlantis'), false);
  assert.equal(isTimeZone(''), false);
  assert.deepEqual(localTime(new Date('2025-03-31T05:50:00Z'), 'Europe/Berlin'), {
    weekday: 'mon',
    time: '07:50',
  });
});
