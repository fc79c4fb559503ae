import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAccuracy, formatDay, formatMoment, formatRange } from './history-format.ts';
import { dayRange } from './history-range.ts';

const ZONE = 'Europe/Zurich';

test('a whole day reads as its date, in English and Chinese', () => {
  const range = dayRange('2026-11-29', ZONE);
  assert.equal(formatRange(range, 'en-GB', ZONE), formatDay('2026-11-29', 'en-GB', ZONE));
  assert.match(formatRange(range, 'en-GB', ZONE), /29 Nov 2026/);
  assert.match(formatRange(range, 'zh-CN', ZONE), /2026年11月29日/);
});

test('another range reads with its times, in the zone', () => {
  const text = formatRange(
    { fromMs: Date.parse('2026-11-29T07:00:00Z'), toMs: Date.parse('2026-11-29T09:30:00Z') },
    'en-GB',
    ZONE,
  );
  assert.match(text, /08:00/);
  assert.match(text, /10:30/);
});

test('moments show seconds, and the date when asked', () => {
  const atMs = Date.parse('2026-11-29T09:02:03Z');
  assert.equal(formatMoment(atMs, 'en-GB', ZONE, false), '10:02:03');
  assert.match(formatMoment(atMs, 'en-GB', ZONE, true), /29 Nov.*10:02:03/);
});

test('accuracy in metres or kilometres', () => {
  assert.equal(formatAccuracy(8.4, 'en-GB'), '±8 m');
  assert.equal(formatAccuracy(1500, 'en-GB'), '±1.5 km');
});
