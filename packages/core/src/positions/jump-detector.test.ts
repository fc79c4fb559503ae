import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JumpDetector } from './jump-detector.ts';
import type { TimedFix } from './plausibility.ts';

const T0 = Date.parse('2025-03-01T08:00:00.000Z');
const HOME = 52.52;
const AWAY = 53.52; // 111 km north

function at(minutes: number, latitude: number): TimedFix {
  return { latitude, longitude: 13.4, accuracyMeters: 20, at: new Date(T0 + minutes * 60_000) };
}

test('the first fix of a watch is accepted, a walk stays accepted', () => {
  const jumps = new JumpDetector();
  assert.equal(jumps.check('w', at(0, HOME)), false);
  assert.equal(jumps.check('w', at(1, HOME + 0.001)), false);
});

test('a glitch is flagged and the next good fix is compared with the last accepted one', () => {
  const jumps = new JumpDetector();
  jumps.check('w', at(0, HOME));
  assert.equal(jumps.check('w', at(1, AWAY)), true);
  assert.equal(jumps.check('w', at(2, HOME + 0.001)), false);
  assert.equal(jumps.check('w', at(3, AWAY)), true);
});

test('two consistent fixes at a new place mean the watch really is there', () => {
  const jumps = new JumpDetector();
  jumps.check('w', at(0, HOME));
  assert.equal(jumps.check('w', at(1, AWAY)), true);
  assert.equal(jumps.check('w', at(2, AWAY + 0.001)), false);
  assert.equal(jumps.check('w', at(3, AWAY + 0.002)), false);
  assert.equal(jumps.check('w', at(4, HOME)), true);
});

test('watches are checked independently', () => {
  const jumps = new JumpDetector();
  jumps.check('a', at(0, HOME));
  assert.equal(jumps.check('b', at(1, AWAY)), false);
  assert.equal(jumps.check('a', at(1, HOME)), false);
});

test('an old fix is checked but does not become the reference', () => {
  const jumps = new JumpDetector();
  jumps.check('w', at(10, HOME));
  assert.equal(jumps.check('w', at(0, HOME + 0.002)), false);
  // 11 km: 60 km/h from the fix at minute 0, but 667 km/h from the reference at minute 10.
  assert.equal(jumps.check('w', at(11, HOME + 0.1)), true);
});

test('memory is bounded: the least recently heard watch is forgotten first', () => {
  const jumps = new JumpDetector(2);
  jumps.check('a', at(0, HOME));
  jumps.check('b', at(0, HOME));
  jumps.check('a', at(1, HOME));
  jumps.check('c', at(1, HOME));
  assert.equal(jumps.size, 2);
  assert.equal(jumps.check('b', at(2, AWAY)), false, 'b was forgotten, so accepted unchecked');
  assert.equal(jumps.check('a', at(2, AWAY)), false, 'a was forgotten when b came back');
  assert.throws(() => new JumpDetector(0), RangeError);
});
