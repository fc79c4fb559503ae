import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertChangeEvent } from '../events/watch-event.model.ts';
import type { GuardedWatch } from '../families/family.model.ts';
import { RecordingLogger, RecordingMetrics } from '../testing/recording-observability.ts';
import {
  MemoryNotificationRepository,
  RecordingEmailSender,
  RecordingPushSender,
} from './notification-fakes.ts';
import { NotificationService } from './notification.service.ts';

const WATCH = 'watch-1';
const KEYS = { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) };

function event(kind: string, change: AlertChangeEvent['change'] = 'raised'): AlertChangeEvent {
  return {
    type: 'alert',
    watchId: WATCH,
    eventId: 7,
    change,
    alert: {
      id: 42,
      kind,
      raisedAt: '2026-03-01T08:00:00.000Z',
      recordedAt: '2026-03-01T07:59:58.000Z',
      location: { latitude: 52.52, longitude: 13.405, accuracyMeters: 10, source: 'gps' },
      details: { zoneName: 'School' },
      acknowledgedAt: null,
      acknowledgedBy: null,
    },
  };
}

async function family() {
  const notifications = new MemoryNotificationRepository();
  const push = new RecordingPushSender();
  const email = new RecordingEmailSender();
  const metrics = new RecordingMetrics();
  const logger = new RecordingLogger();
  const guardianIds = ['mum', 'dad', 'gran'];
  const service = new NotificationService({
    notifications,
    guardians: {
      guardianIdsOf: () => Promise.resolve(guardianIds),
      watchOf: () => Promise.resolve({ child: { name: 'Mia' } } as GuardedWatch),
    },
    push,
    email,
    metrics,
    logger,
  });
  const subscribe = (accountId: string, endpoint: string) =>
    notifications.savePushSubscription({ accountId, endpoint, ...KEYS, createdAt: new Date() });
  await subscribe('mum', 'https://push.example.org/mum-phone');
  await subscribe('mum', 'https://push.example.org/mum-laptop');
  await subscribe('dad', 'https://push.example.org/dad');
  await notifications.saveEmail('mum', 'mum@example.org', new Date());
  await notifications.saveEmail('gran', 'gran@example.org', new Date());
  return { notifications, push, email, metrics, logger, service };
}

test('SOS reaches every guardian by every channel set up, even switched off', async () => {
  const { notifications, push, email, service } = await family();
  await notifications.saveChoices('mum', { sos: { push: false, email: false } }, new Date());
  await service.notify(event('sos'));
  assert.deepEqual(push.sent.map((s) => s.endpoint).sort(), [
    'https://push.example.org/dad',
    'https://push.example.org/mum-laptop',
    'https://push.example.org/mum-phone',
  ]);
  assert.deepEqual(email.sent.map((m) => m.to).sort(), ['gran@example.org', 'mum@example.org']);
  const message = push.sent[0]?.message ?? assert.fail('nothing was pushed');
  assert.equal(message.urgency, 'high');
  assert.equal(message.topic, 'alert42');
  assert.equal(message.ttlSeconds, 3600);
  assert.equal(email.sent[0]?.subject, "SOS: Mia's watch");
});

test('a message carries the kind, the child and the ids, never the location or details', async () => {
  const { push, email, service } = await family();
  await service.notify(event('zoneLeave'));
  const payload = push.sent[0]?.message.payload;
  assert.deepEqual(payload, {
    type: 'alert',
    change: 'raised',
    alertId: 42,
    watchId: WATCH,
    kind: 'zoneLeave',
    title: 'Left a zone',
    childName: 'Mia',
    raisedAt: '2026-03-01T08:00:00.000Z',
  });
  assert.equal(push.sent[0]?.message.urgency, 'normal');
  assert.equal(email.sent.length, 0, 'e-mail is off by default');
  const everything = JSON.stringify([push.sent, email.sent]);
  assert.ok(!everything.includes('52.52') && !everything.includes('School'));
});

test("other kinds follow each guardian's choice", async () => {
  const { notifications, push, email, service } = await family();
  await notifications.saveChoices('mum', { lowBattery: { push: false, email: true } }, new Date());
  await notifications.saveChoices('dad', { lowBattery: { push: false, email: false } }, new Date());
  await service.notify(event('lowBattery'));
  assert.deepEqual(push.sent, []);
  assert.deepEqual(
    email.sent.map((m) => m.to),
    ['mum@example.org'],
  );
});

test('a repeated SOS goes by push again, not by e-mail; other repeats and acknowledgements are quiet', async () => {
  const { push, email, service } = await family();
  await service.notify(event('sos', 'repeated'));
  assert.equal(push.sent.length, 3);
  assert.equal(email.sent.length, 0);
  await service.notify(event('lowBattery', 'repeated'));
  await service.notify(event('sos', 'acknowledged'));
  await service.notify(event('somethingNew'));
  assert.equal(push.sent.length, 3);
});

test('a gone subscription is dropped, a failure is counted, and no other guardian misses out', async () => {
  const { notifications, push, email, metrics, logger, service } = await family();
  push.answers.set('https://push.example.org/mum-phone', 'gone');
  push.answers.set('https://push.example.org/dad', new Error('push service down'));
  email.failFor.add('mum@example.org');
  await service.notify(event('sos'));
  assert.deepEqual(
    (await notifications.pushSubscriptionsOf('mum')).map((s) => s.endpoint),
    ['https://push.example.org/mum-laptop'],
  );
  assert.deepEqual(push.sent.map((s) => s.endpoint).sort(), [
    'https://push.example.org/mum-laptop',
    'https://push.example.org/mum-phone',
  ]);
  assert.deepEqual(
    email.sent.map((m) => m.to),
    ['gran@example.org'],
  );
  const count = (channel: string, outcome: string) =>
    metrics.value('kinwatch_notifications_total', { channel, outcome });
  assert.equal(count('push', 'sent'), 1);
  assert.equal(count('push', 'gone'), 1);
  assert.equal(count('push', 'failed'), 1);
  assert.equal(count('email', 'sent'), 1);
  assert.equal(count('email', 'failed'), 1);
  assert.ok(logger.entries.some((e) => e.message === 'push notification failed'));
});

test('without push or e-mail configured nothing is attempted on that channel', async () => {
  const notifications = new MemoryNotificationRepository();
  const metrics = new RecordingMetrics();
  const logger = new RecordingLogger();
  await notifications.saveEmail('mum', 'mum@example.org', new Date());
  const service = new NotificationService({
    notifications,
    guardians: {
      guardianIdsOf: () => Promise.resolve(['mum']),
      watchOf: () => Promise.resolve(undefined),
    },
    push: undefined,
    email: undefined,
    metrics,
    logger,
  });
  await service.notify(event('sos'));
  assert.deepEqual([...metrics.values.values()], []);
  assert.deepEqual(logger.entries, []);
});
