import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe } from 'node:test';
import {
  DataKeyUnavailableError,
  SealedDataError,
  type FieldCipher,
  type WatchId,
} from '@kinwatch/core';
import { sql } from 'kysely';
import type { Database, Db } from './database.ts';
import { migrateToLatest } from './migrations.ts';
import { openDatabase, type SqlDatabase } from './open-database.ts';
import type { SealingKey, SealingKeySource } from './writer-keys.ts';

/** The PostgreSQL the contract suites run against; each suite works in its own schema. */
export const POSTGRES_TEST_URL =
  process.env['KINWATCH_TEST_POSTGRES_URL'] ?? 'postgres://127.0.0.1:5432/test';

export interface SqlTestContext {
  readonly database: SqlDatabase;
  readonly db: Db;
  readonly cipher: TestCipher;
}

/**
 * Runs `suite` twice: on a SQLite file (writes on its writer thread) and on PostgreSQL in a fresh schema that is
 * dropped afterwards. Every table is emptied before each test.
 */
export function describeOnEachDatabase(
  title: string,
  suite: (context: () => SqlTestContext) => void,
): void {
  for (const target of [openSqliteTarget, openPostgresTarget]) {
    void describe(`${title} on ${target.label}`, () => {
      let context: SqlTestContext | undefined;
      let dispose: () => Promise<void> = () => Promise.resolve();
      before(async () => {
        const opened = await target();
        dispose = opened.dispose;
        await migrateWithRetry(opened.database);
        context = { database: opened.database, db: opened.database.db, cipher: new TestCipher() };
      });
      beforeEach(async () => {
        if (context === undefined) return;
        await clearTables(context.db);
        context.cipher.reset();
      });
      after(async () => {
        await context?.database.close();
        await dispose();
      });
      suite(() => {
        if (context === undefined) throw new Error('the database did not open');
        return context;
      });
    });
  }
}

/**
 * Suites run in parallel, each in its own PostgreSQL schema; a migration can meet another
 * suite's schema being dropped and lose a deadlock on the system catalogs. Such a failure is
 * reported with its cause and the migration tried again, at most three times.
 */
async function migrateWithRetry(database: SqlDatabase): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(database);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      const cause = (error as { cause?: unknown }).cause;
      console.error(`migration attempt ${String(attempt)} failed: ${String(cause ?? error)}`);
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

interface OpenedTarget {
  readonly database: SqlDatabase;
  readonly dispose: () => Promise<void>;
}

/** A SQLite file, as the server opens one: reads on this thread, writes on the writer thread. */
async function openSqliteTarget(): Promise<OpenedTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'kinwatch-contract-'));
  return {
    database: await openDatabase(`sqlite:${join(dir, 'kinwatch.db')}`),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
openSqliteTarget.label = 'SQLite';

async function openPostgresTarget(): Promise<OpenedTarget> {
  const schema = `kw_test_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase(POSTGRES_TEST_URL, { poolSize: 1, postgresWriterThread: false });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  const database = await openDatabase(POSTGRES_TEST_URL, { postgresSchema: schema });
  return {
    database,
    dispose: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    },
  };
}
openPostgresTarget.label = 'PostgreSQL';

/** Children before parents, so that it works with or without ON DELETE CASCADE. */
const TABLES: readonly (keyof Database)[] = [
  'push_subscriptions',
  'notification_settings',
  'zone_events',
  'zone_states',
  'zones',
  'watch_settings',
  'activity_log',
  'alert_events',
  'alerts',
  'notices',
  'invitations',
  'watch_claims',
  'child_profiles',
  'guardianships',
  'sessions',
  'one_time_codes',
  'rate_counters',
  'positions',
  'alarms',
  'commands',
  'watch_twin',
  'watch_status',
  'security_events',
  'watches',
  'unknown_watch_sightings',
  'watch_keys',
  'cell_towers',
  'wifi_access_points',
  'accounts',
  'images',
];

async function clearTables(db: Db): Promise<void> {
  for (const table of TABLES) await db.deleteFrom(table).execute();
}

/**
 * A real AES-GCM FieldCipher with keys in memory, standing in for the keyring (adapters do not
 * import each other), in the keyring's sealed format (version byte, nonce, ciphertext, tag; the
 * version byte and the watch id authenticated). It also hands its keys to a SQLite writer
 * thread that seals position batches (`SealingKeySource`), as the keyring does, so that the
 * suites on SQLite store positions the way the server does. Records which keys were destroyed.
 */
export class TestCipher implements FieldCipher, SealingKeySource {
  readonly #keys = new Map<WatchId, SealingKey>();
  readonly #destroyListeners = new Set<(watchId: WatchId) => void>();
  destroyed: WatchId[] = [];

  sealingKey(watchId: WatchId): SealingKey {
    let key = this.#keys.get(watchId);
    if (key === undefined) {
      key = { key: createSecretKey(randomBytes(32)), aad: testAad(watchId) };
      this.#keys.set(watchId, key);
    }
    return key;
  }

  isCurrent(watchId: WatchId, key: SealingKey): boolean {
    return this.#keys.get(watchId) === key;
  }

  onDestroy(listener: (watchId: WatchId) => void): () => void {
    this.#destroyListeners.add(listener);
    return () => this.#destroyListeners.delete(listener);
  }

  seal(watchId: WatchId, plaintext: Uint8Array): Promise<Uint8Array> {
    const { key, aad } = this.sealingKey(watchId);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(aad);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Promise.resolve(Buffer.concat([Buffer.of(1), nonce, body, cipher.getAuthTag()]));
  }

  open(watchId: WatchId, sealed: Uint8Array): Promise<Uint8Array> {
    const key = this.#keys.get(watchId);
    if (key === undefined) return Promise.reject(new DataKeyUnavailableError(watchId));
    const bytes = Buffer.from(sealed);
    try {
      if (bytes[0] !== 1) throw new Error('unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(1, 13));
      decipher.setAAD(key.aad).setAuthTag(bytes.subarray(bytes.length - 16));
      const body = bytes.subarray(13, bytes.length - 16);
      return Promise.resolve(Buffer.concat([decipher.update(body), decipher.final()]));
    } catch {
      return Promise.reject(new SealedDataError(watchId, 'authentication failed'));
    }
  }

  async openMany(watchId: WatchId, sealed: readonly Uint8Array[]): Promise<Uint8Array[]> {
    const opened: Uint8Array[] = [];
    for (const bytes of sealed) opened.push(await this.open(watchId, bytes));
    return opened;
  }

  destroyKey(watchId: WatchId): Promise<void> {
    this.#keys.delete(watchId);
    this.destroyed.push(watchId);
    for (const listener of this.#destroyListeners) listener(watchId);
    return Promise.resolve();
  }

  reset(): void {
    for (const watchId of [...this.#keys.keys()]) {
      for (const listener of this.#destroyListeners) listener(watchId);
    }
    this.#keys.clear();
    this.destroyed = [];
  }
}

/** The keyring's additional data: the format version byte, then the watch id. */
function testAad(watchId: WatchId): Buffer {
  return Buffer.concat([Buffer.of(1), Buffer.from(watchId, 'utf8')]);
}
