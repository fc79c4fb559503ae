/**
 * Positions sealed on the SQLite writer thread open with the keyring, as the server runs them:
 * a database file, the real `KeyringCipher` and its key table. The thread writes the keyring's
 * format on its own (sqlite-writer.worker.mjs); this is where the two are held to agreeing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DataKeyUnavailableError, type Position, type WatchId } from '@kinwatch/core';
import { KeyringCipher } from '../adapters/crypto/keyring-cipher.ts';
import { migrateToLatest } from '../adapters/sql/migrations.ts';
import { openDatabase, type SqlDatabase } from '../adapters/sql/open-database.ts';
import { SqlPositionRepository } from '../adapters/sql/position.repository.ts';
import { SqlWatchRepository } from '../adapters/sql/watch.repository.ts';
import { SqlWrappedKeyStore } from '../adapters/sql/watch-key.repository.ts';

const T0 = Date.UTC(2026, 5, 2, 7, 0, 0);
const FAR = new Date(T0 + 86_400_000);

let dir: string;
let database: SqlDatabase;
let cipher: KeyringCipher;
let positions: SqlPositionRepository;
let watchIds: WatchId[];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinwatch-keyring-writer-'));
  database = await openDatabase(`sqlite:${join(dir, 'kinwatch.db')}`);
  await migrateToLatest(database);
  cipher = new KeyringCipher({
    masterKey: { bytes: randomBytes(32), id: 'test-master', origin: 'test', isNew: false },
    store: new SqlWrappedKeyStore(database.db),
  });
  const watches = new SqlWatchRepository(database.db, cipher);
  await watches.provision(['8800001001', '8800001002'], new Date(T0));
  const found = await Promise.all(
    ['8800001001', '8800001002'].map((id) => watches.findByDeviceId(id)),
  );
  watchIds = found.map((watch) => watch?.id ?? assert.fail('not provisioned'));
  positions = new SqlPositionRepository(database.db, cipher);
});

after(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

function fix(watchId: WatchId, second: number): Position {
  return {
    watchId,
    recordedAt: new Date(T0 + second * 1000),
    receivedAt: new Date(T0 + second * 1000 + 800),
    source: 'gps',
    latitude: 52.52 + second / 1e5,
    longitude: 13.405 - second / 1e5,
    accuracyMeters: 8,
    speedKmh: second % 2 === 0 ? 4.5 : null,
    courseDegrees: 270,
    altitudeMeters: null,
    isBuffered: false,
    flags: second === 3 ? ['clockSkew'] : [],
  };
}

test('a batch sealed on the writer thread reads back through the keyring, field for field', async () => {
  const [first = '', second = ''] = watchIds;
  const batch = [0, 1, 2, 3].flatMap((n) => [fix(first, n), fix(second, n)]);
  await positions.appendBatch(batch);
  assert.deepEqual(
    await positions.range(first, new Date(0), FAR, 100),
    batch.filter((p) => p.watchId === first),
  );
  assert.deepEqual(
    await positions.range(second, new Date(0), FAR, 100),
    batch.filter((p) => p.watchId === second),
  );
  // The stored value is the keyring's: its own `open` takes it.
  const row = await database.db
    .selectFrom('positions')
    .select('sealed')
    .where('watch_id', '=', first)
    .executeTakeFirstOrThrow();
  const opened = await cipher.open(first, row.sealed);
  assert.equal(opened.length, 49);
  await assert.rejects(cipher.open(second, row.sealed), /authentication failed/);
});

test('after the key is destroyed the history is unreadable, and new positions get a new key', async () => {
  const [first = '', second = ''] = watchIds;
  await cipher.destroyKey(first);
  await assert.rejects(
    positions.range(first, new Date(0), FAR, 100),
    (error: unknown) => error instanceof DataKeyUnavailableError,
  );
  await positions.appendBatch([fix(first, 100), fix(second, 100)]);
  const readable = await positions.latest(first);
  assert.deepEqual(readable, fix(first, 100));
  assert.equal((await positions.range(second, new Date(0), FAR, 100)).length, 5);
});
