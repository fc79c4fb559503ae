import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HashedRateCounters } from './hashed-rate-counters.ts';
import { InMemoryRateCounters } from './in-memory-rate-counters.ts';

const T0 = new Date('2026-03-01T08:00:00.000Z');

test('counts per key as the store does, without the key in the store', async () => {
  const inner = new InMemoryRateCounters();
  const seen: string[] = [];
  const spying = {
    hit: (key: string, windowSeconds: number, at: Date) => {
      seen.push(key);
      return inner.hit(key, windowSeconds, at);
    },
    count: (key: string, windowSeconds: number, at: Date) => inner.count(key, windowSeconds, at),
    prune: (before: Date) => inner.prune(before),
  };
  const counters = new HashedRateCounters(spying, {
    hash: (s) => `mac(${s.length})${s.split('').reverse().join('')}`,
  });
  assert.equal(await counters.hit('number:+12025550101', 3600, T0), 1);
  assert.equal(await counters.hit('number:+12025550101', 3600, T0), 2);
  assert.equal(await counters.hit('number:+12025550102', 3600, T0), 1);
  assert.equal(await counters.count('number:+12025550101', 3600, T0), 2);
  assert.ok(seen.every((key) => !key.includes('+12025550101')));
});
