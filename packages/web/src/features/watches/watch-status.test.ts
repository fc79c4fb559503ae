import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batteryLevel, initialsOf, signalBars } from './watch-status.ts';

test('battery at or below 15 % is low', () => {
  assert.equal(batteryLevel(15), 'low');
  assert.equal(batteryLevel(3), 'low');
  assert.equal(batteryLevel(16), 'ok');
  assert.equal(batteryLevel(null), 'unknown');
  assert.equal(batteryLevel(undefined), 'unknown');
});

test('signal maps to bars, unknown stays unknown', () => {
  assert.equal(signalBars(0), 0);
  assert.equal(signalBars(1), 1);
  assert.equal(signalBars(50), 2);
  assert.equal(signalBars(100), 4);
  assert.equal(signalBars(140), 4);
  assert.equal(signalBars(null), null);
});

test('initials take the first and last word, and whole characters', () => {
  assert.equal(initialsOf('Mia'), 'M');
  assert.equal(initialsOf('mia rose chen'), 'MC');
  assert.equal(initialsOf('小明'), '小');
  assert.equal(initialsOf('  '), '?');
});
