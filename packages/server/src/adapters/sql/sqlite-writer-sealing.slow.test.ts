import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { SqliteWriterThread, type SealedColumn } from './sqlite-writer-thread.ts';
import { ManualKeys, openValue, sealedColumn } from './sealing-keys-test-support.ts';
import type { SealingKey } from './writer-keys.ts';

const VALUE_BYTES = 8;
const INSERT = 'insert into sealed_notes (watch_id, n, body) values (?, ?, ?), (?, ?, ?)';

const LAYOUT = { valueBytes: VALUE_BYTES, paramsPerRow: 3, watchParam: 0, sealedParam: 2 };

describe('position batches sealed on the SQLite writer thread', () => {
  let dir: string;
  let thread: SqliteWriterThread;
  let keys: ManualKeys;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinwatch-sealing-'));
    thread = await SqliteWriterThread.start(join(dir, 'sealing.db'), { busyTimeoutMs: 1_000 });
    await thread.execute('create table sealed_notes (watch_id text, n integer, body blob)', []);
  });

  beforeEach(async () => {
    await thread.execute('delete from sealed_notes', []);
    keys = new ManualKeys();
  });

  after(async () => {
    await thread.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Two rows, one plaintext value of VALUE_BYTES each. */
  function column(watchIds: readonly string[], plaintext: Buffer, withKeys = true): SealedColumn {
    return sealedColumn(keys, LAYOUT, watchIds, plaintext, withKeys);
  }

  function statements(a: string, b: string) {
    return [{ sql: INSERT, params: [a, 1, null, b, 2, null] }];
  }

  async function stored(): Promise<{ watch_id: string; n: number; body: Buffer }[]> {
    const answer = await thread.execute(
      'select watch_id, n, body from sealed_notes order by n',
      [],
    );
    return answer.rows as { watch_id: string; n: number; body: Buffer }[];
  }

  test('each row is sealed under its watch key; the plaintext is handed over', async () => {
    // A buffer of its own (Buffer.from a string may be a slice of a shared pool).
    const plaintext = Buffer.alloc(16);
    plaintext.write('first...second..');
    await thread.executeSealedBatch(statements('w1', 'w2'), column(['w1', 'w2'], plaintext));
    assert.equal(plaintext.byteLength, 0, 'the memory moved to the thread');
    const rows = await stored();
    assert.equal(rows.length, 2);
    const [first, second] = rows;
    assert.ok(first !== undefined && second !== undefined);
    assert.equal(first.body.length, 1 + 12 + VALUE_BYTES + 16);
    assert.equal(
      openValue(keys.current.get('w1') as SealingKey, first.body).toString(),
      'first...',
    );
    assert.equal(
      openValue(keys.current.get('w2') as SealingKey, second.body).toString(),
      'second..',
    );
    assert.throws(() => openValue(keys.current.get('w2') as SealingKey, first.body));
    assert.ok(thread.heldKeys >= 2);
  });

  test('a slice of a larger buffer is copied for the thread, and wiped here', async () => {
    const whole = Buffer.from('xxxxfirst...second..xxxx');
    const slice = whole.subarray(4, 20);
    await thread.executeSealedBatch(statements('w1', 'w1'), column(['w1'], slice));
    assert.equal(whole.toString('latin1', 4, 20), '\0'.repeat(16));
    assert.equal(whole.toString('latin1', 0, 4), 'xxxx');
    const rows = await stored();
    assert.equal(
      openValue(keys.current.get('w1') as SealingKey, rows[1]?.body as Buffer).toString(),
      'second..',
    );
  });

  test('a key sent once is used again; once destroyed, the thread no longer has it', async () => {
    await thread.executeSealedBatch(statements('w1', 'w1'), column(['w1'], Buffer.alloc(16, 1)));
    // No key goes with this batch: the thread seals with the one it holds.
    await thread.executeSealedBatch(
      statements('w1', 'w1'),
      column(['w1'], Buffer.alloc(16, 2), false),
    );
    assert.equal((await stored()).length, 4);
    const held = thread.heldKeys;
    keys.destroy('w1');
    assert.equal(thread.heldKeys, held - 1);
    await assert.rejects(
      thread.executeSealedBatch(statements('w1', 'w1'), column(['w1'], Buffer.alloc(16), false)),
      /holds no data key for watch w1/,
    );
    assert.equal((await stored()).length, 4, 'the refused batch stored nothing');
    // A new key for the watch is sent with its next batch.
    await thread.executeSealedBatch(statements('w1', 'w1'), column(['w1'], Buffer.alloc(16, 3)));
    assert.equal((await stored()).length, 6);
  });

  test('a batch with fewer or more plaintext values than rows stores nothing', async () => {
    await assert.rejects(
      thread.executeSealedBatch(statements('w1', 'w2'), column(['w1', 'w2'], Buffer.alloc(8))),
      /fewer plaintext values than rows/,
    );
    await assert.rejects(
      thread.executeSealedBatch(statements('w1', 'w2'), column(['w1', 'w2'], Buffer.alloc(24))),
      /more plaintext values than rows/,
    );
    assert.deepEqual(await stored(), []);
  });
});
