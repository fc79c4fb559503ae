import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimerWheel } from './timer-wheel.ts';

function wheelWithLog(slots = 8) {
  const fired: [string, number][] = [];
  const wheel = new TimerWheel<string>((item, now) => fired.push([item, now]), {
    tickMs: 10,
    slots,
    clock: () => 0,
  });
  return { wheel, fired };
}

test('fires each item once, when due, in one pass per advance', () => {
  const { wheel, fired } = wheelWithLog();
  wheel.schedule('a', 25);
  wheel.schedule('b', 5);
  wheel.schedule('c', 45);
  assert.equal(wheel.advance(20), 1);
  assert.deepEqual(fired, [['b', 20]]);
  wheel.advance(44);
  assert.deepEqual(
    fired.map(([item]) => item),
    ['b', 'a'],
  );
  wheel.advance(50);
  assert.deepEqual(
    fired.map(([item]) => item),
    ['b', 'a', 'c'],
  );
  assert.equal(wheel.size, 0);
});

test('a later due time in the current slot is kept for the next visit, not a rotation later', () => {
  const { wheel, fired } = wheelWithLog();
  wheel.schedule('x', 27);
  wheel.advance(23);
  assert.deepEqual(fired, []);
  wheel.advance(31);
  assert.deepEqual(fired, [['x', 31]]);
});

test('rescheduling replaces, cancelling removes, and far-off items wait their rotations', () => {
  const { wheel, fired } = wheelWithLog(4);
  wheel.schedule('moved', 15);
  wheel.schedule('moved', 35);
  wheel.schedule('gone', 15);
  wheel.cancel('gone');
  wheel.schedule('far', 205); // 20 slots away on a 4-slot wheel
  wheel.advance(30);
  assert.deepEqual(fired, []);
  wheel.advance(40);
  assert.deepEqual(fired, [['moved', 40]]);
  wheel.advance(200);
  assert.equal(fired.length, 1);
  wheel.advance(210);
  assert.deepEqual(fired[1], ['far', 210]);
});

test('an item scheduled from its own callback for now fires on the next slot, not in a loop', () => {
  let count = 0;
  const wheel: TimerWheel<string> = new TimerWheel(
    (item, now) => {
      count++;
      wheel.schedule(item, now);
    },
    { tickMs: 10, clock: () => 0 },
  );
  wheel.schedule('again', 5);
  wheel.advance(10);
  assert.equal(count, 1);
  wheel.advance(20);
  assert.equal(count, 2);
  assert.equal(wheel.dispatchTimeOf(21), 30);
});
