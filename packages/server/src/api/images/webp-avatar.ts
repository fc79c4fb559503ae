/**
 * WebP avatars (RFC 9649). Simple lossy (VP8) and lossless (VP8L) files keep their one image
 * chunk; extended files (VP8X) keep the header with the ICC, EXIF and XMP flags cleared, the
 * alpha chunk and the image chunk. The RIFF size is rewritten for what remains.
 */
import { checkDimensions, type AvatarLimits } from './avatar-limits.ts';
import {
  ascii,
  concatBytes,
  startsWithBytes,
  uint16LE,
  uint24LE,
  uint32LE,
  uint8,
} from './byte-fields.ts';
import { animatedImage, corruptImage } from './image-rejected-error.ts';

const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];
const VP8_START_CODE = [0x9d, 0x01, 0x2a];
const VP8L_SIGNATURE = 0x2f;

/**
 * VP8X flag bits (RFC 9649 section 2.7): ICC profile 0x20, alpha 0x10, EXIF 0x08, XMP 0x04,
 * animation 0x02; the others are reserved.
 */
const ALPHA_FLAG = 0x10;
const ANIMATION_FLAG = 0x02;

interface RiffChunk {
  readonly fourCC: string;
  readonly data: Uint8Array;
}

interface Dimensions {
  readonly width: number;
  readonly height: number;
}

export interface SanitizedWebp extends Dimensions {
  readonly bytes: Uint8Array;
}

/** Whether the bytes open a RIFF container of form type WEBP. */
export function isWebp(bytes: Uint8Array): boolean {
  return startsWithBytes(bytes, RIFF) && startsWithBytes(bytes, WEBP, 8);
}

/** Rebuilds a WebP file from its image chunk (and, for VP8X, its header and alpha chunk). */
export function sanitizeWebp(bytes: Uint8Array, limits: AvatarLimits): SanitizedWebp {
  const riffSize = uint32LE(bytes, 4);
  if (riffSize < 4 || 8 + riffSize > bytes.length) {
    throw corruptImage('the WebP container size does not match the file');
  }
  const chunks = readChunks(bytes, 12, 8 + riffSize);
  const [first, ...rest] = chunks;
  if (first === undefined) throw corruptImage('the WebP file holds no image');
  if (first.fourCC === 'VP8X') return sanitizeExtended(first, rest, limits);
  // A simple file is its image chunk alone; anything a writer put after it is dropped.
  const dimensions = imageDimensions(first);
  checkDimensions(dimensions.width, dimensions.height, limits);
  return { ...dimensions, bytes: writeRiff([first]) };
}

function readChunks(bytes: Uint8Array, start: number, end: number): RiffChunk[] {
  const chunks: RiffChunk[] = [];
  let offset = start;
  while (offset < end) {
    if (offset + 8 > end) throw corruptImage('a WebP chunk header is cut off');
    const fourCC = ascii(bytes, offset, 4);
    const size = uint32LE(bytes, offset + 4);
    const dataEnd = offset + 8 + size;
    // Chunks are padded to an even size; the padding byte belongs to the container too.
    const paddedEnd = dataEnd + (size % 2);
    if (paddedEnd > end) throw corruptImage(`the WebP chunk "${fourCC}" runs past the end`);
    chunks.push({ fourCC, data: bytes.subarray(offset + 8, dataEnd) });
    offset = paddedEnd;
  }
  return chunks;
}

