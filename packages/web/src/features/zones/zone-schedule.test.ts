import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expectationProblems,
  groupDays,
  minuteOfDay,
  newExpectation,
  toggleDay,
} from './zone-schedule.ts';

test('times are HH:MM from 00:00 to 23:59', () => {
  assert.equal(minuteOfDay('07:50'), 470);
  assert.equal(minuteOfDay('23:59'), 1439);
  assert.equal(minuteOfDay('24:00'), undefined);
  assert.equal(minuteOfDay('7:50'), undefined);
  assert.equal(minuteOfDay(''), undefined);
});

test('an expectation must end after it starts, on some day, in a real time zone', () => {
  const good = { ...newExpectation('Europe/Berlin') };
  assert.deepEqual(expectationProblems(good), []);
  assert.deepEqual(expectationProblems({ ...good, end: '07:50' }), ['endNotAfterStart']);
  assert.deepEqual(expectationProblems({ ...good, end: '07:00' }), ['endNotAfterStart']);
  assert.deepEqual(expectationProblems({ ...good, days: [] }), ['noDays']);
  assert.deepEqual(expectationProblems({ ...good, start: '' }), ['badStart']);
  assert.deepEqual(expectationProblems({ ...good, timeZone: 'Mars/Olympus' }), ['badTimeZone']);
});

test('days are grouped the way people say them', () => {
  assert.deepEqual(groupDays(['fri', 'mon', 'tue', 'wed', 'thu']), { kind: 'schoolDays' });
  assert.deepEqual(groupDays(['sun', 'sat']), { kind: 'weekend' });
  assert.deepEqual(groupDays(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']), {
    kind: 'everyDay',
  });
  assert.deepEqual(groupDays(['wed', 'mon']), { kind: 'days', days: ['mon', 'wed'] });
});

test('toggling a day keeps the week in order', () => {
  assert.deepEqual(toggleDay(['mon', 'fri'], 'wed'), ['mon', 'wed', 'fri']);
  assert.deepEqual(toggleDay(['mon', 'wed', 'fri'], 'wed'), ['mon', 'fri']);
});
