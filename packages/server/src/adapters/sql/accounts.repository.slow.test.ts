import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountExistsError, WatchAlreadyBoundError } from '@kinwatch/core';
import { SqlAccountRepository } from './account.repository.ts';
import { SqlClaimRepository } from './claim.repository.ts';
import { SqlGuardianRepository } from './guardian.repository.ts';
import { SqlInvitationRepository } from './invitation.repository.ts';
import { SqlNoticeRepository } from './notice.repository.ts';
import { SqlOneTimeCodeRepository } from './one-time-code.repository.ts';
import { SqlSessionRepository } from './session.repository.ts';
import { SqlExpiredRows } from './expired-rows.repository.ts';
import { describeOnEachDatabase } from './sql-test-support.ts';
import { SqlWatchRepository } from './watch.repository.ts';

const T0 = new Date('2026-03-01T08:00:00.000Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const CHILD = { name: 'Mia', birthDate: '2017-05-04', watchPhone: null, avatarImageId: null };

describeOnEachDatabase('accounts, sessions and codes', (context) => {
  test('an account per number; a second one for the same number is refused', async () => {
    const accounts = new SqlAccountRepository(context().db);
    const made = await accounts.create({ id: 'acc-1', phone: '+12025550101', createdAt: T0 });
    assert.equal(made.hasPassword, false);
    assert.deepEqual(await accounts.findByPhone('+12025550101'), made);
    await assert.rejects(
      accounts.create({ id: 'acc-2', phone: '+12025550101', createdAt: T0 }),
      AccountExistsError,
    );
    await accounts.create({ id: 'acc-3', phone: '+12025550102', createdAt: T0 });
    await assert.rejects(
      accounts.update('acc-3', { phone: '+12025550101' }, T0),
      AccountExistsError,
    );
    await accounts.update('acc-1', { nickname: 'Mum', passwordHash: '$argon2id$x' }, later(1));
    const updated = await accounts.findById('acc-1');
    assert.equal(updated?.nickname, 'Mum');
    assert.equal(updated.hasPassword, true);
    assert.equal(await accounts.passwordHashOf('acc-1'), '$argon2id$x');
  });

  test('sessions are found by token hash until they expire, and end one or all', async () => {
    const { db } = context();
    await new SqlAccountRepository(db).create({
      id: 'acc-1',
      phone: '+12025550101',
      createdAt: T0,
    });
    const sessions = new SqlSessionRepository(db);
    for (const n of [1, 2, 3]) {
      await sessions.create({
        tokenHash: `hash-${n}`,
        id: `session-${n}`,
        accountId: 'acc-1',
        createdAt: T0,
        expiresAt: later(60),
        authenticatedAt: T0,
        userAgent: 'test',
        address: '127.0.0.1',
      });
    }
    assert.equal((await sessions.findActive('hash-1', later(1)))?.id, 'session-1');
    assert.equal(await sessions.findActive('hash-1', later(61)), undefined);
    assert.equal(await sessions.remove('acc-other', 'session-1'), false, "only the account's own");
    assert.equal(await sessions.remove('acc-1', 'session-1'), true);
    assert.equal(await sessions.removeAll('acc-1', 'hash-2'), 1);
    assert.deepEqual(
      (await sessions.listForAccount('acc-1', T0)).map((s) => s.id),
      ['session-2'],
    );
  });

  test('a new code voids the older ones; a code is consumed once', async () => {
    const codes = new SqlOneTimeCodeRepository(context().db);
    const issue = (hash: string) =>
      codes.issue({
        phone: '+1',
        purpose: 'login',
        codeHash: hash,
        createdAt: T0,
        expiresAt: later(10),
      });
    await issue('first');
    await issue('second');
    const active = await codes.findActive('+1', 'login', later(1));
    assert.equal(active?.codeHash, 'second');
    assert.equal(await codes.findActive('+1', 'reauth', later(1)), undefined, 'purposes apart');
    assert.equal(await codes.recordFailure(active.id), 1);
    assert.equal(await codes.consume(active.id, later(2)), true);
    assert.equal(await codes.consume(active.id, later(2)), false);
    assert.equal(await codes.findActive('+1', 'login', later(3)), undefined);
  });
});

describeOnEachDatabase('housekeeping of expired rows', (context) => {
  test('expired sessions and codes go; live ones stay', async () => {
    const { db } = context();
    await new SqlAccountRepository(db).create({
      id: 'acc-1',
      phone: '+12025550101',
      createdAt: T0,
    });
    const sessions = new SqlSessionRepository(db);
    for (const [n, minutes] of [
      [1, 10],
      [2, 100],
    ] as const) {
      await sessions.create({
        tokenHash: `hash-${n}`,
        id: `session-${n}`,
        accountId: 'acc-1',
        createdAt: T0,
        expiresAt: later(minutes),
        authenticatedAt: T0,
        userAgent: 'test',
        address: '127.0.0.1',
      });
    }
    const codes = new SqlOneTimeCodeRepository(db);
    await codes.issue({
      phone: '+1',
      purpose: 'login',
      codeHash: 'h',
      createdAt: T0,
      expiresAt: later(10),
    });
    assert.equal(await new SqlExpiredRows(db).prune(later(50)), 2);
    assert.deepEqual(
      (await sessions.listForAccount('acc-1', T0)).map((s) => s.id),
      ['session-2'],
    );
  });
});

describeOnEachDatabase('guardianships, claims, invitations, notices', (context) => {
  async function setUp() {
    const { db, cipher } = context();
    const accounts = new SqlAccountRepository(db);
    for (const [id, phone] of [
      ['mum', '+12025550101'],
      ['dad', '+12025550102'],
      ['other', '+12025550103'],
    ] as const) {
      await accounts.create({ id, phone, createdAt: T0 });
    }
    const watches = new SqlWatchRepository(db, cipher);
    await watches.provision(['8800000001', '8800000002'], T0);
    const ours = await watches.findByDeviceId('8800000001');
    const theirs = await watches.findByDeviceId('8800000002');
    assert.ok(ours && theirs);
    return { guardians: new SqlGuardianRepository(db, cipher), ours: ours.id, theirs: theirs.id };
  }

  test('reads are scoped to the caller: another family sees nothing', async () => {
    const { guardians, ours, theirs } = await setUp();
    await guardians.bind(ours, 'mum', CHILD, T0);
    await guardians.addGuardian(ours, 'dad', 'guardian', later(1));
    await guardians.bind(theirs, 'other', { ...CHILD, name: 'Sam' }, T0);
    assert.deepEqual(
      (await guardians.watchesOf('mum')).map((w) => [w.watchId, w.role, w.child?.name]),
      [[ours, 'admin', 'Mia']],
    );
    assert.equal((await guardians.watchOf('dad', ours))?.role, 'guardian');
    assert.equal(await guardians.watchOf('other', ours), undefined);
    assert.deepEqual(await guardians.guardiansOf('other', ours), []);
    assert.deepEqual(
      (await guardians.guardiansOf('dad', ours)).map((g) => [g.accountId, g.role]),
      [
        ['mum', 'admin'],
        ['dad', 'guardian'],
      ],
    );
  });

  test('a watch binds once; the admin role moves in one step', async () => {
    const { guardians, ours } = await setUp();
    await guardians.bind(ours, 'mum', CHILD, T0);
    await assert.rejects(guardians.bind(ours, 'other', CHILD, T0), WatchAlreadyBoundError);
    await guardians.addGuardian(ours, 'dad', 'guardian', later(1));
    await guardians.transferAdmin(ours, 'mum', 'dad');
    assert.equal((await guardians.watchOf('dad', ours))?.role, 'admin');
    assert.equal((await guardians.watchOf('mum', ours))?.role, 'guardian');
    await assert.rejects(guardians.transferAdmin(ours, 'dad', 'other'));
    assert.equal((await guardians.watchOf('dad', ours))?.role, 'admin', 'rolled back');
  });

  test('the child profile is sealed with the watch key', async () => {
    const { guardians, ours } = await setUp();
    await guardians.bind(ours, 'mum', CHILD, T0);
    const row = await context().db.selectFrom('child_profiles').selectAll().executeTakeFirst();
    assert.ok(row !== undefined);
    assert.ok(!Buffer.from(row.sealed).toString('latin1').includes('Mia'));
    assert.equal((await guardians.watchOf('mum', ours))?.child?.birthDate, '2017-05-04');
  });

  test('claims are visible to their maker only and confirm once', async () => {
    const { ours } = await setUp();
    const claims = new SqlClaimRepository(context().db);
    await claims.create({
      id: 'claim-1',
      watchId: ours,
      accountId: 'mum',
      codeHash: 'h',
      createdAt: T0,
      expiresAt: later(10),
    });
    assert.equal(await claims.find('dad', 'claim-1'), undefined);
    assert.equal((await claims.find('mum', 'claim-1'))?.failedAttempts, 0);
    assert.equal(await claims.recordFailure('claim-1'), 1);
    assert.equal(await claims.confirm('claim-1', later(1)), true);
    assert.equal(await claims.confirm('claim-1', later(1)), false);
  });

  test('an invitation changes state only from the states given', async () => {
    const { guardians, ours } = await setUp();
    await guardians.bind(ours, 'mum', CHILD, T0);
    const invitations = new SqlInvitationRepository(context().db);
    await invitations.create({
      id: 'inv-1',
      watchId: ours,
      invitedBy: 'mum',
      phone: '+12025550102',
      status: 'pending',
      acceptedBy: null,
      createdAt: T0,
      expiresAt: later(60),
      tokenHash: 'token-hash',
    });
    assert.equal((await invitations.listForPhone('+12025550102', later(1))).length, 1);
    assert.equal((await invitations.findByTokenHash('token-hash'))?.id, 'inv-1');
    assert.equal(
      await invitations.transition('inv-1', ['pending'], 'accepted', later(1), 'dad'),
      true,
    );
    assert.equal(
      await invitations.transition('inv-1', ['pending'], 'accepted', later(1), 'other'),
      false,
    );
    assert.equal((await invitations.find('inv-1'))?.acceptedBy, 'dad');
  });

  test('notices go to each account once and are marked read', async () => {
    await setUp();
    const notices = new SqlNoticeRepository(context().db);
    await notices.add(
      ['mum', 'dad', 'mum'],
      { watchId: null, kind: 'guardianAdded', details: { accountId: 'dad' } },
      T0,
    );
    const mine = await notices.list('mum', 10);
    assert.equal(mine.length, 1);
    assert.deepEqual(mine[0]?.details, { accountId: 'dad' });
    const first = mine.at(0);
    assert.ok(first !== undefined);
    await notices.markRead('mum', first.id, later(1));
    assert.ok((await notices.list('mum', 10))[0]?.readAt instanceof Date);
    assert.equal((await notices.list('dad', 10))[0]?.readAt, null);
  });
});
