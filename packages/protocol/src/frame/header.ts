/**
 * The frame header `[VENDOR*ID*[INDEX*]LLLL*`, located by byte offsets so that the splitter and
 * the decoder can share one scan without allocating strings.
 */

export const OPEN = 0x5b; // [
export const CLOSE = 0x5d; // ]
const STAR = 0x2a; // *

/** A header longer than this is not a header (the reference allows about 64 bytes). */
export const MAX_HEADER_BYTES = 64;

export interface HeaderOffsets {
  /** Offset of `[`. */
  readonly start: number;
  readonly vendorEnd: number;
  readonly idStart: number;
  readonly idEnd: number;
  /** -1 when the frame has no index field. */
  readonly indexStart: number;
  readonly indexEnd: number;
  readonly lengthStart: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** LENGTH as declared by the sender: a hint, never trusted. */
  readonly declaredLength: number;
}

export type HeaderScan =
  | { readonly status: 'ok'; readonly header: HeaderOffsets }
  | { readonly status: 'incomplete' }
  | { readonly status: 'invalid'; readonly reason: string };

const INCOMPLETE: HeaderScan = { status: 'incomplete' };

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/** Reads four hex digits at `at`; -1 if any is not hex. The caller checks the bounds. */
function fourHex(bytes: Uint8Array, at: number): number {
  let value = 0;
  for (let i = at; i < at + 4; i++) {
    const digit = hexValue(bytes[i] as number);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Offset of the next `*` in [from, limit), -1 if absent, -2 if a bracket comes first. */
function nextStar(bytes: Uint8Array, from: number, limit: number): number {
  for (let i = from; i < limit; i++) {
    const byte = bytes[i];
    if (byte === STAR) return i;
    if (byte === OPEN || byte === CLOSE) return -2;
  }
  return -1;
}

/**
 * Scans the header of the frame whose `[` is at `start`, looking no further than `end`.
 * `incomplete` means more bytes are needed; `invalid` means this is not a well-formed header
 * (the frame may still be delimited by brackets and then rejected by the decoder). `isWhole`
 * says that `end` is the end of the content, so nothing more will come.
 */
export function scanHeader(
  bytes: Uint8Array,
  start: number,
  end: number,
  isWhole = false,
): HeaderScan {
  const limit = Math.min(end, start + MAX_HEADER_BYTES);
  const vendorEnd = nextStar(bytes, start + 1, limit);
  if (vendorEnd < 0) return headerEnd(vendorEnd, limit, end, start);
  const idEnd = nextStar(bytes, vendorEnd + 1, limit);
  if (idEnd < 0) return headerEnd(idEnd, limit, end, start);
  const fieldEnd = nextStar(bytes, idEnd + 1, limit);
  if (fieldEnd < 0) return headerEnd(fieldEnd, limit, end, start);
  // Traccar's rule: the field after the id is an index when it is followed by exactly four hex
  // digits and another `*` ([ZJ*014111001350304*0033*0064*UD,...]).
  const index = indexFollows(bytes, fieldEnd, end) ?? (isWhole ? -1 : undefined);
  if (index === undefined) return INCOMPLETE;
  if (index >= 0) {
    return ok(start, vendorEnd, idEnd, idEnd + 1, fieldEnd, fieldEnd + 1, fieldEnd + 6, index);
  }
  if (fieldEnd - idEnd !== 5)
    return { status: 'invalid', reason: 'length field is not 4 characters' };
  const length = fourHex(bytes, idEnd + 1);
  if (length < 0) return { status: 'invalid', reason: 'length field is not hex' };
  return ok(start, vendorEnd, idEnd, -1, -1, idEnd + 1, fieldEnd + 1, length);
}

/** `frameEndByLength` could not tell yet: more bytes are needed. */
export const HEADER_INCOMPLETE = -1;
/** `frameEndByLength`: not a well-formed header. */
export const HEADER_INVALID = -2;

/**
 * Where LENGTH says the frame starting at `start` ends (the offset of its `]`), reading no
 * further than `end`; HEADER_INCOMPLETE or HEADER_INVALID otherwise. The splitter's per-frame
 * question, answered without allocating (`scanHeader` gives the whole header).
 */
export function frameEndByLength(bytes: Uint8Array, start: number, end: number): number {
  const limit = Math.min(end, start + MAX_HEADER_BYTES);
  const vendorEnd = nextStar(bytes, start + 1, limit);
  const idEnd = vendorEnd < 0 ? vendorEnd : nextStar(bytes, vendorEnd + 1, limit);
  const fieldEnd = idEnd < 0 ? idEnd : nextStar(bytes, idEnd + 1, limit);
  if (fieldEnd < 0) {
    const isCut = fieldEnd === -1 && limit === end && limit - start < MAX_HEADER_BYTES;
    return isCut ? HEADER_INCOMPLETE : HEADER_INVALID;
  }
  const index = indexFollows(bytes, fieldEnd, end);
  if (index === undefined) return HEADER_INCOMPLETE;
  if (index >= 0) return fieldEnd + 6 + index;
  const length = fieldEnd - idEnd === 5 ? fourHex(bytes, idEnd + 1) : -1;
  return length < 0 ? HEADER_INVALID : fieldEnd + 1 + length;
}

/**
 * After the third `*`: the declared length if four hex digits and a `*` follow (so the field
 * before was an index), -1 if not, undefined if the bytes so far cannot tell.
 */
function indexFollows(bytes: Uint8Array, star: number, end: number): number | undefined {
  let value = 0;
  for (let i = star + 1; i <= star + 4; i++) {
    if (i >= end) return undefined;
    const digit = hexValue(bytes[i] as number);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  if (star + 5 >= end) return undefined;
  return bytes[star + 5] === STAR ? value : -1;
}

function headerEnd(code: number, limit: number, end: number, start: number): HeaderScan {
  if (code === -2) return { status: 'invalid', reason: 'header ends before its fields' };
  if (limit < end || limit - start >= MAX_HEADER_BYTES) {
    return { status: 'invalid', reason: 'header longer than 64 bytes' };
  }
  return INCOMPLETE;
}

function ok(
  start: number,
  vendorEnd: number,
  idEnd: number,
  indexStart: number,
  indexEnd: number,
  lengthStart: number,
  contentStart: number,
  declaredLength: number,
): HeaderScan {
  return {
    status: 'ok',
    header: {
      start,
      vendorEnd,
      idStart: vendorEnd + 1,
      idEnd,
      indexStart,
      indexEnd,
      lengthStart,
      contentStart,
      declaredLength,
    },
  };
}

/**
 * Whether a `[` at `at` starts what looks like a new frame: `[`, two letters or digits, `*`, a
 * device id of at least five digits, `*`. This tells a truncated frame from a bracket inside an
 * SSID (`[LG_Wall-Mount A/C]`, `[aa*1,...`). `undefined` when more bytes are needed to tell.
 */
export function looksLikeFrameStart(
  bytes: Uint8Array,
  at: number,
  end: number,
): boolean | undefined {
  if (at + 3 >= end) return undefined;
  if (!isAlphanumeric(bytes[at + 1] as number) || !isAlphanumeric(bytes[at + 2] as number))
    return false;
  if (bytes[at + 3] !== STAR) return false;
  const limit = Math.min(end, at + 4 + MAX_DEVICE_ID_DIGITS + 1);
  for (let i = at + 4; i < limit; i++) {
    const byte = bytes[i] as number;
    if (byte === STAR) return i - (at + 4) >= MIN_DEVICE_ID_DIGITS;
    if (byte < 0x30 || byte > 0x39) return false;
  }
  return limit === end ? undefined : false;
}

const MIN_DEVICE_ID_DIGITS = 5;
const MAX_DEVICE_ID_DIGITS = 20;

function isAlphanumeric(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a)
  );
}
