// COPY ... FROM STDIN in PostgreSQL's binary format, for pg: the encoding of rows, and the
// command as a pg submittable. Used by the PostgreSQL writer thread (postgres-writer.worker.mjs);
// plain JavaScript, as a worker thread does not inherit the TypeScript loader of the server.
import { Buffer } from 'node:buffer';

/** COPY's binary header: signature, flags, header extension length. */
const HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
const TWO_TO_32 = 2 ** 32;

/** Bytes of one value in COPY's binary format, without its length word; -1 for null. */
function valueBytes(type, value) {
  if (value === null || value === undefined) return -1;
  if (type === 'int8') return 8;
  if (type === 'int4') return 4;
  if (type === 'text') return Buffer.byteLength(value);
  return value.byteLength;
}

/** The rows in COPY's binary format: header, one tuple per row, trailer. */
export function encodeCopy(types, rows) {
  const columns = types.length;
  if (rows.length % columns !== 0) throw new Error('the rows do not fill whole tuples');
  let size = HEADER.length + 2;
  for (let at = 0; at < rows.length; at += columns) {
    size += 2;
    for (let column = 0; column < columns; column++) {
      size += 4 + Math.max(0, valueBytes(types[column], rows[at + column]));
    }
  }
  const data = Buffer.allocUnsafe(size);
  let offset = HEADER.copy(data, 0);
  for (let at = 0; at < rows.length; at += columns) {
    offset = data.writeInt16BE(columns, offset);
    for (let column = 0; column < columns; column++) {
      const type = types[column];
      const value = rows[at + column];
      const bytes = valueBytes(type, value);
      offset = data.writeInt32BE(bytes, offset);
      if (bytes < 0) continue;
      if (type === 'int8') {
        if (!Number.isSafeInteger(value)) throw new RangeError(`not a 64-bit integer: ${value}`);
        const high = Math.floor(value / TWO_TO_32);
        offset = data.writeInt32BE(high, offset);
        offset = data.writeUInt32BE(value - high * TWO_TO_32, offset);
      } else if (type === 'int4') {
        offset = data.writeInt32BE(value, offset);
      } else if (type === 'text') {
        offset += data.write(value, offset);
      } else {
        data.set(value, offset);
        offset += bytes;
      }
    }
  }
  offset = data.writeInt16BE(-1, offset);
  if (offset !== size) throw new Error('COPY data of an unexpected size');
  return data;
}

/**
 * `COPY ... FROM STDIN` as a pg submittable: sends the command and `data` together, and settles
 * on the server's answer. The data does not wait for the server's copy-in response, which saves
 * a round trip per batch, and on a busy thread the wait for its event loop to read that
 * response. This is safe by the protocol: if the command fails before the copy starts, or
 * during it, the server answers with the error and drops the copy messages that follow.
 */
export class CopyFromStdin {
  #text;
  #data;
  #settle;
  done;

  constructor(text, data) {
    this.#text = text;
    this.#data = data;
    this.done = new Promise((resolve, reject) => {
      this.#settle = (error) => (error === undefined ? resolve() : reject(error));
    });
  }

  submit(connection) {
    connection.query(this.#text);
    connection.sendCopyFromChunk(this.#data);
    connection.endCopyFrom();
  }

  handleCopyInResponse() {}

  handleError(error) {
    this.#settle(error);
  }

  handleReadyForQuery() {
    this.#settle(undefined);
  }

  handleCommandComplete() {}
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
}
