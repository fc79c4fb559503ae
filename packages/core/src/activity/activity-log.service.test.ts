import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Account } from '../accounts/account.model.ts';
import type { GuardedWatch } from '../families/family.model.ts';
import { ActivityLog } from './activity-log.service.ts';
import type { ActivityEntry, NewActivityEntry } from './activity.model.ts';
import type { ActivityRepository } from './activity.ports.ts';

class MemoryEntries implements ActivityRepository {
  readonly entries: ActivityEntry[] = [];

  append(entry: NewActivityEntry): Promise<ActivityEntry> {
    const stored = { ...entry, id: this.entries.length + 1 };
    this.entries.push(stored);
    return Promise.resolve(stored);
  }

  list(watchId: string, beforeId: number | undefined, limit: number): Promise<ActivityEntry[]> {
    const found = this.entries
      .filter((e) => e.watchId === watchId && (beforeId === undefined || e.id < beforeId))
      .reverse()
      .slice(0, limit);
    return Promise.resolve(found);
  }
}

const NOW = new Date('2025-03-01T08:00:00.000Z');

function setup() {
  const entries = new MemoryEntries();
  const log = new ActivityLog({
    entries,
    accounts: {
      findById: (id) =>
        Promise.resolve(id === 'mum' ? ({ id, nickname: 'Mum' } as Account) : undefined),
    },
    guardians: {
      watchOf: (accountId, watchId) =>
        Promise.resolve(
          accountId === 'mum' && watchId === 'w1' ? ({ watchId } as GuardedWatch) : undefined,
        ),
    },
    clock: { now: () => NOW },
  });
  return { entries, log };
}

test('records the actor with the nickname they have now, and the time', async () => {
  const { log } = setup();
  const byId = await log.record('w1', 'mum', 'locateNow');
  const byAccount = await log.record('w1', { id: 'dad', nickname: null }, 'historyViewed', {
    from: 'a',
  });
  assert.deepEqual(
    [byId.actorNickname, byAccount.actorNickname, byAccount.details],
    ['Mum', null, { from: 'a' }],
  );
  assert.equal(byId.at, NOW);
});

test('refuses nested or oversized details', async () => {
  const { log, entries } = setup();
  const nested = { list: [1, 2] } as unknown as Record<string, string>;
  await assert.rejects(log.record('w1', 'mum', 'command', nested), RangeError);
  await assert.rejects(log.record('w1', 'mum', 'command', { text: 'x'.repeat(3000) }), RangeError);
  assert.equal(entries.entries.length, 0);
});

test('lists newest first in pages, for guardians of the watch only', async () => {
  const { log } = setup();
  for (let i = 0; i < 5; i++) await log.record('w1', 'mum', 'historyViewed', { i });
  const first = await log.list('mum', 'w1', { limit: 2 });
  assert.deepEqual(
    first.entries.map((e) => e.details['i']),
    [4, 3],
  );
  const rest = await log.list('mum', 'w1', { before: first.nextBefore ?? 0, limit: 10 });
  assert.deepEqual(
    rest.entries.map((e) => e.details['i']),
    [2, 1, 0],
  );
  assert.equal(rest.nextBefore, null);
  await assert.rejects(log.list('stranger', 'w1', { limit: 2 }), { code: 'watchNotFound' });
});
