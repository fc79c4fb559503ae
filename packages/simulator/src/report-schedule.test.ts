import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReportSchedule } from './report-schedule.ts';

test('a locate-now burst report is due at once by default', () => {
  const schedule = new ReportSchedule(60, 10, 3);
  schedule.start(0, 1);
  schedule.startBurst(5_000);
  assert.equal(schedule.nextDueMs(), 5_000);
  assert.deepEqual(schedule.takeDue(5_000), { isIntervalDue: false, isBurstDue: true });
});

test('with a time to first fix, the burst waits for the fix, then goes on as usual', () => {
  const schedule = new ReportSchedule(60, 10, 2, 1.5);
  schedule.start(0, 1);
  schedule.startBurst(5_000);
  assert.equal(schedule.nextDueMs(), 6_500);
  assert.deepEqual(schedule.takeDue(6_000), { isIntervalDue: false, isBurstDue: false });
  assert.deepEqual(schedule.takeDue(6_500), { isIntervalDue: false, isBurstDue: true });
  assert.equal(schedule.nextDueMs(), 16_500);
  assert.deepEqual(schedule.takeDue(16_500), { isIntervalDue: false, isBurstDue: true });
  // Two burst reports, then only the interval.
  assert.equal(schedule.nextDueMs(), 60_000);
});
