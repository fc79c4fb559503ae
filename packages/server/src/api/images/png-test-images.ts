/** Small real PNGs for the avatar tests, deflated with node:zlib, and a reader for the output. */
import { deflateSync } from 'node:zlib';
import { CAMERA_SERIAL, GPS_TEXT, latin1, uint32BEBytes } from './avatar-test-bytes.ts';
import { concatBytes } from './byte-fields.ts';
import { crc32 } from './crc32.ts';

export const PNG_SIGNATURE_BYTES = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export function pngChunk(type: string, data: Uint8Array | string = new Uint8Array(0)): Uint8Array {
  const body = concatBytes([latin1(type), typeof data === 'string' ? latin1(data) : data]);
  return concatBytes([uint32BEBytes(body.length - 4), body, uint32BEBytes(crc32(body))]);
}

export function ihdr(width: number, height: number, bitDepth = 8, colourType = 2): Uint8Array {
  const data = concatBytes([
    uint32BEBytes(width),
    uint32BEBytes(height),
    Uint8Array.of(bitDepth, colourType, 0, 0, 0),
  ]);
  return pngChunk('IHDR', data);
}

/** The scanlines as the IDAT stream holds them before deflate: filter byte 0, then the row. */
export function rawScanlines(rows: readonly (readonly number[])[]): Uint8Array {
  return Uint8Array.from(rows.flatMap((row) => [0, ...row]));
}

export function pngFile(chunks: readonly Uint8Array[]): Uint8Array {
  return concatBytes([PNG_SIGNATURE_BYTES, ...chunks]);
}

/** 2×2 RGB: red, green / blue, white. */
export const RGB_2X2_ROWS = [
  [255, 0, 0, 0, 255, 0],
  [0, 0, 255, 255, 255, 255],
];

/** The 2×2 image with a tEXt comment holding a position and an eXIf chunk with a serial. */
export function pngWithMetadata(): Uint8Array {
  const exif = concatBytes([latin1('MM\0*\0\0\0\x08'), latin1(CAMERA_SERIAL)]);
  return pngFile([
    ihdr(2, 2),
    pngChunk('tEXt', `Comment\0${GPS_TEXT}`),
    pngChunk('eXIf', exif),
    pngChunk('IDAT', deflateSync(rawScanlines(RGB_2X2_ROWS))),
    pngChunk('IEND'),
  ]);
}

export interface ParsedPngChunk {
  readonly type: string;
  readonly data: Uint8Array;
  readonly isCrcValid: boolean;
}

/** An independent reader of the output: every chunk with its CRC checked. */
export function readPngChunks(bytes: Uint8Array): ParsedPngChunk[] {
  const buffer = Buffer.from(bytes);
  if (!buffer.subarray(0, 8).equals(Buffer.from(PNG_SIGNATURE_BYTES))) {
    throw new Error('not a PNG signature');
  }
  const chunks: ParsedPngChunk[] = [];
  let offset = 8;
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const body = buffer.subarray(offset + 4, offset + 8 + length);
    const crc = buffer.readUInt32BE(offset + 8 + length);
    chunks.push({
      type: body.subarray(0, 4).toString('latin1'),
      data: Uint8Array.from(body.subarray(4)),
      isCrcValid: crc32(body) === crc,
    });
    offset += 12 + length;
  }
  return chunks;
}
