import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  channelsFor,
  defaultPreferences,
  normalizeEmail,
  pushEndpointProblem,
  pushKeysProblem,
  withChoices,
} from './notification.model.ts';

const ALL_SET_UP = { push: true, email: true };

test('by default every kind goes by push and none by e-mail', () => {
  const preferences = defaultPreferences();
  assert.deepEqual(preferences.zoneLeave, { push: true, email: false });
  assert.deepEqual(channelsFor('lowBattery', preferences, ALL_SET_UP), ['push']);
});

test('SOS goes by every channel set up, whatever was chosen', () => {
  const preferences = withChoices({ sos: { push: false, email: false } });
  assert.deepEqual(preferences.sos, { push: true, email: true });
  const switchedOff = { ...preferences, sos: { push: false, email: false } };
  assert.deepEqual(channelsFor('sos', switchedOff, ALL_SET_UP), ['push', 'email']);
  assert.deepEqual(channelsFor('sos', switchedOff, { push: false, email: true }), ['email']);
});

test('other kinds go only by the channels chosen and set up', () => {
  const preferences = withChoices({ zoneLeave: { push: false, email: true } });
  assert.deepEqual(channelsFor('zoneLeave', preferences, ALL_SET_UP), ['email']);
  assert.deepEqual(channelsFor('zoneLeave', preferences, { push: true, email: false }), []);
  assert.deepEqual(
    channelsFor('offline', withChoices({ offline: { push: false, email: false } }), ALL_SET_UP),
    [],
  );
});

test('push endpoints must be https, http only on loopback, without credentials', () => {
  assert.equal(pushEndpointProblem('https://fcm.googleapis.com/fcm/send/abc'), undefined);
  assert.equal(pushEndpointProblem('http://127.0.0.1:4000/push/1'), undefined);
  assert.equal(pushEndpointProblem('http://localhost/push'), undefined);
  assert.match(pushEndpointProblem('http://push.example.org/x') ?? '', /https/);
  assert.match(pushEndpointProblem('http://10.0.0.1/x') ?? '', /https/);
  assert.match(pushEndpointProblem('ftp://example.org/x') ?? '', /https/);
  assert.match(pushEndpointProblem('https://user:pw@example.org/x') ?? '', /credentials/);
  assert.match(pushEndpointProblem('not a url') ?? '', /not a URL/);
  assert.match(pushEndpointProblem(`https://example.org/${'a'.repeat(2100)}`) ?? '', /too long/);
});

test('push keys must have the sizes of a P-256 point and a 16-byte secret', () => {
  const p256dh = `B${'A'.repeat(86)}`;
  const auth = 'A'.repeat(22);
  assert.equal(pushKeysProblem({ p256dh, auth }), undefined);
  assert.match(pushKeysProblem({ p256dh: `A${'A'.repeat(86)}`, auth }) ?? '', /p256dh/);
  assert.match(pushKeysProblem({ p256dh: p256dh.slice(0, 80), auth }) ?? '', /p256dh/);
  assert.match(pushKeysProblem({ p256dh, auth: 'A'.repeat(30) }) ?? '', /auth/);
  assert.match(pushKeysProblem({ p256dh, auth: 'AAAA+AAA/AAAAAAAAAAAAA' }) ?? '', /auth/);
});

test('e-mail addresses are checked for form and their domain lower-cased', () => {
  assert.equal(normalizeEmail('  Mum@Example.ORG '), 'Mum@example.org');
  for (const bad of [
    'mum',
    'mum@localhost',
    'a b@example.org',
    'x@example.org>',
    '<x@y.org>',
    `${'a'.repeat(65)}@example.org`,
  ]) {
    assert.equal(normalizeEmail(bad), undefined, bad);
  }
});
