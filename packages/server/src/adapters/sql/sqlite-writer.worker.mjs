// The writer thread of a SQLite database file (see sqlite-writer-thread.ts). It owns the
// connection that writes, so that statements that write, and each commit's fsync, run here
// rather than on the server's main thread. Plain JavaScript: a worker thread does not inherit
// the TypeScript loader the server is started with.
//
// Requests, answered in the order they arrive, except that an urgent one goes before those
// still waiting (never into an open transaction):
//   { id, sql, params }         one statement: { id, rows } or { id, changes, lastInsertRowid }
//   { id, batch: [{ sql, params }, ...] }  all of them in one transaction: { id }
//   { id, linked: [{ sql, params }, ...], urgent }  all of them in one transaction, each
//                               returning a row with an `id`; a parameter { insertedIdOf: k }
//                               is the id statement k returned: { id, ids }
//   { id, rollbackIfOpen: true } rolls back a transaction left open, if there is one: { id }
//   { id, close: true }         closes the connection: { id }, then the thread ends
// A failed request is answered { id, error: { name, message, code } }.
import { Buffer } from 'node:buffer';
import { clearInterval, setImmediate, setInterval } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

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

function describe(error) {
  return {
    name: error?.name ?? 'Error',
    message: error?.message ?? String(error),
    code: error?.code,
  };
}

/** Requests received and not run yet: urgent ones first, then the others in order. */
const urgent = [];
const waiting = [];
let isScheduled = false;

port.on('message', (request) => {
  (request.urgent === true ? urgent : waiting).push(request);
  if (!isScheduled) {
    isScheduled = true;
    setImmediate(runNext);
  }
});

/**
 * One request per turn of the event loop, so that requests sent meanwhile are received before
 * the next one is chosen: an urgent request waits for the request running, not for the queue.
 */
function runNext() {
  const request =
    urgent.length > 0 && !database?.inTransaction
      ? urgent.shift()
      : (waiting.shift() ?? urgent.shift());
  if (request !== undefined) handle(request);
  isScheduled = urgent.length > 0 || waiting.length > 0;
  if (isScheduled) setImmediate(runNext);
}

/** Runs linked statements in one transaction; returns the id each statement returned. */
function runLinked(linked) {
  const ids = [];
  database.exec('begin immediate');
  try {
    for (const { sql, params } of linked) {
      const bound = params.map((value) =>
        value !== null && typeof value === 'object' && 'insertedIdOf' in value
          ? ids[value.insertedIdOf]
          : value,
      );
      const row = prepare(sql).get(bindable(bound));
      if (row === undefined || row.id === undefined) {
        throw new Error(`a linked statement returned no id: ${sql}`);
      }
      ids.push(row.id);
    }
    database.exec('commit');
    return ids;
  } catch (error) {
    if (database.inTransaction) database.exec('rollback');
    throw error;
  }
}

function handle(request) {
  const { id } = request;
  try {
    if (request.close === true) {
      clearInterval(checkpointTimer);
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
    if (request.batch !== undefined) {
      runBatch(request.batch);
      port.postMessage({ id });
      return;
    }
    if (request.linked !== undefined) {
      port.postMessage({ id, ids: runLinked(request.linked) });
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
}
