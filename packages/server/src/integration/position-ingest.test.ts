import { after, before, describe } from 'node:test';
import { migrateToLatest } from '../adapters/sql/migrations.ts';
import { openDatabase, type SqlDatabase } from '../adapters/sql/open-database.ts';
import { TestCipher } from '../adapters/sql/sql-test-support.ts';
import { positionIngestTests } from './position-ingest.suite.ts';

// The writer in packages/server/src/ingest may import only core, so its tests against the real
// SQL adapters live here, where the composition may import both.
describe('position ingest on SQLite in memory', () => {
  let database: SqlDatabase | undefined;
  const cipher = new TestCipher();
  before(async () => {
    database = await openDatabase('sqlite::memory:');
    await migrateToLatest(database);
  });
  after(async () => {
    await database?.close();
  });
  positionIngestTests(() => {
    if (database === undefined) throw new Error('the database did not open');
    return { db: database.db, cipher };
  });
});
