import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchId } from '@kinwatch/core';
import { RecordingLogger } from '../../../core/src/testing/recording-observability.ts';
import {
  PositionBlockBuilder,
  blockCutoff,
  type PositionBlockStore,
} from './position-blocks.job.ts';

test('the cutoff is the start of the last hour that began at least 5 minutes ago', () => {
  const cutoff = (iso: string) => blockCutoff(new Date(iso)).toISOString();
  assert.equal(cutoff('2026-03-05T12:04:59.999Z'), '2026-03-05T11:00:00.000Z');
  assert.equal(cutoff('2026-03-05T12:05:00.000Z'), '2026-03-05T12:00:00.000Z');
  assert.equal(cutoff('2026-03-05T12:59:00.000Z'), '2026-03-05T12:00:00.000Z');
  assert.equal(cutoff('2026-03-06T00:02:00.000Z'), '2026-03-05T23:00:00.000Z');
});

type Hour = { watchId: WatchId; hourStart: number };

/** Passes of due hours and hours of stale blocks as given, recording what the job asks. */
class ScriptedStore implements PositionBlockStore {
  readonly calls: string[] = [];
  readonly #passes: { hours: Hour[]; throughId: number }[];
  readonly #stale: Hour[];

  constructor(passes: { hours: Hour[]; throughId: number }[], stale: Hour[] = []) {
    this.#passes = passes;
    this.#stale = stale;
  }

  staleHours(after: Hour | undefined, max: number) {
    this.calls.push(`stale ${after === undefined ? '-' : after.watchId} ${max}`);
    const from = after === undefined ? 0 : this.#stale.indexOf(after) + 1;
    return Promise.resolve(this.#stale.slice(from, from + max));
  }

  dueHours(receivedBefore: Date, maxPositions: number) {
    this.calls.push(`due ${receivedBefore.toISOString()} ${maxPositions}`);
    const pass = this.#passes.shift();
    return Promise.resolve({
      hours: pass?.hours ?? [],
      throughId: pass?.throughId,
      isComplete: this.#passes.length === 0,
    });
  }

  build(watchId: WatchId, hourStart: number): Promise<boolean> {
    this.calls.push(`build ${watchId} ${hourStart}`);
    if (watchId === 'broken') return Promise.reject(new Error('database is locked'));
    return Promise.resolve(watchId !== 'unchanged');
  }

  finish(throughId: number): Promise<void> {
    this.calls.push(`finish ${throughId}`);
    return Promise.resolve();
  }
}

test('a run makes the blocks of each pass, then records the pass, until one is complete', async () => {
  const store = new ScriptedStore([
    {
      hours: [
        { watchId: 'w1', hourStart: 0 },
        { watchId: 'unchanged', hourStart: 0 },
      ],
      throughId: 10,
    },
    { hours: [{ watchId: 'w2', hourStart: 3_600_000 }], throughId: 20 },
  ]);
  const job = new PositionBlockBuilder(
    store,
    { now: () => new Date('2026-03-05T12:30:00.000Z') },
    new RecordingLogger(),
    { positionsPerPass: 500 },
  );
  assert.equal(await job.runOnce(), 2);
  assert.deepEqual(store.calls, [
    'due 2026-03-05T12:00:00.000Z 500',
    'build w1 0',
    'build unchanged 0',
    'finish 10',
    'due 2026-03-05T12:00:00.000Z 500',
    'build w2 3600000',
    'finish 20',
    'stale - 500',
  ]);
});

test('the first run makes again every block of an older format, the next ones do not', async () => {
  const stale = Array.from({ length: 1001 }, (_, k) => ({ watchId: `w${k}`, hourStart: 0 }));
  const store = new ScriptedStore([{ hours: [], throughId: 1 }], stale);
  const now = new Date('2026-03-05T12:30:00.000Z');
  const job = new PositionBlockBuilder(store, { now: () => now }, new RecordingLogger());
  assert.equal(await job.runOnce(), 1001);
  assert.deepEqual(
    store.calls.filter((call) => call.startsWith('stale')),
    ['stale - 500', 'stale w499 500', 'stale w999 500'],
  );
  assert.equal(store.calls.filter((call) => call.startsWith('build')).length, 1001);
  store.calls.length = 0;
  assert.equal(await job.runOnce(), 0);
  assert.deepEqual(store.calls, ['due 2026-03-05T12:00:00.000Z 200000']);
});

test('a failed run is logged and does not record its pass; the next run goes on', async () => {
  const store = new ScriptedStore([
    { hours: [{ watchId: 'broken', hourStart: 0 }], throughId: 10 },
    { hours: [{ watchId: 'w1', hourStart: 0 }], throughId: 10 },
  ]);
  const logger = new RecordingLogger();
  const job = new PositionBlockBuilder(store, { now: () => new Date() }, logger, {
    intervalMs: 5,
  });
  job.start();
  while (!store.calls.includes('finish 10')) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await job.stop();
  assert.ok(logger.entries.some((entry) => entry.message.includes('position blocks failed')));
  assert.equal(store.calls.filter((call) => call.startsWith('finish')).length, 1);
  assert.ok(store.calls.indexOf('build broken 0') < store.calls.indexOf('finish 10'));
});
