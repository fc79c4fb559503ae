/**
 * JPEG avatars (ITU-T T.81, JFIF). The marker segments are walked from SOI and only what a
 * decoder needs is copied out: frame and scan headers, tables, and the entropy-coded data as it
 * was. APP1..APP13 and APP15 (EXIF with its GPS position and camera serial, XMP, ICC profiles,
 * Photoshop resources) and comments are dropped.
 */
import { checkDimensions, type AvatarLimits } from './avatar-limits.ts';
import { ascii, concatBytes, uint16BE, uint8 } from './byte-fields.ts';
import { corruptImage, ImageRejectedError } from './image-rejected-error.ts';

export const JPEG_SIGNATURE: readonly number[] = [0xff, 0xd8, 0xff];

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP14 = 0xee;
/** Baseline, extended sequential and progressive Huffman frames: what browsers draw. */
const SUPPORTED_FRAMES = new Set([0xc0, 0xc1, 0xc2]);
/** The other SOFn markers (lossless, hierarchical, arithmetic coding). */
const OTHER_FRAMES = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/** Tables and restart interval: DHT, DQT, DRI. */
const KEPT_TABLES = new Set([0xc4, 0xdb, 0xdd]);
const isRestart = (marker: number): boolean => marker >= 0xd0 && marker <= 0xd7;

interface JpegState {
  width: number;
  height: number;
  scanCount: number;
}

export interface SanitizedJpeg {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Rebuilds a JPEG from SOI, JFIF/Adobe headers, tables, frame, scans and EOI. */
export function sanitizeJpeg(bytes: Uint8Array, limits: AvatarLimits): SanitizedJpeg {
  const kept: Uint8Array[] = [Uint8Array.of(0xff, SOI)];
  const state: JpegState = { width: 0, height: 0, scanCount: 0 };
  let offset = 2;
  while (true) {
    const { marker, markerEnd } = readMarker(bytes, offset);
    if (marker === EOI) {
      if (state.scanCount === 0) throw corruptImage('the JPEG ends before any image data');
      kept.push(Uint8Array.of(0xff, EOI));
      return { bytes: concatBytes(kept), width: state.width, height: state.height };
    }
    if (marker === 0x00 || marker === SOI || isRestart(marker) || marker === 0x01) {
      throw corruptImage('the JPEG has a marker out of place');
    }
    const length = uint16BE(bytes, markerEnd);
    const segmentEnd = markerEnd + length;
    if (length < 2 || segmentEnd > bytes.length) {
      throw corruptImage('a JPEG segment runs past the end of the file');
    }
    const segment = bytes.subarray(offset, segmentEnd);
    const payload = bytes.subarray(markerEnd + 2, segmentEnd);
    const output = keptSegment(marker, segment, payload, state, limits);
    if (output !== undefined) kept.push(output);
    offset = segmentEnd;
    if (marker === SOS) {
      const scanEnd = findScanEnd(bytes, offset);
      kept.push(bytes.subarray(offset, scanEnd));
      offset = scanEnd;
    }
  }
}

/** The marker at `offset`, after any 0xFF fill bytes (T.81 B.1.1.2). */
function readMarker(bytes: Uint8Array, offset: number): { marker: number; markerEnd: number } {
  if (uint8(bytes, offset) !== 0xff) throw corruptImage('the JPEG has data between segments');
  let position = offset + 1;
  while (uint8(bytes, position) === 0xff) position++;
  return { marker: uint8(bytes, position), markerEnd: position + 1 };
}

/** What of a segment goes to the output, or undefined to drop it. */
function keptSegment(
  marker: number,
  segment: Uint8Array,
  payload: Uint8Array,
  state: JpegState,
  limits: AvatarLimits,
): Uint8Array | undefined {
  if (SUPPORTED_FRAMES.has(marker)) {
    readFrameHeader(payload, state, limits);
    return segment;
  }
  if (OTHER_FRAMES.has(marker)) {
    throw new ImageRejectedError(
      'unsupportedType',
      'This kind of JPEG (lossless, hierarchical or arithmetic-coded) is not supported.',
    );
  }
  if (KEPT_TABLES.has(marker)) return segment;
  if (marker === SOS) {
    checkScanHeader(payload, state);
    return segment;
  }
  if (marker === APP0) return jfifWithoutThumbnail(payload);
  if (marker === APP14) return adobeHeader(payload);
  if (marker === 0xdc) throw corruptImage('the JPEG declares its height after the first scan');
  return undefined;
}

function readFrameHeader(payload: Uint8Array, state: JpegState, limits: AvatarLimits): void {
  if (state.width !== 0) throw corruptImage('the JPEG has more than one frame');
  const height = uint16BE(payload, 1);
  const width = uint16BE(payload, 3);
  const components = uint8(payload, 5);
  if (payload.length !== 6 + 3 * components || ![1, 3, 4].includes(components)) {
    throw corruptImage('the JPEG frame header is malformed');
  }
  if (height === 0) throw corruptImage('the JPEG frame declares no height');
  checkDimensions(width, height, limits);
  state.width = width;
  state.height = height;
}

function checkScanHeader(payload: Uint8Array, state: JpegState): void {
  if (state.width === 0) throw corruptImage('the JPEG has a scan before its frame header');
  const components = uint8(payload, 0);
  if (components < 1 || components > 4 || payload.length !== 4 + 2 * components) {
    throw corruptImage('the JPEG scan header is malformed');
  }
  state.scanCount++;
}

/**
 * Entropy-coded data ends at the first marker that is neither a stuffed 0xFF00 nor a restart
 * marker RST0..RST7 (T.81 B.1.1.5, B.2.1). Returns the offset of that marker's first 0xFF.
 */
function findScanEnd(bytes: Uint8Array, start: number): number {
  let position = start;
  while (true) {
    position = bytes.indexOf(0xff, position);
    if (position === -1 || position + 1 >= bytes.length) {
      throw corruptImage('the JPEG image data is cut off');
    }
    const next = bytes[position + 1] ?? 0;
    if (next !== 0x00 && !isRestart(next)) return position;
    position += 2;
  }
}

/**
 * JFIF APP0 is kept for its pixel density and version, rebuilt without the optional RGB
 * thumbnail: a thumbnail can show the uncropped photo. APP0 of any other kind (JFXX thumbnails,
 * private uses) is dropped.
 */
function jfifWithoutThumbnail(payload: Uint8Array): Uint8Array | undefined {
  if (payload.length < 14 || ascii(payload, 0, 5) !== 'JFIF\0') return undefined;
  return Uint8Array.of(0xff, APP0, 0x00, 16, ...payload.subarray(0, 12), 0, 0);
}

/**
 * Adobe APP14 tells decoders whether CMYK/YCCK data is colour-transformed; without it those
 * files decode with wrong colours. Only its 12 fixed bytes are kept.
 */
function adobeHeader(payload: Uint8Array): Uint8Array | undefined {
  if (payload.length < 12 || ascii(payload, 0, 5) !== 'Adobe') return undefined;
  return Uint8Array.of(0xff, APP14, 0x00, 14, ...payload.subarray(0, 12));
}
