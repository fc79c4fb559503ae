import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest } from './migrations.ts';
import { openDatabase, redactUrl } from './open-database.ts';

describe('openDatabase', () => {
  test('a SQLite file is created with its directory, in WAL mode, FULL sync, foreign keys on', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kinwatch-open-'));
    try {
      const path = join(directory, 'nested', 'kinwatch.db');
      const database = await openDatabase(`sqlite:${path}`);
      assert.equal(database.flavour.name, 'sqlite');
      const pragma = async (name: string) => {
        const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(
          database.db,
        );
        return Object.values(rows[0] ?? {})[0];
      };
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('synchronous'), 2, 'FULL');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('busy_timeout'), 5000);
      await database.close();
      assert.ok((await stat(path)).isFile());
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  test('migrations run once; running them again at the next start does nothing', async () => {
    const database = await openDatabase('sqlite::memory:');
    const applied = await migrateToLatest(database);
    assert.deepEqual(applied, [
      '0001-watches',
      '0002-positions',
      '0003-commands',
      '0004-geo',
      '0005-accounts',
      '0006-zones',
      '0007-activity',
      '0008-alerts',
      '0009-notifications',
      '0010-position-blocks',
      '0011-position-block-format',
      '0012-alert-alarm',
    ]);
    assert.deepEqual(await migrateToLatest(database), []);
    const tables = await database.db.introspection.getTables();
    assert.deepEqual(tables.map((table) => table.name).sort(), [
      'accounts',
      'activity_log',
      'alarms',
      'alert_events',
      'alerts',
      'cell_towers',
      'child_profiles',
      'commands',
      'guardianships',
      'images',
      'invitations',
      'notices',
      'notification_settings',
      'one_time_codes',
      'position_block_progress',
      'position_blocks',
      'positions',
      'push_subscriptions',
      'rate_counters',
      'security_events',
      'sessions',
      'unknown_watch_sightings',
      'watch_claims',
      'watch_keys',
      'watch_settings',
      'watch_status',
      'watch_twin',
      'watches',
      'wifi_access_points',
      'zone_events',
      'zone_states',
      'zones',
    ]);
    await database.close();
  });

  test('foreign keys are enforced on SQLite', async () => {
    const database = await openDatabase('sqlite::memory:');
    await migrateToLatest(database);
    await assert.rejects(
      database.db
        .insertInto('watch_status')
        .values({ watch_id: 'missing', is_online: 0, updated_at: 0 })
        .execute(),
      /FOREIGN KEY/,
    );
    await database.close();
  });

  test('an unsupported URL is refused, naming the accepted forms, without its password', async () => {
    await assert.rejects(openDatabase('mysql://kin:hunter2@db/kinwatch'), (error: Error) => {
      assert.match(error.message, /sqlite:<path>/);
      assert.ok(!error.message.includes('hunter2'));
      return true;
    });
    await assert.rejects(openDatabase('sqlite:'), /without a path/);
  });

  test('an unreachable PostgreSQL fails at open, without the password in the message', async () => {
    await assert.rejects(
      openDatabase('postgres://kin:hunter2@127.0.0.1:1/kinwatch'),
      (error: Error) => {
        assert.match(
          error.message,
          /cannot reach PostgreSQL at postgres:\/\/kin:\*\*\*@127\.0\.0\.1:1/,
        );
        assert.ok(!error.message.includes('hunter2'));
        return true;
      },
    );
  });

  test('redactUrl hides only the password', () => {
    assert.equal(redactUrl('postgres://kin:s3cr%40t@db:5432/x'), 'postgres://kin:***@db:5432/x');
    assert.equal(redactUrl('postgres://db:5432/x'), 'postgres://db:5432/x');
    assert.equal(redactUrl('sqlite:./data/kinwatch.db'), 'sqlite:./data/kinwatch.db');
  });
});
