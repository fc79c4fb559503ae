/**
 * The behaviour every RateCounterStore must have, as node:test cases to declare inside a
 * describe(). The SQL store runs it on SQLite and PostgreSQL, the in-memory store beside them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RateCounterStore } from '@kinwatch/core';

const HOUR = 3_600;
const DAY = 86_400;
/** Midnight UTC: an hour window and a day window both start here. */
const MIDNIGHT = new Date('2025-03-02T00:00:00.000Z');
const at = (seconds: number) => new Date(MIDNIGHT.getTime() + seconds * 1000);

export function rateCounterContract(store: () => RateCounterStore): void {
  void test('hit counts up within a window and returns the count including the hit', async () => {
    const counters = store();
    assert.equal(await counters.count('sms.number:+447700900123', HOUR, at(0)), 0);
    assert.equal(await counters.hit('sms.number:+447700900123', HOUR, at(0)), 1);
    assert.equal(await counters.hit('sms.number:+447700900123', HOUR, at(1_800)), 2);
    assert.equal(await counters.hit('sms.number:+447700900123', HOUR, at(3_599.999)), 3);
    assert.equal(await counters.count('sms.number:+447700900123', HOUR, at(10)), 3);
    assert.equal(await counters.count('sms.number:+447700900123', HOUR, at(10)), 3);
  });

  void test('a new window starts at the next multiple of its length', async () => {
    const counters = store();
    await counters.hit('k', HOUR, at(3_599));
    assert.equal(await counters.hit('k', HOUR, at(3_600)), 1);
    assert.equal(await counters.count('k', HOUR, at(3_599)), 1);
    assert.equal(await counters.count('k', HOUR, at(7_199)), 1);
    assert.equal(await counters.count('k', HOUR, at(7_200)), 0);
  });

  void test('keys, and window lengths of one key, count apart', async () => {
    const counters = store();
    await counters.hit('k', HOUR, at(0));
    await counters.hit('k', HOUR, at(1));
    await counters.hit('k', DAY, at(2));
    await counters.hit('other', HOUR, at(3));
    assert.equal(await counters.count('k', HOUR, at(4)), 2);
    assert.equal(await counters.count('k', DAY, at(4)), 1);
    assert.equal(await counters.count('other', HOUR, at(4)), 1);
    assert.equal(await counters.count('other', DAY, at(4)), 0);
  });

  void test('concurrent hits are all counted, each with its own count', async () => {
    const counters = store();
    const counts = await Promise.all(
      Array.from({ length: 20 }, () => counters.hit('burst', HOUR, at(5))),
    );
    assert.deepEqual(
      [...counts].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.equal(await counters.count('burst', HOUR, at(5)), 20);
  });

  void test('prune drops the windows that ended, and only those', async () => {
    const counters = store();
    await counters.hit('k', HOUR, at(0));
    await counters.hit('k', HOUR, at(3_600));
    await counters.hit('k', DAY, at(0));
    await counters.hit('other', HOUR, at(10));
    assert.equal(await counters.prune(at(3_599)), 0);
    assert.equal(await counters.prune(at(3_600)), 2);
    assert.equal(await counters.count('k', HOUR, at(0)), 0);
    assert.equal(await counters.count('k', HOUR, at(3_600)), 1);
    assert.equal(await counters.count('k', DAY, at(0)), 1);
    assert.equal(await counters.prune(at(DAY)), 2);
    assert.equal(await counters.count('k', DAY, at(0)), 0);
  });

  void test('window lengths must be positive whole seconds', async () => {
    const counters = store();
    for (const windowSeconds of [0, -60, 1.5, Number.NaN]) {
      await assert.rejects(counters.hit('k', windowSeconds, at(0)), RangeError);
      await assert.rejects(counters.count('k', windowSeconds, at(0)), RangeError);
    }
  });
}
