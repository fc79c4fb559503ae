import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAge } from './relative-time.ts';

test('ages read as the nearest sensible unit', () => {
  assert.equal(formatAge(10_000, 'en'), 'now');
  assert.equal(formatAge(-60_000, 'en'), 'now');
  assert.equal(formatAge(3 * 60_000, 'en'), '3 min. ago');
  assert.equal(formatAge(2 * 3_600_000, 'en'), '2 hr. ago');
  assert.equal(formatAge(3 * 86_400_000, 'en'), '3 days ago');
});

test('Chinese ages are Chinese', () => {
  assert.match(formatAge(5 * 60_000, 'zh-CN'), /5\s*分钟前/);
});
