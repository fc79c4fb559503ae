import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordingLogger } from '../../../core/src/testing/recording-observability.ts';
import { Housekeeping } from './housekeeping.job.ts';

test('prunes what is older than two days, and one failing target does not stop the others', async () => {
  const now = new Date('2026-03-05T12:00:00.000Z');
  const asked: Date[] = [];
  const logger = new RecordingLogger();
  const job = new Housekeeping(
    [
      { name: 'broken', prune: () => Promise.reject(new Error('disk full')) },
      {
        name: 'sessions',
        prune: (before) => {
          asked.push(before);
          return Promise.resolve(3);
        },
      },
    ],
    { now: () => now },
    logger,
  );
  assert.deepEqual(await job.runOnce(), { sessions: 3 });
  assert.deepEqual(asked, [new Date('2026-03-03T12:00:00.000Z')]);
  assert.ok(logger.entries.some((entry) => entry.message.includes('housekeeping failed')));
});
