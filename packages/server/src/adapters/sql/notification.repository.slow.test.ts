import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqlAccountRepository } from './account.repository.ts';
import { SqlNotificationRepository } from './notification.repository.ts';
import { describeOnEachDatabase } from './sql-test-support.ts';

const T0 = new Date('2026-03-01T08:00:00.000Z');
const KEYS = { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) };

function subscription(accountId: string, endpoint: string, seconds = 0) {
  return { accountId, endpoint, ...KEYS, createdAt: new Date(T0.getTime() + seconds * 1000) };
}

describeOnEachDatabase('NotificationRepository', (context) => {
  const setup = async () => {
    const accounts = new SqlAccountRepository(context().db);
    await accounts.create({ id: 'mum', phone: '+12025550101', createdAt: T0 });
    await accounts.create({ id: 'dad', phone: '+12025550102', createdAt: T0 });
    return { accounts, notifications: new SqlNotificationRepository(context().db) };
  };

  test('choices and e-mail are kept apart and each update keeps the other', async () => {
    const { notifications } = await setup();
    assert.equal(await notifications.findSettings('mum'), undefined);
    await notifications.saveEmail('mum', 'mum@example.org', T0);
    assert.deepEqual(await notifications.findSettings('mum'), {
      choices: {},
      email: 'mum@example.org',
    });
    const choices = {
      zoneLeave: { push: false, email: true },
      offline: { push: true, email: true },
    };
    await notifications.saveChoices('mum', choices, T0);
    assert.deepEqual(await notifications.findSettings('mum'), {
      choices,
      email: 'mum@example.org',
    });
    await notifications.saveEmail('mum', null, T0);
    assert.deepEqual(await notifications.findSettings('mum'), { choices, email: null });
    assert.equal(await notifications.findSettings('dad'), undefined);
  });

  test('an address waits for its code, counts wrong codes, and confirming clears it', async () => {
    const { notifications } = await setup();
    assert.equal(await notifications.findPendingEmail('mum'), undefined);
    const expiresAt = new Date(T0.getTime() + 600_000);
    await notifications.saveChoices('mum', { fall: { push: true, email: true } }, T0);
    await notifications.savePendingEmail(
      'mum',
      { email: 'a@example.org', codeHash: 'h1', expiresAt },
      T0,
    );
    assert.equal(await notifications.recordEmailCodeFailure('mum'), 1);
    assert.equal(await notifications.recordEmailCodeFailure('mum'), 2);
    assert.deepEqual(await notifications.findPendingEmail('mum'), {
      email: 'a@example.org',
      codeHash: 'h1',
      expiresAt,
      failedAttempts: 2,
    });
    await notifications.savePendingEmail(
      'mum',
      { email: 'b@example.org', codeHash: 'h2', expiresAt },
      T0,
    );
    assert.equal((await notifications.findPendingEmail('mum'))?.failedAttempts, 0);
    await notifications.saveEmail('mum', 'b@example.org', T0);
    assert.equal(await notifications.findPendingEmail('mum'), undefined);
    assert.deepEqual(await notifications.findSettings('mum'), {
      choices: { fall: { push: true, email: true } },
      email: 'b@example.org',
    });
    assert.equal(await notifications.recordEmailCodeFailure('dad'), 0);
  });

  test('subscriptions: oldest first, one row per endpoint, moved to whoever subscribed last', async () => {
    const { notifications } = await setup();
    await notifications.savePushSubscription(subscription('mum', 'https://push.example.org/b', 2));
    await notifications.savePushSubscription(subscription('mum', 'https://push.example.org/a', 1));
    await notifications.savePushSubscription(subscription('dad', 'https://push.example.org/c', 3));
    const mine = await notifications.pushSubscriptionsOf('mum');
    assert.deepEqual(mine, [
      subscription('mum', 'https://push.example.org/a', 1),
      subscription('mum', 'https://push.example.org/b', 2),
    ]);
    await notifications.savePushSubscription(subscription('dad', 'https://push.example.org/a', 4));
    assert.deepEqual(
      (await notifications.pushSubscriptionsOf('mum')).map((s) => s.endpoint),
      ['https://push.example.org/b'],
    );
    assert.deepEqual(
      (await notifications.pushSubscriptionsOf('dad')).map((s) => s.endpoint),
      ['https://push.example.org/c', 'https://push.example.org/a'],
    );
  });

  test("a guardian removes only their own subscription; a gone endpoint goes whoever's", async () => {
    const { notifications } = await setup();
    await notifications.savePushSubscription(subscription('mum', 'https://push.example.org/a'));
    await notifications.savePushSubscription(subscription('dad', 'https://push.example.org/b'));
    assert.equal(
      await notifications.removePushSubscription('dad', 'https://push.example.org/a'),
      false,
    );
    assert.equal(
      await notifications.removePushSubscription('mum', 'https://push.example.org/a'),
      true,
    );
    assert.equal(
      await notifications.removePushSubscription('mum', 'https://push.example.org/a'),
      false,
    );
    await notifications.removePushEndpoint('https://push.example.org/b');
    assert.deepEqual(await notifications.pushSubscriptionsOf('dad'), []);
  });

  test('settings and subscriptions go with the account', async () => {
    const { accounts, notifications } = await setup();
    await notifications.saveEmail('mum', 'mum@example.org', T0);
    await notifications.savePushSubscription(subscription('mum', 'https://push.example.org/a'));
    await accounts.remove('mum');
    assert.equal(await notifications.findSettings('mum'), undefined);
    assert.deepEqual(await notifications.pushSubscriptionsOf('mum'), []);
  });
});
