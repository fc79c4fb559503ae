import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type SqlDatabase } from './open-database.ts';
import { isUniqueViolation } from './sql-errors.ts';
import { executeAtomically } from './atomic-statements.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- an ad-hoc table outside the schema */
type AnyDb = Kysely<any>;

describe('SQLite with its writes on a writer thread', () => {
  let dir: string;
  let path: string;
  let database: SqlDatabase;
  let db: AnyDb;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinwatch-writer-'));
    path = join(dir, 'kinwatch.db');
    database = await openDatabase(`sqlite:${path}`);
    db = database.db;
    await sql`create table notes (id integer primary key, tag text unique, body blob)`.execute(db);
  });

  beforeEach(async () => {
    await sql`delete from notes`.execute(db);
  });

  after(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function tags(): Promise<string[]> {
    const rows = await db.selectFrom('notes').select('tag').orderBy('id').execute();
    return rows.map((row: { tag: string }) => row.tag);
  }

  test('a read after an awaited write sees it; blobs come back as Buffers', async () => {
    const returned = await db
      .insertInto('notes')
      .values({ tag: 'a', body: Buffer.from([1, 2, 3]) })
      .returning(['id', 'body'])
      .executeTakeFirstOrThrow();
    assert.ok(Buffer.isBuffer(returned.body));
    assert.deepEqual([...returned.body], [1, 2, 3]);
    const read = await db.selectFrom('notes').selectAll().executeTakeFirstOrThrow();
    assert.ok(Buffer.isBuffer(read.body));
    assert.deepEqual([...read.body], [1, 2, 3]);
    const { numUpdatedRows } = await db
      .updateTable('notes')
      .set({ tag: 'b' })
      .where('id', '=', returned.id)
      .executeTakeFirstOrThrow();
    assert.equal(numUpdatedRows, 1n);
  });

  test("a failed write keeps SQLite's error code and points at its caller", async () => {
    await db.insertInto('notes').values({ tag: 'same' }).execute();
    let error: Error | undefined;
    try {
      await db.insertInto('notes').values({ tag: 'same' }).execute();
    } catch (failure) {
      error = failure as Error;
    }
    assert.ok(error instanceof Error);
    assert.ok(isUniqueViolation(error), `not a unique violation: ${String(error)}`);
    assert.match(error.message, /UNIQUE constraint failed: notes\.tag/);
    assert.match(error.stack ?? '', /sqlite-writer-dialect\.slow\.test\.ts/);
  });

  test('a transaction that throws is rolled back, and the next one works', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ tag: 'lost' }).execute();
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ tag: 'kept' }).execute();
      // Inside the transaction a read sees the transaction's own write.
      assert.equal((await trx.selectFrom('notes').select('tag').execute()).length, 1);
    });
    assert.deepEqual(await tags(), ['kept']);
  });

  /** Sends a write to the writer thread that keeps it busy for a while (50,000 rows). */
  function busyWriter(): Promise<void> {
    return executeAtomically(database.db, [
      sql`insert into notes (tag)
        with recursive n(i) as (select 1 union all select i + 1 from n where i < 50000)
        select 'bulk ' || i from n`.compile(db),
    ]);
  }

  async function count(): Promise<number> {
    const { n } = await db
      .selectFrom('notes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return n;
  }

  /**
   * Begins a transaction, inserts `tag` in it and keeps it open: resolves once the insert ran,
   * with the transaction's promise and the function that lets it commit.
   */
  async function openTransactionWith(tag: string) {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted: () => void = () => undefined;
    const insertedInside = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ tag }).execute();
      inserted();
      await held;
    });
    await insertedInside;
    return { transaction, release };
  }

  test('with the writer idle, a transaction runs here and other reads wait for its end', async () => {
    const { transaction, release } = await openTransactionWith('pending');
    let seen: string[] | undefined;
    const read = tags().then((found) => (seen = found));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(seen, undefined, 'a read ran inside the open transaction');
    release();
    await Promise.all([transaction, read]);
    assert.deepEqual(seen, ['pending']);
  });

  test('with the writer busy, a transaction runs there and reads neither wait nor see it', async () => {
    const bulk = busyWriter();
    const { transaction, release } = await openTransactionWith('pending');
    // The bulk insert committed before the transaction began on the writer.
    assert.equal(await count(), 50_000);
    assert.deepEqual((await tags()).includes('pending'), false);
    release();
    await Promise.all([bulk, transaction]);
    assert.equal(await count(), 50_001);
  });

  test('a lone write waits for an open transaction instead of joining it', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted: () => void = () => undefined;
    const insertedInside = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('notes').values({ tag: 'in transaction' }).execute();
        inserted();
        await held;
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await insertedInside;
    const lone = db.insertInto('notes').values({ tag: 'alone' }).execute();
    release();
    await Promise.all([transaction, lone]);
    // Rolling the transaction back did not take the lone write with it.
    assert.deepEqual(await tags(), ['alone']);
  });

  test('transactions run one at a time, in the order they began', async () => {
    const run = (name: string) =>
      db.transaction().execute(async (trx) => {
        for (let i = 0; i < 3; i++) {
          await trx
            .insertInto('notes')
            .values({ tag: `${name}${String(i)}` })
            .execute();
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
    await Promise.all([run('x'), run('y'), run('z')]);
    assert.deepEqual(await tags(), ['x0', 'x1', 'x2', 'y0', 'y1', 'y2', 'z0', 'z1', 'z2']);
  });

  test('the main thread goes on while the writer thread writes', async () => {
    let written = false;
    const bulk = busyWriter().then(() => {
      written = true;
    });
    // A write that came while the writer is busy goes there too, behind the bulk.
    const lone = db.insertInto('notes').values({ tag: 'after the bulk' }).execute();
    // Run on this thread, the bulk insert would be finished before the next turn.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(written, false);
    await Promise.all([bulk, lone]);
    assert.equal(await count(), 50_001);
    const last = await db
      .selectFrom('notes')
      .select('tag')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(last.tag, 'after the bulk');
  });

  test('a batch of statements is stored all or nothing', async () => {
    const insert = (tag: string) => sql`insert into notes (tag) values (${tag})`.compile(db);
    await executeAtomically(database.db, [insert('one'), insert('two')]);
    assert.deepEqual(await tags(), ['one', 'two']);
    let error: Error | undefined;
    try {
      await executeAtomically(database.db, [insert('three'), insert('one')]);
    } catch (failure) {
      error = failure as Error;
    }
    assert.ok(isUniqueViolation(error), `not a unique violation: ${String(error)}`);
    assert.deepEqual(await tags(), ['one', 'two']);
    // The writer is left without an open transaction.
    await db.insertInto('notes').values({ tag: 'four' }).execute();
    assert.deepEqual(await tags(), ['one', 'two', 'four']);
  });

  test('closing finishes the writes already sent', async () => {
    const other = await openDatabase(`sqlite:${path}`);
    const otherDb = other.db as unknown as AnyDb;
    const writes = Array.from({ length: 50 }, (_, i) =>
      otherDb
        .insertInto('notes')
        .values({ tag: `w${String(i)}` })
        .execute(),
    );
    // Once the first is written, every one of them is on its way to the writer thread.
    await writes[0];
    await other.close();
    await Promise.all(writes);
    assert.equal((await tags()).length, 50);
  });
});

test('only the writer thread checkpoints, also after writes made on the main thread alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kinwatch-checkpoint-'));
  const path = join(dir, 'kinwatch.db');
  const database = await openDatabase(`sqlite:${path}`);
  try {
    const db: AnyDb = database.db;
    const [setting] = (
      await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)
    ).rows;
    assert.deepEqual(setting, { wal_autocheckpoint: 0 }, 'none on the main connection');
    await sql`create table notes (id integer primary key, body blob)`.execute(db);
    // Some 2 MB written while the writer is idle: lone writes, on the main connection, which
    // never copies them from the WAL into the database file itself (above: setting 0).
    const before = (await stat(path)).size;
    for (let index = 0; index < 40; index++) {
      await db
        .insertInto('notes')
        .values({ body: Buffer.alloc(50_000, index) })
        .execute();
    }
    // The writer thread copies them into the database file within a second or so.
    const deadline = Date.now() + 20_000;
    while ((await stat(path)).size - before < 2_000_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok((await stat(path)).size - before >= 2_000_000, 'checkpointed by the writer thread');
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('on a database without a writer thread a batch is one transaction', async () => {
  const memory = await openDatabase('sqlite::memory:');
  try {
    const mdb = memory.db as unknown as AnyDb;
    await sql`create table notes (tag text unique)`.execute(mdb);
    const insert = (tag: string) => sql`insert into notes (tag) values (${tag})`.compile(mdb);
    await assert.rejects(executeAtomically(memory.db, [insert('a'), insert('a')]), (error) =>
      isUniqueViolation(error),
    );
    await executeAtomically(memory.db, [insert('b'), insert('c')]);
    const rows = await mdb.selectFrom('notes').select('tag').orderBy('tag').execute();
    assert.deepEqual(
      rows.map((row: { tag: string }) => row.tag),
      ['b', 'c'],
    );
  } finally {
    await memory.close();
  }
});

test('a SQLite file that cannot be written is refused with its path', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kinwatch-writer-'));
  try {
    // A directory where the database file should be.
    await assert.rejects(openDatabase(`sqlite:${dir}`), (error: Error) => {
      assert.match(error.message, new RegExp(dir.replaceAll('/', '\\/')));
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
