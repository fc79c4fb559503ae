// The writer thread of a SQLite database file (see sqlite-writer-thread.ts). It owns the
// connection that writes, so that statements that write, and each commit's fsync, run here
// rather than on the server's main thread. Plain JavaScript: a worker thread does not inherit
// the TypeScript loader the server is started with.
//
// Requests, answered in the order they arrive:
//   { id, sql, params }         one statement: { id, rows } or { id, changes, lastInsertRowid }
//   { id, batch: [{ sql, params }, ...] }  all of them in one transaction: { id }
//   { id, batch, seal }         the same, one column of each row sealed here first (below)
//   { id, forgetKeys: [watchId, ...] }  drops those data keys: { id }
//   { id, rollbackIfOpen: true } rolls back a transaction left open, if there is one: { id }
//   { id, close: true }         closes the connection: { id }, then the thread ends
// A failed request is answered { id, error: { name, message, code } }.
import { Buffer } from 'node:buffer';
import { clearInterval, setInterval } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { describe, forgetAllKeys, forgetKeys, sealRows } from './writer-sealing.mjs';

const { path, busyTimeoutMs, maxStatements } = workerData;
const port = parentPort;
if (port === null) throw new Error('sqlite-writer.worker.mjs runs as a worker thread only');

/**
 * The WAL is copied back into the database file (a checkpoint, with an fsync of that file) by
 * this thread only, from a timer, never as part of a commit: both connections have automatic
 * checkpoints turned off. So no checkpoint lands on the commit of an alarm or an API request on
 * the main thread, nor sits in this thread's queue in front of one; while it runs, the main
 * connection may still commit (WAL allows one checkpoint and one writer at once). PASSIVE: it
 * never waits for readers or writers, and copies what it can.
 */
const CHECKPOINT_EVERY_MS = 1_000;
let checkpointTimer;

function startCheckpoints() {
  checkpointTimer = setInterval(() => {
    try {
      database.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closing: the next round tries again.
    }
  }, CHECKPOINT_EVERY_MS);
  checkpointTimer.unref();
}

let database;
try {
  database = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  database.pragma('journal_mode = WAL');
  // FULL: a commit is on disk when it is answered, as on the main thread's connection.
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('wal_autocheckpoint = 0');
  port.postMessage({ ready: true });
  startCheckpoints();
} catch (error) {
  database?.close();
  port.postMessage({ ready: false, error: describe(error) });
  port.close();
}

/** Prepared statements by SQL text, least recently used first. */
const statements = new Map();

function prepare(sql) {
  const cached = statements.get(sql);
  if (cached !== undefined) {
    statements.delete(sql);
    statements.set(sql, cached);
    return cached;
  }
  const statement = database.prepare(sql);
  if (statements.size >= maxStatements) statements.delete(statements.keys().next().value);
  statements.set(sql, statement);
  return statement;
}

/** Values cross threads as plain Uint8Arrays; better-sqlite3 binds Buffers. */
function bindable(params) {
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      params[i] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return params;
}

/** Runs the statements in one transaction; the first failure rolls all of them back. */
function runBatch(batch) {
  database.exec('begin immediate');
  try {
    for (const { sql, params } of batch) prepare(sql).run(bindable(params));
    database.exec('commit');
  } catch (error) {
    if (database.inTransaction) database.exec('rollback');
    throw error;
  }
}

// Sealing: writer-sealing.mjs, shared with the PostgreSQL writer thread.

port.on('message', (request) => {
  const { id } = request;
  try {
    if (request.close === true) {
      clearInterval(checkpointTimer);
      forgetAllKeys();
      statements.clear();
      database.close();
      port.postMessage({ id });
      port.close();
      return;
    }
    if (request.rollbackIfOpen === true) {
      if (database.inTransaction) database.exec('rollback');
      port.postMessage({ id });
      return;
    }
    if (request.forgetKeys !== undefined) {
      forgetKeys(request.forgetKeys);
      port.postMessage({ id });
      return;
    }
    if (request.batch !== undefined) {
      if (request.seal !== undefined) sealRows(request.batch, request.seal);
      runBatch(request.batch);
      port.postMessage({ id });
      return;
    }
    const statement = prepare(request.sql);
    const params = bindable(request.params);
    if (statement.reader) {
      port.postMessage({ id, rows: statement.all(params) });
    } else {
      const { changes, lastInsertRowid } = statement.run(params);
      port.postMessage({ id, changes, lastInsertRowid });
    }
  } catch (error) {
    port.postMessage({ id, error: describe(error) });
  }
});
