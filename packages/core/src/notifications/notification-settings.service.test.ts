import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SecretSource } from '../accounts/account.ports.ts';
import { DomainError } from '../errors/domain-error.ts';
import { InMemoryRateCounters } from '../sms/in-memory-rate-counters.ts';
import {
  MemoryNotificationRepository,
  RecordingEmailSender,
  RecordingPushSender,
} from './notification-fakes.ts';
import { NotificationSettingsService } from './notification-settings.service.ts';

const KEYS = { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) };

/** Codes count up from 100000; hashes are reversible, which is all a test needs. */
function countingSecrets(): SecretSource {
  let next = 100_000;
  return {
    digits: () => String(next++),
    token: () => 'token',
    id: () => 'id',
    hash: (secret) => `h:${secret}`,
    isSameHash: (a, b) => a === b,
  };
}

function service(options: { isPushOn?: boolean; isEmailOn?: boolean } = {}) {
  const notifications = new MemoryNotificationRepository();
  const email = new RecordingEmailSender();
  const clock = { at: Date.parse('2026-03-01T08:00:00.000Z'), now: () => new Date(clock.at) };
  const settings = new NotificationSettingsService({
    notifications,
    push: options.isPushOn === false ? undefined : new RecordingPushSender(),
    email: options.isEmailOn === false ? undefined : email,
    secrets: countingSecrets(),
    counters: new InMemoryRateCounters(),
    clock,
  });
  return { notifications, settings, email, clock };
}

function rejectsWith(code: string) {
  return (error: unknown) => error instanceof DomainError && error.code === code;
}

test('a guardian changes some kinds and the others keep their choice; SOS stays on', async () => {
  const { settings } = service();
  await settings.setPreferences('mum', { zoneLeave: { push: true, email: true } });
  const view = await settings.setPreferences('mum', {
    offline: { push: false, email: false },
    sos: { push: false, email: false },
  });
  assert.deepEqual(view.preferences.zoneLeave, { push: true, email: true });
  assert.deepEqual(view.preferences.offline, { push: false, email: false });
  assert.deepEqual(view.preferences.sos, { push: true, email: true });
  assert.deepEqual(view.preferences.fall, { push: true, email: false });
  assert.deepEqual((await settings.view('dad')).preferences.offline, { push: true, email: false });
});

test('an address takes effect with the code sent to it, in canonical form', async () => {
  const { settings, email } = service();
  await settings.requestEmail('mum', 'Mum@Example.org');
  const sent = email.sent[0] ?? assert.fail('no code was sent');
  assert.equal(sent.to, 'Mum@example.org');
  assert.match(sent.text, /^100000 confirms/);
  const pending = await settings.view('mum');
  assert.equal(pending.email, null);
  assert.equal(pending.pendingEmail, 'Mum@example.org');
  const confirmed = await settings.confirmEmail('mum', '100000');
  assert.equal(confirmed.email, 'Mum@example.org');
  assert.equal(confirmed.pendingEmail, null);
  await assert.rejects(settings.confirmEmail('mum', '100000'), rejectsWith('invalidCode'));
  assert.equal((await settings.removeEmail('mum')).email, null);
});

test('codes: wrong, expired and after 5 failures are refused; 5 a day at most', async () => {
  const { settings, clock } = service();
  await assert.rejects(settings.requestEmail('mum', 'not-an-address'), rejectsWith('invalidEmail'));
  await settings.requestEmail('mum', 'mum@example.org');
  clock.at += 601_000;
  await assert.rejects(settings.confirmEmail('mum', '100000'), rejectsWith('invalidCode'));
  await settings.requestEmail('mum', 'mum@example.org');
  for (let i = 0; i < 5; i++) {
    await assert.rejects(settings.confirmEmail('mum', '999999'), rejectsWith('invalidCode'));
  }
  await assert.rejects(settings.confirmEmail('mum', '100001'), rejectsWith('invalidCode'));
  for (let i = 0; i < 3; i++) await settings.requestEmail('mum', 'mum@example.org');
  await assert.rejects(
    settings.requestEmail('mum', 'mum@example.org'),
    rejectsWith('tooManyCodes'),
  );
  assert.equal((await settings.view('mum')).email, null);
});

test('without a mail server an address is refused as unavailable', async () => {
  const { settings } = service({ isEmailOn: false });
  await assert.rejects(
    settings.requestEmail('mum', 'mum@example.org'),
    rejectsWith('emailUnavailable'),
  );
  assert.deepEqual((await settings.view('mum')).available, { push: true, email: false });
});

test('push subscriptions: validated, one per browser, the oldest gives way after 20', async () => {
  const { settings, notifications } = service();
  await assert.rejects(
    settings.subscribePush('mum', { endpoint: 'http://push.example.org/1', keys: KEYS }),
    rejectsWith('invalidPushSubscription'),
  );
  for (let i = 0; i < 21; i++) {
    await settings.subscribePush('mum', { endpoint: `https://push.example.org/${i}`, keys: KEYS });
  }
  await settings.subscribePush('mum', { endpoint: 'https://push.example.org/20', keys: KEYS });
  const endpoints = (await notifications.pushSubscriptionsOf('mum')).map((s) => s.endpoint);
  assert.equal(endpoints.length, 20);
  assert.ok(!endpoints.includes('https://push.example.org/0'));
  assert.equal((await settings.view('mum')).pushSubscriptions, 20);
  await settings.unsubscribePush('dad', 'https://push.example.org/5');
  await settings.unsubscribePush('mum', 'https://push.example.org/6');
  assert.equal((await settings.view('mum')).pushSubscriptions, 19);
});

test('without push the key and subscriptions are refused as unavailable', async () => {
  const { settings } = service({ isPushOn: false });
  assert.throws(() => settings.applicationServerKey(), /no push/);
  await assert.rejects(
    settings.subscribePush('mum', { endpoint: 'https://push.example.org/1', keys: KEYS }),
    (error: unknown) => error instanceof DomainError && error.kind === 'unavailable',
  );
  assert.equal((await settings.view('mum')).available.push, false);
});
