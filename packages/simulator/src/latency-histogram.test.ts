import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatencyHistogram } from './latency-histogram.ts';

test('percentiles are within two significant digits of the exact values', () => {
  const histogram = new LatencyHistogram();
  const values = Array.from({ length: 10_000 }, (_, i) => 0.05 + i * 0.013); // 0.05 .. 130 ms
  for (const v of values) histogram.record(v);
  const exact = (p: number) => values[Math.ceil(p * values.length) - 1] ?? 0;
  for (const p of [0.5, 0.9, 0.99]) {
    const reported = histogram.percentile(p);
    assert.ok(
      reported >= exact(p) && reported <= exact(p) * 1.11,
      `p${p * 100}: ${reported} vs ${exact(p)}`,
    );
  }
  assert.equal(histogram.summary().maxMs, values.at(-1));
  assert.equal(histogram.count, 10_000);
});

test('merged histograms equal one histogram of all the recordings', () => {
  const all = new LatencyHistogram();
  const parts = [new LatencyHistogram(), new LatencyHistogram()];
  for (let i = 0; i < 500; i++) {
    const v = ((i * 7919) % 3000) / 10;
    all.record(v);
    parts[i % 2]?.record(v);
  }
  const merged = new LatencyHistogram();
  for (const part of parts) merged.merge(part.snapshot());
  assert.deepEqual(merged.summary(), all.summary());
  assert.deepEqual(new LatencyHistogram().summary(), { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
});
