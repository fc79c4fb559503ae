import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchId } from '@kinwatch/core';
import { PendingCommandWatches } from './pending-command-watches.ts';

/** Commands as rows: id, watch and whether still pending. */
class FakeCommands {
  readonly rows: { id: number; watchId: WatchId; isPending: boolean }[] = [];
  readonly asked: number[] = [];

  add(watchId: WatchId): void {
    this.rows.push({ id: this.rows.length + 1, watchId, isPending: true });
  }

  watchesWithPending(afterId: number): Promise<{ watchIds: WatchId[]; lastId: number }> {
    this.asked.push(afterId);
    const ids = this.rows.filter((r) => r.id > afterId && r.isPending).map((r) => r.watchId);
    return Promise.resolve({ watchIds: [...new Set(ids)], lastId: this.rows.length });
  }
}

test('knows the watches with pending commands from the start', async () => {
  const commands = new FakeCommands();
  commands.add('a');
  commands.add('b');
  (commands.rows[1] as { isPending: boolean }).isPending = false;
  const pending = new PendingCommandWatches(commands);
  await pending.load();
  assert.equal(pending.mayHave('a'), true);
  assert.equal(pending.mayHave('b'), false);
});

test('a watch leaves the set only if no command was seen while the database was asked', () => {
  const pending = new PendingCommandWatches(new FakeCommands());
  pending.mark('a');
  const before = pending.markOf('a');
  pending.mark('a'); // announced while the query ran
  pending.clearIfUnchanged('a', before);
  assert.equal(pending.mayHave('a'), true);
  pending.clearIfUnchanged('a', pending.markOf('a'));
  assert.equal(pending.mayHave('a'), false);
});

test('scans find commands stored by others, each scan looking again at the one before', async () => {
  const commands = new FakeCommands();
  commands.add('a');
  const pending = new PendingCommandWatches(commands);
  await pending.load();
  pending.clearIfUnchanged('a', pending.markOf('a'));
  commands.add('b');
  assert.deepEqual(await pending.scan(), ['b']);
  assert.equal(pending.mayHave('b'), true);
  commands.add('c');
  assert.deepEqual(await pending.scan(), ['b', 'c']);
  assert.deepEqual(await pending.scan(), ['c']);
  assert.deepEqual(await pending.scan(), []);
  assert.deepEqual(commands.asked, [0, 1, 1, 2, 3]);
});
