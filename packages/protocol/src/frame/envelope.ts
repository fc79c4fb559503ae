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
const DEVICE_ID = /^[0-9]{5,20}$/;
const VENDOR = /^[0-9A-Za-z]{2}$/;
const INDEX = /^[0-9A-Fa-f]{1,8}$/;

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
  // One conversion to text for the whole frame (the header alone for large binary frames);
  // every field is a slice of it.
  const isSmall = frame.length <= MAX_TEXT_FRAME_BYTES;
  const head = frame.toString('latin1', 0, isSmall ? frame.length : h.contentStart);
  const vendor = head.slice(1, h.vendorEnd);
  if (!VENDOR.test(vendor)) {
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
  if (!DEVICE_ID.test(deviceId)) return { ok: false, reason: 'device id is not 5 to 20 digits' };
  let index: string | undefined;
  if (h.indexStart >= 0) {
    const indexText = head.slice(h.indexStart, h.indexEnd);
    index = indexText;
    if (!INDEX.test(indexText)) return { ok: false, reason: 'index field is not hex' };
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
    contentText: isSmall ? head.slice(h.contentStart, frame.length - 1) : undefined,
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
