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

const MAX_TEXT_FRAME_BYTES = 2048;
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
 * Parses and validates the header of one whole frame (`[` to `]`, as the splitter yields it).
 * Returns the envelope and the raw (still escaped) content, or why the frame is refused.
 */
export function openEnvelope(frame: Buffer): EnvelopeResult {
  if (frame.length < 2 || frame[0] !== OPEN || frame[frame.length - 1] !== CLOSE) {
    return { ok: false, reason: 'not a bracketed frame' };
  }
  if (frame.length === 2) return { ok: false, reason: 'empty frame' };
  const scan = scanHeader(frame, 0, frame.length - 1, true);
  if (scan.status !== 'ok') {
    return { ok: false, reason: 'missing or malformed header (vendor*id*length*)' };
  }
  const h = scan.header;
  // One conversion for the header; its fields are slices of it.
  const head = frame.toString('latin1', 0, h.contentStart);
  const vendor = head.slice(1, h.vendorEnd);
  if (!isMadeOf(vendor, 2, 2, isAlphanumeric)) {
    return {
      ok: false,
      reason:
        vendor.length === 34
          ? 'signed header variant is not supported'
          : 'vendor code not 2 characters',
    };
  }
  const deviceId = head.slice(h.idStart, h.idEnd);
  if (deviceId.length === 0) return { ok: false, reason: 'empty device id' };
  if (!isMadeOf(deviceId, 5, 20, isDigit))
    return { ok: false, reason: 'device id is not 5 to 20 digits' };
  let index: string | undefined;
  if (h.indexStart >= 0) {
    const indexText = head.slice(h.indexStart, h.indexEnd);
    index = indexText;
    if (!isMadeOf(indexText, 1, 8, isHexDigit))
      return { ok: false, reason: 'index field is not hex' };
  }
  const contentLength = frame.length - 1 - h.contentStart;
  if (contentLength <= 0) return { ok: false, reason: 'empty content' };
  return {
    ok: true,
    envelope: {
      vendor,
      deviceId,
      index,
      declaredLength: h.declaredLength,
      contentLength,
      isLengthCorrect: h.declaredLength === contentLength,
    },
    content: frame.subarray(h.contentStart, frame.length - 1),
    // A string of its own, not a slice of a larger one: reading characters from a sliced string
    // goes through an indirection, which costs a fifth of the decoding time of a location report.
    contentText:
      frame.length <= MAX_TEXT_FRAME_BYTES
        ? frame.toString('latin1', h.contentStart, frame.length - 1)
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
