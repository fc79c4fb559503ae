import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addDays,
  dayKeyOf,
  dayRange,
  isDayKey,
  parseLocalDateTime,
  rangeProblem,
  toLocalDateTime,
  zoneOffsetMs,
} from './history-range.ts';

const HOUR = 3_600_000;

describe('days in the guardian time zone', () => {
  test('a Zurich winter day runs from 23:00 UTC the evening before', () => {
    const range = dayRange('2026-01-15', 'Europe/Zurich');
    assert.equal(new Date(range.fromMs).toISOString(), '2026-01-14T23:00:00.000Z');
    assert.equal(new Date(range.toMs).toISOString(), '2026-01-15T23:00:00.000Z');
  });

  test('the day clocks go forward has 23 hours, the day they go back 25', () => {
    const spring = dayRange('2026-03-29', 'Europe/Zurich');
    assert.equal(spring.toMs - spring.fromMs, 23 * HOUR);
    const autumn = dayRange('2026-10-25', 'Europe/Zurich');
    assert.equal(autumn.toMs - autumn.fromMs, 25 * HOUR);
    assert.equal(new Date(autumn.fromMs).toISOString(), '2026-10-24T22:00:00.000Z');
  });

  test('zones ahead of and behind UTC, and on the half hour', () => {
    assert.equal(
      new Date(dayRange('2026-06-01', 'Asia/Shanghai').fromMs).toISOString(),
      '2026-05-31T16:00:00.000Z',
    );
    assert.equal(
      new Date(dayRange('2026-06-01', 'America/New_York').fromMs).toISOString(),
      '2026-06-01T04:00:00.000Z',
    );
    assert.equal(
      new Date(dayRange('2026-06-01', 'Asia/Kolkata').fromMs).toISOString(),
      '2026-05-31T18:30:00.000Z',
    );
  });

  test('the day of an instant depends on the zone', () => {
    const instant = Date.parse('2026-11-29T23:30:00Z');
    assert.equal(dayKeyOf(instant, 'UTC'), '2026-11-29');
    assert.equal(dayKeyOf(instant, 'Europe/Zurich'), '2026-11-30');
    assert.equal(dayKeyOf(instant, 'America/Los_Angeles'), '2026-11-29');
    assert.equal(zoneOffsetMs(instant, 'Europe/Zurich'), HOUR);
  });

  test('days step across months, years and leap days', () => {
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2028-03-01', -1), '2028-02-29');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.equal(isDayKey('2026-02-29'), false);
    assert.equal(isDayKey('2028-02-29'), true);
    assert.equal(isDayKey('yesterday'), false);
  });
});

describe('custom ranges', () => {
  test('date-time inputs are read in the zone and written back unchanged', () => {
    const atMs = parseLocalDateTime('2026-07-01T08:15', 'Europe/Zurich');
    assert.equal(atMs, Date.parse('2026-07-01T06:15:00Z'));
    assert.equal(toLocalDateTime(atMs, 'Europe/Zurich'), '2026-07-01T08:15');
    assert.equal(parseLocalDateTime('', 'Europe/Zurich'), null);
    assert.equal(parseLocalDateTime('2026-02-30T10:00', 'Europe/Zurich'), null);
  });

  test('a time skipped by the clock change lands after the change', () => {
    const atMs = parseLocalDateTime('2026-03-29T02:30', 'Europe/Zurich');
    assert.equal(atMs, Date.parse('2026-03-29T01:30:00Z'));
  });

  test('the server rules: not reversed, not empty, at most 31 days', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(rangeProblem(start, start + HOUR), null);
    assert.equal(rangeProblem(start, start + 31 * 24 * HOUR), null);
    assert.equal(rangeProblem(start, start + 31 * 24 * HOUR + 1), 'rangeTooLarge');
    assert.equal(rangeProblem(start, start), 'invalidRange');
    assert.equal(rangeProblem(start + HOUR, start), 'invalidRange');
    assert.equal(rangeProblem(null, start), 'incomplete');
  });
});
