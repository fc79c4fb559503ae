import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  Counter,
  Gauge,
  Histogram,
  Logger,
  Metrics,
  Position,
  PositionRepository,
} from '@kinwatch/core';
import { PositionBatchWriter, PositionWriterClosedError } from './position-batch-writer.ts';

const T0 = Date.parse('2025-03-01T08:00:00.000Z');

function position(n: number, overrides: Partial<Position> = {}): Position {
  return {
    watchId: 'w',
    recordedAt: new Date(T0 + n * 1000),
    receivedAt: new Date(T0 + n * 1000 + 500),
    source: 'gps',
    latitude: 52.52,
    longitude: 13.405,
    accuracyMeters: 10,
    speedKmh: null,
    courseDegrees: null,
    altitudeMeters: null,
    isBuffered: false,
    flags: [],
    ...overrides,
  };
}

/** Stores batches in memory; `hold()` makes the next commits wait until released. */
class FakeRepository implements Pick<PositionRepository, 'appendBatch'> {
  readonly batches: Position[][] = [];
  failure: Error | undefined;
  #gate: Promise<void> | undefined;
  #open: () => void = () => undefined;
  #active = 0;
  maxConcurrent = 0;

  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  release(): void {
    this.#gate = undefined;
    this.#open();
  }

  async appendBatch(positions: readonly Position[]): Promise<void> {
    this.#active += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.#active);
    try {
      await this.#gate;
      if (this.failure !== undefined) throw this.failure;
      this.batches.push([...positions]);
    } finally {
      this.#active -= 1;
    }
  }

  get sizes(): number[] {
    return this.batches.map((batch) => batch.length);
  }
}

class FakeMetrics implements Metrics {
  readonly values = new Map<string, number>();
  readonly observed = new Map<string, number[]>();
  counter(name: string): Counter {
    return { inc: (_labels, by = 1) => this.values.set(name, (this.values.get(name) ?? 0) + by) };
  }
  gauge(name: string): Gauge {
    const add = (by: number) => this.values.set(name, (this.values.get(name) ?? 0) + by);
    return {
      set: (value) => this.values.set(name, value),
      inc: (_labels, by = 1) => add(by),
      dec: (_labels, by = 1) => add(-by),
    };
  }
  histogram(name: string): Histogram {
    return {
      observe: (value) => this.observed.set(name, [...(this.observed.get(name) ?? []), value]),
    };
  }
}

