import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchRoute, watchPath } from './routes.ts';

test('top-level screens', () => {
  assert.deepEqual(matchRoute('/'), { name: 'watches' });
  assert.deepEqual(matchRoute('/login'), { name: 'login' });
  assert.deepEqual(matchRoute('/alerts/'), { name: 'alerts' });
  assert.deepEqual(matchRoute('/invite'), { name: 'invitation' });
});

test("a watch's screens round-trip through watchPath", () => {
  for (const tab of ['', 'history', 'zones', 'alerts', 'activity', 'family'] as const) {
    const match = matchRoute(watchPath('w 1', tab));
    assert.ok('watchId' in match);
    assert.equal(match.watchId, 'w 1');
  }
  assert.equal(matchRoute('/watches/abc/history').name, 'watchHistory');
});

test('unknown paths are not found rather than another screen', () => {
  assert.equal(matchRoute('/watches/abc/constructor').name, 'notFound');
  assert.equal(matchRoute('/nowhere').name, 'notFound');
  assert.equal(matchRoute('/watches/a/b/c').name, 'notFound');
});
