/**
 * Escaping of binary payloads (voice, photos). Five byte values that would clash with the
 * framing travel as 0x7D followed by a code: } -> 7D 01, [ -> 7D 02, ] -> 7D 03, , -> 7D 04,
 * * -> 7D 05. Text payloads are never escaped.
 */

const ESCAPE = 0x7d;
const RAW_BY_CODE = [0, 0x7d, 0x5b, 0x5d, 0x2c, 0x2a] as const;
const CODE_BY_RAW = new Map<number, number>([
  [0x7d, 1],
  [0x5b, 2],
  [0x5d, 3],
  [0x2c, 4],
  [0x2a, 5],
]);

export type UnescapeResult =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly reason: string; readonly offset: number };

/** The number of bytes `escapeBinary(payload)` produces, without producing them. */
export function escapedLength(payload: Uint8Array): number {
  let length = payload.length;
  for (const byte of payload) if (CODE_BY_RAW.has(byte)) length += 1;
  return length;
}

/** Escapes a binary payload for the wire. Returns a new buffer; the input is not changed. */
export function escapeBinary(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(escapedLength(payload));
  let at = 0;
  for (const byte of payload) {
    const code = CODE_BY_RAW.get(byte);
    if (code === undefined) {
      out[at++] = byte;
    } else {
      out[at++] = ESCAPE;
      out[at++] = code;
    }
  }
  return out;
}

/**
 * Reverses `escapeBinary`. A 0x7D followed by anything but 01..05, or a 0x7D as the last byte,
 * makes the payload invalid: the result says where, and nothing is thrown.
 */
export function unescapeBinary(wire: Uint8Array): UnescapeResult {
  const first = wire.indexOf(ESCAPE);
  if (first === -1)
    return { ok: true, bytes: Buffer.from(wire.buffer, wire.byteOffset, wire.length) };
  const out = Buffer.allocUnsafe(wire.length);
  Buffer.from(wire.buffer, wire.byteOffset, first).copy(out, 0);
  let at = first;
  for (let i = first; i < wire.length; i++) {
    const byte = wire[i] as number;
    if (byte !== ESCAPE) {
      out[at++] = byte;
      continue;
    }
    const code = wire[i + 1];
    if (code === undefined)
      return { ok: false, reason: 'escape byte 7d at end of payload', offset: i };
    const raw = code >= 1 && code <= 5 ? RAW_BY_CODE[code] : undefined;
    if (raw === undefined) {
      return {
        ok: false,
        reason: `invalid escape 7d${code.toString(16).padStart(2, '0')}`,
        offset: i,
      };
    }
    out[at++] = raw;
    i += 1;
  }
  return { ok: true, bytes: out.subarray(0, at) };
}
