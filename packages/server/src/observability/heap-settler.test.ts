import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { RecordingLogger } from '../../../core/src/testing/recording-observability.ts';
import {
  HeapSettler,
  processHeapReadings,
  v8CollectGarbage,
  type HeapReadings,
} from './heap-settler.ts';
import { PrometheusMetrics } from './prometheus-metrics.ts';

const MIB = 1024 * 1024;

/** Readings set by the test: the heap V8 holds, and the busy share of each next reading. */
class FakeReadings implements HeapReadings {
  heap = 100 * MIB;
  busy = 0;
  heapTotal(): number {
    return this.heap;
  }
  busySinceLast(): number {
    return this.busy;
  }
}

/**
 * A settler over `readings` whose collections are counted; each runs `onCollect` (what V8 would
 * do to the heap, or a failure).
 */
function settlerWith(
  readings: FakeReadings,
  onCollect: () => Promise<void> = () => Promise.resolve(),
) {
  const logger = new RecordingLogger();
  const metrics = new PrometheusMetrics();
  let count = 0;
  const collect = () => {
    count += 1;
    return onCollect();
  };
  const settler = new HeapSettler(collect, readings, logger, metrics, {
    quietReadings: 2,
    quietBusy: 0.05,
    growthBytes: 32 * MIB,
  });
  // A counter never incremented has no sample yet.
  const settles = () => /kinwatch_heap_settles_total (\d+)/.exec(metrics.render())?.[1] ?? '0';
  return { settler, logger, settles, collections: () => count };
}

describe('the heap settler', () => {
  test('after a burst, collects once the process has been quiet for two readings', async () => {
    const readings = new FakeReadings();
    const { settler, logger, settles, collections } = settlerWith(readings, () => {
      readings.heap = 110 * MIB;
      return Promise.resolve();
    });
    readings.heap = 150 * MIB; // the burst
    readings.busy = 0.9;
    await settler.check();
    readings.busy = 0.01;
    await settler.check();
    assert.equal(collections(), 0, 'one quiet reading is a lull, not the end of the burst');
    await settler.check();
    assert.equal(collections(), 1);
    assert.equal(settles(), '1');
    const entry = logger.entries.find((e) => e.message === 'heap settled after a burst');
    assert.deepEqual(entry?.fields, { heapBeforeMb: 150, heapAfterMb: 110 });
    // The heap after the collection is the new base: an idle process is not collected again.
    for (let n = 0; n < 5; n++) await settler.check();
    assert.equal(collections(), 1);
    // A second burst grows it again past the threshold: one more collection.
    readings.heap = 145 * MIB;
    await settler.check();
    await settler.check();
    assert.equal(collections(), 2);
  });

  test('never collects while the event loop is busy, however large the heap', async () => {
    const readings = new FakeReadings();
    const { settler, collections } = settlerWith(readings);
    readings.heap = 400 * MIB;
    readings.busy = 0.3;
    for (let n = 0; n < 10; n++) await settler.check();
    assert.equal(collections(), 0);
  });

  test('does not collect when the heap grew less than the threshold, or shrank', async () => {
    const readings = new FakeReadings();
    const { settler, collections } = settlerWith(readings);
    readings.heap = 131 * MIB; // 31 MiB over the start
    for (let n = 0; n < 4; n++) await settler.check();
    readings.heap = 60 * MIB; // V8 gave memory back on its own: growth counts from here
    await settler.check();
    readings.heap = 91 * MIB;
    for (let n = 0; n < 4; n++) await settler.check();
    assert.equal(collections(), 0);
    readings.heap = 93 * MIB;
    await settler.check();
    assert.equal(collections(), 1);
  });

  test('a failed collection is logged and not tried again until the heap grows further', async () => {
    const readings = new FakeReadings();
    const { settler, logger, settles, collections } = settlerWith(readings, () =>
      Promise.reject(new Error('no collection today')),
    );
    readings.heap = 200 * MIB;
    for (let n = 0; n < 6; n++) await settler.check();
    assert.equal(collections(), 1);
    assert.equal(settles(), '0');
    assert.match(
      String(logger.entries.find((e) => e.message === 'heap not settled')?.fields.err),
      /no collection today/,
    );
    readings.heap = 240 * MIB;
    for (let n = 0; n < 2; n++) await settler.check();
    assert.equal(collections(), 2);
  });

  test('V8 collects on request here, and the readings are the process own', async () => {
    const collect = v8CollectGarbage();
    assert.ok(collect, 'this runtime collects on request');
    // Garbage on purpose: a heap that grew, then a collection that gives some of it back.
    const made = (): number => Array.from({ length: 200_000 }, (_, i) => ({ i })).length;
    assert.equal(made(), 200_000);
    const before = getHeapStatistics().used_heap_size;
    await collect();
    assert.ok(getHeapStatistics().used_heap_size < before, 'the collection freed the garbage');
    const readings = processHeapReadings();
    assert.ok(readings.heapTotal() > 0);
    const busy = readings.busySinceLast();
    assert.ok(busy >= 0 && busy <= 1, String(busy));
  });
});
