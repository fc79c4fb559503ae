import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteStatementCache } from './sqlite-statement-cache.ts';

function cacheWithTable(maxStatements?: number): SqliteStatementCache {
  const database = new BetterSqlite3(':memory:');
  database.exec('create table t (n integer)');
  return new SqliteStatementCache(database, maxStatements);
}

describe('SqliteStatementCache', () => {
  test('a query text is prepared once and its statement reused with new parameters', () => {
    const cache = cacheWithTable();
    const insert = cache.prepare('insert into t (n) values (?)');
    insert.run([1]);
    assert.equal(cache.prepare('insert into t (n) values (?)'), insert);
    cache.prepare('insert into t (n) values (?)').run([2]);
    assert.deepEqual(cache.prepare('select n from t order by n').all([]), [{ n: 1 }, { n: 2 }]);
    assert.equal(cache.size, 2);
    cache.close();
  });

  test('keeps at most its limit, dropping the least recently used', () => {
    const cache = cacheWithTable(2);
    const first = cache.prepare('select 1');
    const second = cache.prepare('select 2');
    assert.equal(cache.prepare('select 1'), first, 'used again: now the most recent');
    cache.prepare('select 3');
    assert.equal(cache.size, 2);
    assert.equal(cache.prepare('select 1'), first);
    assert.notEqual(cache.prepare('select 2'), second, 'dropped, prepared anew');
    cache.close();
  });

  test('a statement still being iterated is not handed out again', () => {
    const cache = cacheWithTable();
    cache.prepare('insert into t (n) values (?)').run([1]);
    cache.prepare('insert into t (n) values (?)').run([2]);
    const streaming = cache.prepare('select n from t order by n');
    const rows = streaming.iterate([]);
    assert.deepEqual(rows.next().value, { n: 1 });
    const meanwhile = cache.prepare('select n from t order by n');
    assert.notEqual(meanwhile, streaming);
    assert.deepEqual(rows.next().value, { n: 2 });
    assert.equal(rows.next().done, true);
    assert.deepEqual(meanwhile.all([]), [{ n: 1 }, { n: 2 }]);
    assert.equal(cache.prepare('select n from t order by n'), streaming, 'free again once done');
    cache.close();
  });
});
