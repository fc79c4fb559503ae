// The writer thread of position batches on PostgreSQL (see postgres-writer-thread.ts). It seals
// each row (writer-sealing.mjs), encodes the batch in COPY's binary format and sends it with
// `COPY ... FROM STDIN`, on a connection of its own (or more: `connections`), so that neither
// the sealing nor the encoding of thousands of values a second runs on the server's main
// thread, which also answers every watch. Plain JavaScript: a worker thread does not inherit
// the TypeScript loader of the server.
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

function quoted(name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
}

const { url, schema, connections } = workerData;
const port = parentPort;
if (port === null) throw new Error('postgres-writer.worker.mjs runs as a worker thread only');

/**
 * The thread's connections, opened when first needed and again after one is lost. Copies are
 * given to them in turn, and each connection sends its next copy as soon as the database has
 * answered the one before (pg's own queue), without waiting for this thread's event loop.
 */
const links = new Array(connections).fill(undefined);
let turn = 0;

function open(index) {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'kinwatch position writer',
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  const link = { client, ready: undefined, drop: undefined };
  link.drop = () => {
    if (links[index] === link) links[index] = undefined;
  };
  // A connection lost while idle is opened again for the next copy; the copies it held fail.
  client.on('error', link.drop);
  client.on('end', link.drop);
  link.ready = client.connect().then(
    () => client,
    (error) => {
      link.drop();
      throw error;
    },
  );
  links[index] = link;
  return link;
}

/** The next connection in turn, opening it if needed. */
function nextLink() {
  const index = turn;
  turn = (turn + 1) % connections;
  return links[index] ?? open(index);
}

async function copyRows({ table, columns, types }, rows) {
  const data = encodeCopy(types, rows);
  const text = `copy ${quoted(table)} (${columns.map(quoted).join(', ')}) from stdin (format binary)`;
  const link = nextLink();
  const client = await link.ready;
  const copy = new CopyFromStdin(text, data);
  client.query(copy);
  try {
    await copy.done;
  } catch (error) {
    // A failure without PostgreSQL's code is the connection's own: it is not used again.
    if (error.code === undefined) {
      link.drop();
      void client.end().catch(() => undefined);
    }
    throw error;
  }
}

async function closeLinks() {
  const opened = links.filter((link) => link !== undefined);
  links.fill(undefined);
  await Promise.allSettled(opened.map((link) => link.client.end()));
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
        await closeLinks();
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
  await nextLink().ready;
  port.postMessage({ ready: true });
} catch (error) {
  await closeLinks();
  port.postMessage({ ready: false, error: describe(error) });
  port.close();
}
