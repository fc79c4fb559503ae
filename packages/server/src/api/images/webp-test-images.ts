/**
 * WebP containers for the avatar tests, assembled chunk by chunk. The bitstreams are real only
 * as far as their headers: the sanitizer reads headers and copies the rest.
 */
import { latin1, uint32LEBytes } from './avatar-test-bytes.ts';
import { concatBytes } from './byte-fields.ts';

export function riffChunk(fourCC: string, data: Uint8Array | string): Uint8Array {
  const body = typeof data === 'string' ? latin1(data) : data;
  const padding = body.length % 2 === 1 ? Uint8Array.of(0) : new Uint8Array(0);
  return concatBytes([latin1(fourCC), uint32LEBytes(body.length), body, padding]);
}

export function webpFile(chunks: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(chunks);
  return concatBytes([latin1('RIFF'), uint32LEBytes(body.length + 4), latin1('WEBP'), body]);
}

/** A VP8L bitstream header: signature 0x2F, 14-bit width-1 and height-1, alpha bit, version 0. */
export function vp8lBitstream(width: number, height: number): Uint8Array {
  const bits = ((width - 1) | ((height - 1) << 14) | (1 << 28)) >>> 0;
  return concatBytes([Uint8Array.of(0x2f), uint32LEBytes(bits), Uint8Array.of(0x00, 0x11, 0x22)]);
}

/** A VP8 key frame header: frame tag (key, shown, 3-byte partition), start code, sizes. */
export function vp8Bitstream(width: number, height: number): Uint8Array {
  const partitionSize = 3;
  const tag = (partitionSize << 5) | 0x10;
  return Uint8Array.of(
    tag & 0xff,
    (tag >> 8) & 0xff,
    (tag >> 16) & 0xff,
    0x9d,
    0x01,
    0x2a,
    width & 0xff,
    width >> 8,
    height & 0xff,
    height >> 8,
    0xaa,
    0xbb,
    0xcc,
  );
}

export function vp8xHeader(flags: number, width: number, height: number): Uint8Array {
  const w = width - 1;
  const h = height - 1;
  return riffChunk(
    'VP8X',
    Uint8Array.of(
      flags,
      0,
      0,
      0,
      w & 0xff,
      (w >> 8) & 0xff,
      w >> 16,
      h & 0xff,
      (h >> 8) & 0xff,
      h >> 16,
    ),
  );
}

/** The chunks of a RIFF/WEBP file, with the container size field. */
export function readWebpChunks(bytes: Uint8Array): {
  riffSize: number;
  chunks: { fourCC: string; data: Uint8Array }[];
} {
  const buffer = Buffer.from(bytes);
  const chunks: { fourCC: string; data: Uint8Array }[] = [];
  let offset = 12;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32LE(offset + 4);
    chunks.push({
      fourCC: buffer.toString('latin1', offset, offset + 4),
      data: Uint8Array.from(buffer.subarray(offset + 8, offset + 8 + size)),
    });
    offset += 8 + size + (size % 2);
  }
  return { riffSize: buffer.readUInt32LE(4), chunks };
}
