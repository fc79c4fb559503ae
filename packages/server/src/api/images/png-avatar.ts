/**
 * PNG avatars (ISO/IEC 15948, W3C PNG 3rd edition). The chunks are walked and their CRCs
 * checked; only the chunks needed to draw the picture are copied out, so text, EXIF, time
 * stamps, ICC profiles and private chunks never reach storage.
 */
import { checkDimensions, type AvatarLimits } from './avatar-limits.ts';
import { ascii, concatBytes, uint32BE, uint8 } from './byte-fields.ts';
import { crc32 } from './crc32.ts';
import { animatedImage, corruptImage } from './image-rejected-error.ts';

export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Chunks that change how the pixels look. Everything else is metadata (tEXt, zTXt, iTXt, eXIf,
 * tIME, pHYs...) or a colour profile (iCCP, which can carry free text) and is dropped.
 */
const KEPT_ANCILLARY = new Set(['tRNS', 'gAMA', 'cHRM', 'sRGB']);

/** APNG's chunks: their presence makes the file an animation in browsers. */
const ANIMATION_CHUNKS = new Set(['acTL', 'fcTL', 'fdAT']);

/** Bit depths allowed for each colour type (table 11.1 of the specification). */
const BIT_DEPTHS: ReadonlyMap<number, readonly number[]> = new Map([
  [0, [1, 2, 4, 8, 16]],
  [2, [8, 16]],
  [3, [1, 2, 4, 8]],
  [4, [8, 16]],
  [6, [8, 16]],
]);

/** The largest chunk or dimension value the specification allows (2^31 - 1). */
const MAX_PNG_UINT = 0x7fffffff;

interface Chunk {
  readonly type: string;
  readonly data: Uint8Array;
  /** The whole chunk as stored: length, type, data, CRC. */
  readonly raw: Uint8Array;
}

interface PngState {
  width: number;
  height: number;
  colourType: number;
  hasPalette: boolean;
  idatState: 'before' | 'inside' | 'after';
}

export interface SanitizedPng {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Rebuilds a PNG from its signature, IHDR, palette and colour chunks, IDATs and IEND. */
export function sanitizePng(bytes: Uint8Array, limits: AvatarLimits): SanitizedPng {
  const kept: Uint8Array[] = [Uint8Array.from(PNG_SIGNATURE)];
  const state: PngState = {
    width: 0,
    height: 0,
    colourType: 0,
    hasPalette: false,
    idatState: 'before',
  };
  let offset = PNG_SIGNATURE.length;
  for (let index = 0; ; index++) {
    const chunk = readChunk(bytes, offset);
    offset += chunk.raw.length;
    if (index === 0 && chunk.type !== 'IHDR')
      throw corruptImage('the PNG does not start with IHDR');
    if (isKept(chunk, index, state, limits)) kept.push(chunk.raw);
    if (chunk.type === 'IEND') break;
  }
  if (state.idatState === 'before') throw corruptImage('the PNG has no image data');
  return { bytes: concatBytes(kept), width: state.width, height: state.height };
}

function readChunk(bytes: Uint8Array, offset: number): Chunk {
  const length = uint32BE(bytes, offset);
  if (length > MAX_PNG_UINT || offset + 12 + length > bytes.length) {
    throw corruptImage('a PNG chunk runs past the end of the file');
  }
  const type = ascii(bytes, offset + 4, 4);
  if (!/^[A-Za-z]{4}$/.test(type)) throw corruptImage('a PNG chunk has an invalid name');
  const typeAndData = bytes.subarray(offset + 4, offset + 8 + length);
  if (crc32(typeAndData) !== uint32BE(bytes, offset + 8 + length)) {
    throw corruptImage(`the PNG chunk ${type} fails its CRC check`);
  }
  return {
    type,
    data: bytes.subarray(offset + 8, offset + 8 + length),
    raw: bytes.subarray(offset, offset + 12 + length),
  };
}

/** Checks a chunk against the ordering rules and says whether it goes to the output. */
function isKept(chunk: Chunk, index: number, state: PngState, limits: AvatarLimits): boolean {
  const { type } = chunk;
  if (ANIMATION_CHUNKS.has(type)) throw animatedImage();
  if (state.idatState === 'inside' && type !== 'IDAT') state.idatState = 'after';
  switch (type) {
    case 'IHDR':
      if (index !== 0) throw corruptImage('the PNG has a second IHDR chunk');
      readHeader(chunk.data, state, limits);
      return true;
    case 'PLTE':
      checkPalette(chunk.data, state);
      state.hasPalette = true;
      return true;
    case 'IDAT':
      if (state.idatState === 'after') throw corruptImage('the PNG image data is split');
      if (state.colourType === 3 && !state.hasPalette) {
        throw corruptImage('the PNG uses a palette it does not contain');
      }
      state.idatState = 'inside';
      return true;
    case 'IEND':
      if (chunk.data.length !== 0) throw corruptImage('the PNG end chunk is not empty');
      return true;
    default:
      return KEPT_ANCILLARY.has(type) && state.idatState === 'before';
  }
}

function readHeader(data: Uint8Array, state: PngState, limits: AvatarLimits): void {
  if (data.length !== 13) throw corruptImage('the PNG header has the wrong length');
  const width = uint32BE(data, 0);
  const height = uint32BE(data, 4);
  if (width > MAX_PNG_UINT || height > MAX_PNG_UINT) {
    throw corruptImage('the PNG header declares an impossible size');
  }
  checkDimensions(width, height, limits);
  const bitDepth = uint8(data, 8);
  const colourType = uint8(data, 9);
  if (!(BIT_DEPTHS.get(colourType) ?? []).includes(bitDepth)) {
    throw corruptImage('the PNG header has an invalid colour type or bit depth');
  }
  const [compression, filter, interlace] = [uint8(data, 10), uint8(data, 11), uint8(data, 12)];
  if (compression !== 0 || filter !== 0 || interlace > 1) {
    throw corruptImage('the PNG header names an unknown compression, filter or interlace method');
  }
  state.width = width;
  state.height = height;
  state.colourType = colourType;
}

function checkPalette(data: Uint8Array, state: PngState): void {
  if (state.hasPalette || state.idatState !== 'before') {
    throw corruptImage('the PNG palette is repeated or comes after the image data');
  }
  if (state.colourType === 0 || state.colourType === 4) {
    throw corruptImage('a greyscale PNG has a palette');
  }
  if (data.length === 0 || data.length > 256 * 3 || data.length % 3 !== 0) {
    throw corruptImage('the PNG palette has an invalid length');
  }
}
