/** Byte helpers and marker strings shared by the avatar test images. */

/** Marker strings planted in metadata: the output must contain neither. */
export const GPS_TEXT = 'GPS 51.5,-0.1';
export const CAMERA_SERIAL = 'CAMERA-SERIAL-0042';

export const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

/** Whether `needle` occurs anywhere in `haystack`. */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array | string): boolean {
  const bytes = typeof needle === 'string' ? latin1(needle) : needle;
  return Buffer.from(haystack).includes(Buffer.from(bytes));
}

export function uint32BEBytes(value: number): Uint8Array {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return Uint8Array.from(out);
}

export function uint32LEBytes(value: number): Uint8Array {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return Uint8Array.from(out);
}
