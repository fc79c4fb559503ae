import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WifiObservation } from '@kinwatch/core';
import { RecordingLogger } from '../../../core/src/testing/recording-observability.ts';
import { WifiLearningBuffer } from './wifi-learning-buffer.ts';

const at = new Date('2026-03-01T08:00:00.000Z');
const observation = (n: number): WifiObservation => ({
  mac: `00:11:22:33:44:${String(n).padStart(2, '0')}`,
  latitude: 51.5,
  longitude: -0.12,
  accuracyMeters: 10,
  at,
});

function recordingRepository(failing = false) {
  const batches: WifiObservation[][] = [];
  return {
    batches,
    learnMany: (observations: readonly WifiObservation[]) => {
      if (failing) return Promise.reject(new Error('database down'));
      batches.push([...observations]);
      return Promise.resolve();
    },
  };
}

test('observations are written together, in order, once per window', async () => {
  const repository = recordingRepository();
  const buffer = new WifiLearningBuffer(repository, new RecordingLogger(), { windowMs: 20 });
  for (const n of [1, 2, 3]) await buffer.learn(observation(n));
  assert.equal(repository.batches.length, 0, 'nothing is written per observation');
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(
    repository.batches.map((b) => b.map((o) => o.mac.slice(-2))),
    [['01', '02', '03']],
  );
});

test('a full batch is written at once; flush writes the rest', async () => {
  const repository = recordingRepository();
  const buffer = new WifiLearningBuffer(repository, new RecordingLogger(), {
    windowMs: 10_000,
    maxBatch: 2,
  });
  for (const n of [1, 2, 3]) await buffer.learn(observation(n));
  await buffer.flush();
  assert.deepEqual(
    repository.batches.map((b) => b.length),
    [2, 1],
  );
});

test('a failed write is logged and never thrown; beyond the cap new observations are dropped', async () => {
  const logger = new RecordingLogger();
  const buffer = new WifiLearningBuffer(recordingRepository(true), logger, {
    maxPending: 2,
    maxBatch: 10,
  });
  for (const n of [1, 2, 3]) await buffer.learn(observation(n));
  await buffer.flush();
  const messages = logger.entries.map((entry) => entry.message);
  assert.ok(messages.includes('access point observations not learned'));
  assert.ok(messages.includes('access point observations dropped'));
});
