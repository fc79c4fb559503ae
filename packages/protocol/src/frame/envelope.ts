import { escapeBinary } from './escape.ts';
import { CLOSE, OPEN, scanHeader } from './header.ts';

/** Who a frame is from or for, and how its header was written. */
export interface Envelope {
  /** The vendor code exactly as sent (`3G`, `SG`, `ZJ`, `3g`...); replies echo it. */
  readonly vendor: string;
  /** The watch id: 5 to 20 decimal digits. */
  readonly deviceId: string;
  /** The optional sequence field (`ZJ` and `YW` firmware); replies echo it. */
  readonly index: string | undefined;
  /** LENGTH as declared. Informational: a mismatch never rejects a frame. */
  readonly declaredLength: number;
  /** The content's length in bytes as sent (escaped). */
  readonly contentLength: number;
  /** Whether LENGTH equals the content's length. */
  readonly isLengthCorrect: boolean;
}

/** Where a frame goes: the parts of an envelope a reply or command echoes. */
export interface FrameTarget {
  readonly vendor: string;
  readonly deviceId: string;
  readonly index?: string | undefined;
}

export type EnvelopeResult =
  | {
      readonly ok: true;
      readonly envelope: Envelope;
      /** The raw content, still escaped. */
      readonly content: Buffer;
      /**
       * The content as Latin-1 text for frames up to 2 KiB (every text message); undefined for
       * larger ones, which are binary (voice, photos) or must be converted by the caller.
       */
      readonly contentText: string | undefined;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Frames up to this size are converted to Latin-1 text whole: every text message is, and voice
 * messages and photos are larger.
 */
export const MAX_TEXT_FRAME_BYTES = 2048;

/** Whether every character of `text` passes `accept` and there are `min` to `max` of them. */
function isMadeOf(
  text: string,
  min: number,
  max: number,
  accept: (code: number) => boolean,
): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) if (!accept(text.charCodeAt(i))) return false;
  return true;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isAlphanumeric(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/**
 * Parses and validates the header of one whole frame (`[` to `]`). `text` is the whole frame as
 * Latin-1 when the caller has it (the header fields are then taken from it, so header and
 * content share one conversion), or undefined. Returns the envelope, or why the frame is
 * refused. The content runs from `frame.length - 1 - contentLength` to the closing `]`.
 */
export function readEnvelope(frame: Buffer, text: string | undefined): Envelope | string {
  if (frame.length < 2 || frame[0] !== OPEN || frame[frame.length - 1] !== CLOSE) {
    return 'not a bracketed frame';
  }
  if (frame.length === 2) return 'empty frame';
  return readCommonHeader(frame, text) ?? readAnyHeader(frame, text);
}

const STAR = 0x2a;

/** The value of a hex digit, -1 for any other byte. */
function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/**
 * The header as nearly every frame has it, read in one pass over the bytes: two letters or
 * digits, `*`, 5 to 20 digits, `*`, then LENGTH or INDEX*LENGTH (hex), `*`, and content.
 * Undefined for anything else, which `readAnyHeader` then reads field by field to name what is
 * wrong; for the headers read here both give the same envelope. Exported for its tests.
 */
export function readCommonHeader(frame: Buffer, text: string | undefined): Envelope | undefined {
  const end = frame.length - 1;
  if (
    end < 5 ||
    !isAlphanumeric(frame[1] as number) ||
    !isAlphanumeric(frame[2] as number) ||
    frame[3] !== STAR
  ) {
    return undefined;
  }
  let idEnd = 4;
  while (idEnd < end && isDigit(frame[idEnd] as number)) idEnd++;
  if (idEnd - 4 < 5 || idEnd - 4 > 20 || frame[idEnd] !== STAR) return undefined;
  // The field after the id: LENGTH, or an index when four hex digits and a `*` follow it.
  const fieldStart = idEnd + 1;
  let fieldEnd = fieldStart;
  let fieldValue = 0;
  for (; fieldEnd < end && fieldEnd - fieldStart <= 8; fieldEnd++) {
    const digit = hexValue(frame[fieldEnd] as number);
    if (digit < 0) break;
    fieldValue = fieldValue * 16 + digit;
  }
  const fieldLength = fieldEnd - fieldStart;
  if (fieldLength === 0 || fieldLength > 8 || frame[fieldEnd] !== STAR) return undefined;
  let declaredLength = 0;
  let isIndexed = fieldEnd + 5 < end && frame[fieldEnd + 5] === STAR;
  for (let i = fieldEnd + 1; isIndexed && i < fieldEnd + 5; i++) {
    const digit = hexValue(frame[i] as number);
    if (digit < 0) isIndexed = false;
    declaredLength = declaredLength * 16 + digit;
  }
  if (!isIndexed) {
    if (fieldLength !== 4) return undefined;
    declaredLength = fieldValue;
  }
  const contentStart = isIndexed ? fieldEnd + 6 : fieldEnd + 1;
  const contentLength = end - contentStart;
  if (contentLength <= 0) return undefined;
  // Fields are slices of the frame's text: a kept device id keeps at most that text (2 KiB) alive.
  const head = text ?? frame.toString('latin1', 0, contentStart);
  return {
    vendor: head.slice(1, 3),
    deviceId: head.slice(4, idEnd),
    index: isIndexed ? head.slice(fieldStart, fieldEnd) : undefined,
    declaredLength,
    contentLength,
    isLengthCorrect: declaredLength === contentLength,
  };
}

/** Any header, or the reason it is refused (see `readEnvelope`). Exported for its tests. */
export function readAnyHeader(frame: Buffer, text: string | undefined): Envelope | string {
  const scan = scanHeader(frame, 0, frame.length - 1, true);
  if (scan.status !== 'ok') return 'missing or malformed header (vendor*id*length*)';
  const h = scan.header;
  const head = text ?? frame.toString('latin1', 0, h.contentStart);
  const vendor = head.slice(1, h.vendorEnd);
  if (!isMadeOf(vendor, 2, 2, isAlphanumeric)) {
    return vendor.length === 34
      ? 'signed header variant is not supported'
      : 'vendor code not 2 characters';
  }
  const deviceId = head.slice(h.idStart, h.idEnd);
  if (deviceId.length === 0) return 'empty device id';
  if (!isMadeOf(deviceId, 5, 20, isDigit)) return 'device id is not 5 to 20 digits';
  let index: string | undefined;
  if (h.indexStart >= 0) {
    index = head.slice(h.indexStart, h.indexEnd);
    if (!isMadeOf(index, 1, 8, isHexDigit)) return 'index field is not hex';
  }
  const contentLength = frame.length - 1 - h.contentStart;
  if (contentLength <= 0) return 'empty content';
  return {
    vendor,
    deviceId,
    index,
    declaredLength: h.declaredLength,
    contentLength,
    isLengthCorrect: h.declaredLength === contentLength,
  };
}

/**
 * Parses and validates the header of one whole frame (`[` to `]`, as the splitter yields it).
 * Returns the envelope and the raw (still escaped) content, or why the frame is refused.
 */
export function openEnvelope(frame: Buffer): EnvelopeResult {
  const envelope = readEnvelope(frame, undefined);
  if (typeof envelope === 'string') return { ok: false, reason: envelope };
  const end = frame.length - 1;
  const contentStart = end - envelope.contentLength;
  return {
    ok: true,
    envelope,
    content: frame.subarray(contentStart, end),
    contentText:
      frame.length <= MAX_TEXT_FRAME_BYTES
        ? frame.toString('latin1', contentStart, end)
        : undefined,
  };
}

function header(target: FrameTarget, contentLength: number): string {
  if (contentLength > 0xffff)
    throw new RangeError(`content of ${contentLength} bytes exceeds LENGTH`);
  const length = contentLength.toString(16).toUpperCase().padStart(4, '0');
  const index = target.index === undefined ? '' : `${target.index}*`;
  return `[${target.vendor}*${target.deviceId}*${index}${length}*`;
}

/**
 * Encodes a text frame with the exact LENGTH. `content` is keyword plus parameters, ASCII or
 * Latin-1 (text meant for humans must already be hex, see `toUtf16Hex`).
 * Throws RangeError if the content is longer than 65,535 bytes.
 */
export function encodeFrame(target: FrameTarget, content: string): Buffer {
  return Buffer.from(`${header(target, content.length)}${content}]`, 'latin1');
}

/**
 * Encodes a frame whose content is a text prefix (such as `TK,`) followed by a binary payload,
 * which is escaped; LENGTH counts the escaped bytes, as real firmware does.
 */
export function encodeBinaryFrame(
  target: FrameTarget,
  prefix: string,
  payload: Uint8Array,
): Buffer {
  const escaped = escapeBinary(payload);
  const head = header(target, prefix.length + escaped.length);
  return Buffer.concat([Buffer.from(head + prefix, 'latin1'), escaped, Buffer.from(']')]);
}