function sanitizeExtended(
  header: RiffChunk,
  chunks: readonly RiffChunk[],
  limits: AvatarLimits,
): SanitizedWebp {
  if (header.data.length !== 10) throw corruptImage('the WebP extended header has the wrong size');
  const flags = uint8(header.data, 0);
  if (flags & ANIMATION_FLAG) throw animatedImage();
  const width = uint24LE(header.data, 4) + 1;
  const height = uint24LE(header.data, 7) + 1;
  checkDimensions(width, height, limits);
  let alpha: RiffChunk | undefined;
  let image: RiffChunk | undefined;
  for (const chunk of chunks) {
    if (chunk.fourCC === 'ANIM' || chunk.fourCC === 'ANMF') throw animatedImage();
    if (chunk.fourCC === 'ALPH' && alpha === undefined && image === undefined) alpha = chunk;
    if (chunk.fourCC === 'VP8 ' || chunk.fourCC === 'VP8L') {
      if (image !== undefined) throw corruptImage('the WebP file holds more than one image');
      image = chunk;
    }
  }
  if (image === undefined) throw corruptImage('the WebP file holds no image');
  const bitstream = imageDimensions(image);
  if (bitstream.width !== width || bitstream.height !== height) {
    throw corruptImage('the WebP image size differs from its canvas size');
  }
  // Only the alpha flag survives: the ICC, EXIF and XMP chunks are not copied, animation was
  // refused, and reserved bits must be zero.
  const newHeader = Uint8Array.of(flags & ALPHA_FLAG, 0, 0, 0, ...header.data.subarray(4, 10));
  // A lossless bitstream carries its own alpha; an ALPH chunk beside it is ignored by decoders.
  const kept = alpha !== undefined && image.fourCC === 'VP8 ' ? [alpha, image] : [image];
  return { width, height, bytes: writeRiff([{ fourCC: 'VP8X', data: newHeader }, ...kept]) };
}

function imageDimensions(chunk: RiffChunk): Dimensions {
  if (chunk.fourCC === 'VP8 ') return vp8Dimensions(chunk.data);
  if (chunk.fourCC === 'VP8L') return vp8lDimensions(chunk.data);
  throw corruptImage(`the WebP file starts with an unknown chunk "${chunk.fourCC}"`);
}

/** From the key frame header (RFC 6386 section 9.1): frame tag, start code, 14-bit sizes. */
function vp8Dimensions(data: Uint8Array): Dimensions {
  const tag = uint24LE(data, 0);
  if ((tag & 1) !== 0) throw corruptImage('the WebP lossy image does not start with a key frame');
  if (!startsWithBytes(data, VP8_START_CODE, 3)) {
    throw corruptImage('the WebP lossy image has no start code');
  }
  const firstPartitionSize = tag >>> 5;
  if (firstPartitionSize > data.length - 10) {
    throw corruptImage('the WebP lossy image is cut off');
  }
  return { width: uint16LE(data, 6) & 0x3fff, height: uint16LE(data, 8) & 0x3fff };
}

/** From the lossless header (RFC 9649 section 3.2.2): signature, 14-bit sizes minus one. */
function vp8lDimensions(data: Uint8Array): Dimensions {
  if (uint8(data, 0) !== VP8L_SIGNATURE) throw corruptImage('the WebP lossless signature is wrong');
  const bits = uint32LE(data, 1);
  if (bits >>> 29 !== 0) throw corruptImage('the WebP lossless version is unknown');
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

function writeRiff(chunks: readonly RiffChunk[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const chunk of chunks) {
    const header = new Uint8Array(8);
    header.set(Array.from(chunk.fourCC, (c) => c.charCodeAt(0)));
    writeUint32LE(header, 4, chunk.data.length);
    parts.push(header, chunk.data);
    if (chunk.data.length % 2 === 1) parts.push(new Uint8Array(1));
  }
  const body = concatBytes(parts);
  const fileHeader = new Uint8Array(12);
  fileHeader.set(RIFF);
  writeUint32LE(fileHeader, 4, 4 + body.length);
  fileHeader.set(WEBP, 8);
  return concatBytes([fileHeader, body]);
}

function writeUint32LE(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value & 0xff;
  target[offset + 1] = (value >>> 8) & 0xff;
  target[offset + 2] = (value >>> 16) & 0xff;
  target[offset + 3] = (value >>> 24) & 0xff;
}
