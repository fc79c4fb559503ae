// The writer thread of position batches on PostgreSQL (see postgres-writer-thread.ts). It seals
// each row (writer-sealing.mjs), encodes the batch in COPY's binary format and sends it with
// `COPY ... FROM STDIN`, on a connection of its own (or more: `connections`), so that neither the sealing nor the encoding
// of thousands of values a second runs on the server's main thread, which also answers every
// watch. Plain JavaScript: a worker thread does not inherit the TypeScript loader of the server.
//
// Requests:
//   { id, copy: { table, columns, types }, rows, seal }   seals, then copies the rows: { id }
//       rows: the values of every row one after the other, `columns.length` each, in column
//       order; types: 'text' | 'int8' | 'int4' | 'bytea' per column.
//   { id, forgetKeys: [watchId, ...] }  drops those data keys: { id }
//   { id, close: true }   waits for the copies under way, closes the connections: { id }
// A failed request is answered { id, error: { name, message, code } }. Sealing happens as a
// request arrives, so key messages and batches take effect in the order they were sent; up to
// `connections` copies run at once, and may commit in another order.
import { Buffer } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { CopyFromStdin, encodeCopy } from './postgres-copy.mjs';
import { describe, forgetAllKeys, forgetKeys, sealRows } from './writer-sealing.mjs';

const { url, schema, connections } = workerData;
const port = parentPort;
if (port === null) throw new Error('postgres-writer.worker.mjs runs as a worker thread only');

const pool = new pg.Pool({
  connectionString: url,
  max: connections,
  ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
});
// A connection lost while idle is replaced at the next copy; that copy reports any failure.
pool.on('error', () => undefined);

function quoted(name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
}

async function copyRows({ table, columns, types }, rows) {
  const data = encodeCopy(types, rows);
  const text = `copy ${quoted(table)} (${columns.map(quoted).join(', ')}) from stdin (format binary)`;
  const client = await pool.connect();
  let failure;
  try {
    const copy = new CopyFromStdin(text, data);
    client.query(copy);
    await copy.done;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // A connection that failed mid-copy may be unusable: it is closed rather than reused.
    client.release(failure !== undefined && failure.code === undefined ? failure : undefined);
  }
}

/** Copies under way, waited for by `close`. */
const running = new Set();

function answer(id, work) {
  const task = work.then(
    () => port.postMessage({ id }),
    (error) => port.postMessage({ id, error: describe(error) }),
  );
  running.add(task);
  void task.finally(() => running.delete(task));
}

port.on('message', (request) => {
  const { id } = request;
  try {
    if (request.close === true) {
      forgetAllKeys();
      void Promise.allSettled([...running]).then(async () => {
        await pool.end().catch(() => undefined);
        port.postMessage({ id });
        port.close();
      });
      return;
    }
    if (request.forgetKeys !== undefined) {
      forgetKeys(request.forgetKeys);
      port.postMessage({ id });
      return;
    }
    if (request.copy !== undefined) {
      const rows = request.rows;
      if (request.seal !== undefined) sealRows([{ params: rows }], request.seal);
      for (let i = 0; i < rows.length; i++) {
        const value = rows[i];
        if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
          rows[i] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        }
      }
      answer(id, copyRows(request.copy, rows));
      return;
    }
    throw new Error('unknown request');
  } catch (error) {
    port.postMessage({ id, error: describe(error) });
  }
});

try {
  await pool.query('select 1');
  port.postMessage({ ready: true });
} catch (error) {
  await pool.end().catch(() => undefined);
  port.postMessage({ ready: false, error: describe(error) });
  port.close();
}
