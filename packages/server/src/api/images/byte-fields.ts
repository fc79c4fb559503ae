/**
 * Bounds-checked reads of fixed-size fields. An out-of-range read means the file ends inside a
 * header, so it is refused as corrupt instead of reading `undefined` or throwing a RangeError.
 */
import { corruptImage } from './image-rejected-error.ts';

function ensureAvailable(bytes: Uint8Array, offset: number, length: number): void {
  if (offset < 0 || offset + length > bytes.length) throw corruptImage('the file ends too early');
}

export function uint8(bytes: Uint8Array, offset: number): number {
  ensureAvailable(bytes, offset, 1);
  return bytes[offset] ?? 0;
}

export function uint16BE(bytes: Uint8Array, offset: number): number {
  return uint8(bytes, offset) * 0x100 + uint8(bytes, offset + 1);
}

export function uint32BE(bytes: Uint8Array, offset: number): number {
  return uint16BE(bytes, offset) * 0x10000 + uint16BE(bytes, offset + 2);
}

export function uint16LE(bytes: Uint8Array, offset: number): number {
  return uint8(bytes, offset) + uint8(bytes, offset + 1) * 0x100;
}

export function uint24LE(bytes: Uint8Array, offset: number): number {
  return uint16LE(bytes, offset) + uint8(bytes, offset + 2) * 0x10000;
}

export function uint32LE(bytes: Uint8Array, offset: number): number {
  return uint16LE(bytes, offset) + uint16LE(bytes, offset + 2) * 0x10000;
}

/** `length` bytes read as Latin-1 text: chunk names, signatures. */
export function ascii(bytes: Uint8Array, offset: number, length: number): string {
  ensureAvailable(bytes, offset, length);
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/** Whether `bytes` holds exactly `prefix` at `offset` (false, not a throw, when too short). */
export function startsWithBytes(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (offset + prefix.length > bytes.length) return false;
  return prefix.every((value, index) => bytes[offset + index] === value);
}

/** Joins parts into one new array (the output never aliases the caller's upload). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
