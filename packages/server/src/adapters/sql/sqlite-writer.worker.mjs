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
import { createCipheriv, randomFillSync } from 'node:crypto';
import { clearInterval, setInterval } from 'node:timers';
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

// Sealing. Position batches arrive with their plaintext, and each row's value is sealed here
// rather than on the main thread, under its watch's data key, in the format of aes-gcm.ts
// (version 1): a version byte, a 12-byte random nonce, the AES-256-GCM ciphertext, the 16-byte
// tag; the version byte and the watch id are the additional data (the `aad` sent with the key).
// The test sqlite-writer-sealing.slow.test.ts opens what this seals with aes-gcm.ts.
//
//   seal: { keys: [{ watchId, key: KeyObject, aad }], plaintext: Uint8Array, valueBytes,
//           paramsPerRow, watchParam, sealedParam }
//
// `keys` are the ones this thread did not hold yet; the main thread keeps track of which it
// holds (sqlite-writer-keys.ts) and sends `forgetKeys` when one must go.
const SEAL_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const GCM_OPTIONS = { authTagLength: TAG_BYTES };

/** Data keys by watch id: { key, aad }. */
const sealingKeys = new Map();

// Nonces are drawn from a pool filled in bulk, each wiped from the pool once taken.
const nonceStock = Buffer.alloc(NONCE_BYTES * 1024);
let nonceOffset = nonceStock.length;

function sealValue({ key, aad }, plaintext) {
  const sealed = Buffer.allocUnsafe(1 + NONCE_BYTES + plaintext.length + TAG_BYTES);
  sealed[0] = SEAL_VERSION;
  if (nonceOffset === nonceStock.length) {
    randomFillSync(nonceStock);
    nonceOffset = 0;
  }
  nonceStock.copy(sealed, 1, nonceOffset, nonceOffset + NONCE_BYTES);
  nonceStock.fill(0, nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  const cipher = createCipheriv(
    'aes-256-gcm',
    key,
    sealed.subarray(1, 1 + NONCE_BYTES),
    GCM_OPTIONS,
  );
  cipher.setAAD(aad);
  let offset = 1 + NONCE_BYTES;
  offset += cipher.update(plaintext).copy(sealed, offset);
  offset += cipher.final().copy(sealed, offset);
  cipher.getAuthTag().copy(sealed, offset);
  return sealed;
}

/** Puts each row's sealed value in its place; the plaintext is wiped whatever happens. */
function sealRows(batch, seal) {
  for (const { watchId, key, aad } of seal.keys) {
    sealingKeys.set(watchId, { key, aad: Buffer.from(aad.buffer, aad.byteOffset, aad.byteLength) });
  }
  const { valueBytes, paramsPerRow, watchParam, sealedParam } = seal;
  const plaintext = Buffer.from(
    seal.plaintext.buffer,
    seal.plaintext.byteOffset,
    seal.plaintext.byteLength,
  );
  try {
    let row = 0;
    for (const { params } of batch) {
      for (let at = 0; at < params.length; at += paramsPerRow, row++) {
        const watchId = params[at + watchParam];
        const key = sealingKeys.get(watchId);
        if (key === undefined)
          throw new Error(`the writer thread holds no data key for watch ${watchId}`);
        const start = row * valueBytes;
        if (start + valueBytes > plaintext.length)
          throw new Error('fewer plaintext values than rows');
        params[at + sealedParam] = sealValue(key, plaintext.subarray(start, start + valueBytes));
      }
    }
    if (row * valueBytes !== plaintext.length) throw new Error('more plaintext values than rows');
  } finally {
    plaintext.fill(0);
  }
}

function describe(error) {
  return {
    name: error?.name ?? 'Error',
    message: error?.message ?? String(error),
    code: error?.code,
  };
}

port.on('message', (request) => {
  const { id } = request;
  try {
    if (request.close === true) {
      clearInterval(checkpointTimer);
      sealingKeys.clear();
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
      for (const watchId of request.forgetKeys) sealingKeys.delete(watchId);
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