function fakeLogger(lines: string[]): Logger {
  const log = (_fields: unknown, message: string) => {
    lines.push(message);
  };
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

function setUp(
  options: {
    windowMs?: number;
    maxBatchRows?: number;
    maxPendingRows?: number;
    maxConcurrentBatches?: number;
  } = {},
) {
  const repository = new FakeRepository();
  const metrics = new FakeMetrics();
  const lines: string[] = [];
  const writer = new PositionBatchWriter({
    repository,
    metrics,
    logger: fakeLogger(lines),
    ...options,
  });
  return { repository, metrics, lines, writer };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('positions submitted within the window share one commit, and resolve after it', async () => {
  const { repository, writer, metrics } = setUp({ windowMs: 15 });
  const started = performance.now();
  await Promise.all([1, 2, 3].map((n) => writer.submit(position(n))));
  assert.ok(performance.now() - started >= 14, 'waited for the window');
  assert.deepEqual(repository.sizes, [3]);
  assert.equal(metrics.values.get('kinwatch_positions_written_total'), 3);
  assert.deepEqual(metrics.observed.get('kinwatch_position_batch_rows'), [3]);
  assert.equal(metrics.observed.get('kinwatch_position_commit_seconds')?.length, 1);
  assert.equal(metrics.values.get('kinwatch_positions_pending'), 0);
});

test('a full batch is written without waiting; batches never overlap', async () => {
  const { repository, writer } = setUp({ windowMs: 60_000, maxBatchRows: 500 });
  const all = Array.from({ length: 1_200 }, (_, n) => writer.submit(position(n)));
  await Promise.all(all.slice(0, 1_000));
  assert.deepEqual(repository.sizes, [500, 500]);
  await writer.flush();
  await Promise.all(all);
  assert.deepEqual(repository.sizes, [500, 500, 200]);
  assert.equal(repository.maxConcurrent, 1);
  const stored = repository.batches.flat().map((p) => p.recordedAt.getTime());
  assert.deepEqual(
    stored,
    [...stored].sort((a, b) => a - b),
    'in submit order',
  );
});

test('a failed commit rejects every position of its batch; the writer carries on', async () => {
  const { repository, writer, metrics, lines } = setUp({ windowMs: 1 });
  repository.failure = new Error('disk I/O error');
  const failed = [1, 2].map((n) => writer.submit(position(n)));
  for (const submit of failed) await assert.rejects(submit, /disk I\/O error/);
  assert.equal(metrics.values.get('kinwatch_position_batch_failures_total'), 1);
  assert.deepEqual(lines, ['position batch failed']);
  repository.failure = undefined;
  await writer.submit(position(3));
  assert.deepEqual(repository.sizes, [1]);
});

test('a malformed position is refused on its own, before it can spoil a batch', async () => {
  const { repository, writer } = setUp({ windowMs: 1 });
  const good = writer.submit(position(1));
  await assert.rejects(writer.submit(position(2, { latitude: 91 })), RangeError);
  await good;
  assert.deepEqual(repository.sizes, [1]);
});

test('past the pending limit, positions are held back until earlier batches commit', async () => {
  const { repository, writer } = setUp({ windowMs: 0, maxBatchRows: 5, maxPendingRows: 10 });
  repository.hold();
  const all = Array.from({ length: 30 }, (_, n) => writer.submit(position(n)));
  await tick();
  assert.equal(writer.pendingRows, 10);
  assert.equal(writer.heldRows, 20);
  repository.release();
  await Promise.all(all);
  assert.equal(writer.pendingRows + writer.heldRows, 0);
  // A zero window writes the first position alone, the rest as they fit.
  assert.deepEqual(repository.sizes, [1, 5, 5, 5, 5, 5, 4]);
  const order = repository.batches.flat().map((p) => p.recordedAt.getTime());
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
  );
});

test('close writes what was submitted at once and refuses anything later', async () => {
  const { repository, writer } = setUp({ windowMs: 60_000 });
  const before = writer.submit(position(1));
  await writer.close();
  await before;
  assert.deepEqual(repository.sizes, [1]);
  await assert.rejects(writer.submit(position(2)), PositionWriterClosedError);
  await writer.close();
  await writer.flush();
});

test('flush waits for what is in flight and resolves even when the commit failed', async () => {
  const { repository, writer } = setUp({ windowMs: 60_000 });
  repository.hold();
  repository.failure = new Error('gone');
  const submitted = writer.submit(position(1)).catch((error: unknown) => error);
  const flushed = writer.flush();
  await tick();
  let isFlushed = false;
  void flushed.then(() => (isFlushed = true));
  await tick();
  assert.equal(isFlushed, false);
  repository.release();
  await flushed;
  assert.match(String(await submitted), /gone/);
});

test('with two batches at a time, the next is sent while one commits; they settle in order', async () => {
  const commits: { readonly size: number; readonly commit: () => void }[] = [];
  const repository = {
    appendBatch: (positions: readonly Position[]) =>
      new Promise<void>((resolve) => commits.push({ size: positions.length, commit: resolve })),
  };
  const writer = new PositionBatchWriter({
    repository,
    metrics: new FakeMetrics(),
    logger: fakeLogger([]),
    windowMs: 60_000,
    maxBatchRows: 2,
    maxConcurrentBatches: 2,
  });
  const resolved: number[] = [];
  const submitted = [0, 1, 2, 3, 4].map((n) =>
    writer.submit(position(n)).then(() => resolved.push(n)),
  );
  await tick();
  assert.deepEqual(
    commits.map((c) => c.size),
    [2, 2],
    'two full batches at once, the fifth position waits',
  );
  let isFlushed = false;
  const flushed = writer.flush().then(() => (isFlushed = true));
  commits[1]?.commit();
  await tick();
  assert.deepEqual(resolved, [], 'the newer batch committed first, and waits for the older');
  assert.deepEqual(
    commits.map((c) => c.size),
    [2, 2, 1],
    'its room went to the last position',
  );
  commits[2]?.commit();
  await tick();
  assert.deepEqual(resolved, []);
  assert.equal(isFlushed, false, 'the oldest batch is still being written');
  commits[0]?.commit();
  await Promise.all([...submitted, flushed]);
  assert.deepEqual(resolved, [0, 1, 2, 3, 4], 'settled in the order they were submitted');
});

test('a failed batch settles in its turn: the ones after it wait, then resolve', async () => {
  const commits: { readonly commit: () => void; readonly fail: () => void }[] = [];
  const repository = {
    appendBatch: () =>
      new Promise<void>((resolve, reject) =>
        commits.push({
          commit: resolve,
          fail: () => {
            reject(new Error('disk full'));
          },
        }),
      ),
  };
  const writer = new PositionBatchWriter({
    repository,
    metrics: new FakeMetrics(),
    logger: fakeLogger([]),
    windowMs: 60_000,
    maxBatchRows: 1,
    maxConcurrentBatches: 2,
  });
  const outcomes: string[] = [];
  const submitted = [0, 1].map((n) =>
    writer.submit(position(n)).then(
      () => outcomes.push(`${n} stored`),
      (error: unknown) => outcomes.push(`${n} ${(error as Error).message}`),
    ),
  );
  await tick();
  commits[1]?.commit();
  await tick();
  assert.deepEqual(outcomes, []);
  commits[0]?.fail();
  await Promise.all(submitted);
  assert.deepEqual(outcomes, ['0 disk full', '1 stored']);
});

test('room() is at once while nothing is held, and resolves when the held positions are in', async () => {
  const commits: (() => void)[] = [];
  const repository = {
    appendBatch: () => new Promise<void>((resolve) => commits.push(resolve)),
  };
  const writer = new PositionBatchWriter({
    repository,
    metrics: new FakeMetrics(),
    logger: fakeLogger([]),
    windowMs: 0,
    maxBatchRows: 2,
    maxPendingRows: 2,
  });
  assert.equal(writer.room(), undefined);
  const submitted = [0, 1, 2].map((n) => writer.submit(position(n)));
  assert.equal(writer.heldRows, 1);
  let hasRoom = false;
  const room = writer.room()?.then(() => (hasRoom = true));
  assert.ok(room !== undefined, 'a position is held: no room');
  await tick();
  assert.equal(hasRoom, false);
  commits[0]?.();
  await room;
  assert.equal(writer.heldRows, 0);
  assert.equal(writer.room(), undefined);
  commits[1]?.();
  await Promise.all(submitted);
});

test('settings are checked', () => {
  assert.throws(() => setUp({ maxBatchRows: 0 }), RangeError);
  assert.throws(() => setUp({ windowMs: -1 }), RangeError);
  assert.throws(() => setUp({ maxBatchRows: 100, maxPendingRows: 50 }), RangeError);
  assert.throws(() => setUp({ maxConcurrentBatches: 0 }), RangeError);
});
