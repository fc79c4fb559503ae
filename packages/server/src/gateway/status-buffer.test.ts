import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Watch, WatchActivity, WatchId } from '@kinwatch/core';
import { RecordingLogger } from '../../../core/src/testing/recording-observability.ts';
import { STATUS_ROWS_PER_CHUNK, StatusBuffer, type StatusRepository } from './status-buffer.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Keeps what was written, call by call; refuses batches naming a watch in `refused`. */
class FakeRepository implements StatusRepository {
  readonly calls: WatchActivity[][] = [];
  readonly refused = new Set<WatchId>();
  readonly removed = new Set<WatchId>();
  isDown = false;

  recordActivity(batch: readonly WatchActivity[]): Promise<void> {
    if (this.isDown) return Promise.reject(new Error('database unreachable'));
    if (batch.some((a) => this.refused.has(a.watchId) || this.removed.has(a.watchId))) {
      return Promise.reject(new Error('foreign key constraint failed'));
    }
    this.calls.push([...batch]);
    return Promise.resolve();
  }

  findById(watchId: WatchId): Promise<Watch | undefined> {
    if (this.isDown) return Promise.reject(new Error('database unreachable'));
    return Promise.resolve(this.removed.has(watchId) ? undefined : ({ id: watchId } as Watch));
  }

  written(): WatchActivity[] {
    return this.calls.flat();
  }
}

test('merges per watch and writes status with the connection in one entry', async () => {
  const repository = new FakeRepository();
  const buffer = new StatusBuffer(repository, new RecordingLogger());
  const connection = { at: at(1), address: '198.51.100.1', vendor: '3G' };
  buffer.connected('a', connection);
  buffer.keepAlive('a', at(1), undefined, undefined);
  buffer.keepAlive('a', at(2), 80, 1200);
  buffer.keepAlive('a', at(3), undefined, 1300);
  buffer.update('b', { isOnline: false, updatedAt: at(4) });
  assert.equal(buffer.pendingCount, 2);
  await buffer.flush();
  assert.deepEqual(repository.calls, [
    [
      {
        watchId: 'a',
        status: { isOnline: true, updatedAt: at(3), batteryPercent: 80, steps: 1300 },
        connection,
      },
      { watchId: 'b', status: { isOnline: false, updatedAt: at(4) } },
    ],
  ]);
  assert.equal(buffer.pendingCount, 0);
  await buffer.flush();
  assert.equal(repository.calls.length, 1, 'nothing pending, nothing written');
});

test('writes in chunks, one call each, letting I/O run between them', async () => {
  const repository = new FakeRepository();
  const buffer = new StatusBuffer(repository, new RecordingLogger());
  const watches = STATUS_ROWS_PER_CHUNK * 2 + 7;
  for (let i = 0; i < watches; i++) buffer.keepAlive(`w${i}`, at(1), undefined, undefined);
  const order: string[] = [];
  const flushed = buffer.flush().then(() => order.push('flushed'));
  setImmediate(() => order.push('io'));
  await flushed;
  assert.ok(order.indexOf('io') < order.indexOf('flushed'), 'I/O ran during the flush');
  assert.deepEqual(
    repository.calls.map((call) => call.length),
    [STATUS_ROWS_PER_CHUNK, STATUS_ROWS_PER_CHUNK, 7],
  );
  assert.equal(repository.written().length, watches);
});

test('one refused watch does not hold back the rest of its chunk', async () => {
  const repository = new FakeRepository();
  const logger = new RecordingLogger();
  const buffer = new StatusBuffer(repository, logger);
  for (const id of ['a', 'b', 'c']) buffer.keepAlive(id, at(1), 50, undefined);
  repository.refused.add('b');
  await buffer.flush();
  assert.deepEqual(
    repository.written().map((a) => a.watchId),
    ['a', 'c'],
  );
  assert.equal(buffer.pendingCount, 1, 'the refused change is kept for the next try');
  assert.equal(logger.entries.filter((e) => e.message === 'watch status not saved').length, 1);
  // Newer values that arrived meanwhile win over the kept ones.
  buffer.keepAlive('b', at(2), undefined, 10);
  repository.refused.clear();
  await buffer.flush();
  assert.deepEqual(repository.written().at(-1), {
    watchId: 'b',
    status: { isOnline: true, updatedAt: at(2), batteryPercent: 50, steps: 10 },
  });
});

test('a database that is down loses nothing: everything is written on the next flush', async () => {
  const repository = new FakeRepository();
  const buffer = new StatusBuffer(repository, new RecordingLogger());
  buffer.connected('a', { at: at(1), address: '198.51.100.1', vendor: '3G' });
  buffer.keepAlive('a', at(1), undefined, undefined);
  buffer.update('b', { isOnline: false, updatedAt: at(1) });
  repository.isDown = true;
  await buffer.flush();
  assert.equal(buffer.pendingCount, 2);
  repository.isDown = false;
  await buffer.flush();
  assert.deepEqual(repository.written(), [
    {
      watchId: 'a',
      status: { isOnline: true, updatedAt: at(1) },
      connection: { at: at(1), address: '198.51.100.1', vendor: '3G' },
    },
    { watchId: 'b', status: { isOnline: false, updatedAt: at(1) } },
  ]);
});

test('a removed watch is reported and its changes dropped', async () => {
  const repository = new FakeRepository();
  const buffer = new StatusBuffer(repository, new RecordingLogger());
  const gone: WatchId[] = [];
  buffer.onWatchGone((watchId) => gone.push(watchId));
  buffer.keepAlive('a', at(1), undefined, undefined);
  buffer.keepAlive('removed', at(1), undefined, undefined);
  repository.removed.add('removed');
  await buffer.flush();
  assert.deepEqual(gone, ['removed']);
  assert.equal(buffer.pendingCount, 0);
  assert.deepEqual(
    repository.written().map((a) => a.watchId),
    ['a'],
  );
});

test('a flush asked for while one runs waits for it, then writes what came since', async () => {
  const repository = new FakeRepository();
  const buffer = new StatusBuffer(repository, new RecordingLogger());
  for (let i = 0; i < STATUS_ROWS_PER_CHUNK + 1; i++) buffer.keepAlive(`w${i}`, at(1), 1, 1);
  const first = buffer.flush();
  buffer.update('late', { isOnline: false, updatedAt: at(2) });
  await buffer.flush();
  assert.equal(repository.written().length, STATUS_ROWS_PER_CHUNK + 2);
  assert.equal(repository.written().at(-1)?.watchId, 'late');
  await first;
});
