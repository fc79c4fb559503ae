import { CLOSE, HEADER_INCOMPLETE, OPEN, frameEndByLength, looksLikeFrameStart } from './header.ts';

/** Why bytes were thrown away instead of becoming a frame. */
export type DiscardReason =
  /** Bytes outside any frame, e.g. a CR LF before the first `[`. */
  | 'noise'
  /** A frame cut short: a new frame started before it ended (`[..*LK[3G*..*LK]`). */
  | 'truncated'
  /** A frame that grew past the size cap without ending. */
  | 'oversize'
  /** A frame still open when the connection closed. */
  | 'unterminated';

/** Receives what the splitter finds. Called synchronously from `push` and `end`. */
export interface FrameSink {
  /**
   * A whole frame from `[` to `]`, still escaped. The buffer is the caller's to keep: either a
   * view of the chunk it arrived in (which it can pin) or a copy.
   */
  frame(bytes: Buffer): void;
  /** Bytes that were dropped, and why. */
  discard(reason: DiscardReason, byteCount: number): void;
}

export interface FrameSplitterOptions {
  /**
   * The largest frame accepted, in bytes on the wire. A frame that grows past it is dropped and
   * the splitter resynchronises on the next `[`. Default 256 KiB, enough for a watch photo.
   */
  readonly maxFrameBytes?: number;
}

export const DEFAULT_MAX_FRAME_BYTES = 256 * 1024;

const NEED_MORE = -1;
/** A kept-bytes buffer larger than this (after a photo, say) is released once empty. */
const RETAINED_BUFFER_BYTES = 16 * 1024;
const TRUNCATED = -2;

/** A copy of bytes [from, to) of `data`, without an intermediate view. */
function copyOf(data: Buffer, from: number, to: number): Buffer {
  const copy = Buffer.allocUnsafe(to - from);
  data.copy(copy, 0, from, to);
  return copy;
}

/** Whether a `[` that starts a new frame lies in [from, to). */
function hasFrameStart(data: Buffer, from: number, to: number): boolean {
  for (let i = data.indexOf(OPEN, from); i !== -1 && i < to; i = data.indexOf(OPEN, i + 1)) {
    if (looksLikeFrameStart(data, i, to) === true) return true;
  }
  return false;
}

/**
 * Cuts a byte stream into frames. One splitter per connection; it holds at most one partial
 * frame (bounded by `maxFrameBytes`) between calls.
 *
 * The frame end is found by the length-guided probe first: if the byte LENGTH bytes after the
 * header is `]`, that is the end, whatever brackets the content holds. Otherwise brackets are
 * counted from the `[` (SSIDs such as `[LG_Wall-Mount A/C]e725` are balanced). A `[` inside a
 * frame that looks like the start of a new frame (`[3G*8...`) when the probe has not matched
 * means the first frame was truncated; it is dropped and splitting restarts there.
 */
export class FrameSplitter {
  readonly #maxFrameBytes: number;
  /** Bytes kept from earlier chunks; always starts at a `[`. */
  #pending: Buffer | undefined;
  #pendingLength = 0;
  // Progress through the current frame, relative to its `[`, so that a frame arriving in many
  // chunks is scanned once.
  #inFrame = false;
  #expectedEnd = -1;
  #headerKnown = false;
  #depth = 0;
  #scanned = 0;
  /** A `]` that may end the frame, held while LENGTH says it goes on (relative end, or -1). */
  #candidate = -1;

  constructor(options: FrameSplitterOptions = {}) {
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!(this.#maxFrameBytes >= 16)) throw new RangeError('maxFrameBytes must be at least 16');
  }

  /** Bytes held for a frame that has not ended yet. */
  get bufferedBytes(): number {
    return this.#pendingLength;
  }

  /** Feeds one chunk as read from the socket. Never throws on any input. */
  push(chunk: Uint8Array, sink: FrameSink): void {
    if (chunk.length === 0) return;
    const input = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.#pendingLength === 0) {
      // The common case: frames are views of the caller's chunk, nothing is copied.
      this.#keep(input, this.#split(input, sink, false));
      return;
    }
    // Finish the frame begun in earlier reads; the rest of this chunk is then split in place.
    const before = this.#pendingLength;
    const data = this.#append(input);
    const rest = this.#split(data, sink, true, true);
    if (rest < before || !(rest < data.length) || this.#inFrame) {
      this.#compact(rest);
      if (this.#pendingLength > 0 && rest < before) {
        this.#compact(
          this.#split((this.#pending as Buffer).subarray(0, this.#pendingLength), sink, true),
        );
      }
      return;
    }
    this.#pendingLength = 0;
    const tail = input.subarray(rest - before);
    this.#keep(tail, this.#split(tail, sink, false));
  }

  /**
   * Whether a complete-looking frame is held back because its LENGTH says it is longer (see
   * `flush`). Only frames whose LENGTH is too long and that end exactly at a chunk boundary are
   * ever held.
   */
  get isHoldingFrame(): boolean {
    return this.#candidate > 0;
  }

  /**
   * The sender went quiet: a frame held back because LENGTH promised more bytes is taken as
   * complete and emitted (LENGTH is often wrong). The gateway calls this from its periodic
   * sweep for connections where `isHoldingFrame` is true.
   */
  flush(sink: FrameSink): void {
    const pending = this.#pending;
    if (this.#candidate <= 0 || pending === undefined || this.#pendingLength === 0) return;
    const frameEnd = this.#candidate;
    sink.frame(copyOf(pending, 0, frameEnd));
    this.#inFrame = false;
    this.#resetFrame();
    this.#compact(frameEnd);
    if (this.#pendingLength > 0) {
      this.#compact(this.#split(pending.subarray(0, this.#pendingLength), sink, true));
    }
  }

  /** The connection closed: emits a held frame, reports a frame left open, and resets. */
  end(sink: FrameSink): void {
    this.flush(sink);
    if (this.#pendingLength > 0) sink.discard('unterminated', this.#pendingLength);
    this.#pending = undefined;
    this.#pendingLength = 0;
    this.#resetFrame();
    this.#inFrame = false;
  }

  /** Adds a chunk after the bytes kept from earlier ones; returns a view of all of them. */
  #append(chunk: Buffer): Buffer {
    const needed = this.#pendingLength + chunk.length;
    this.#reserve(needed);
    const pending = this.#pending as Buffer;
    pending.set(chunk, this.#pendingLength);
    this.#pendingLength = needed;
    return pending.subarray(0, needed);
  }

  /** Makes the kept-bytes buffer hold at least `size` bytes, keeping its content. */
  #reserve(size: number): void {
    const pending = this.#pending;
    if (pending !== undefined && pending.length >= size) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(size, (pending?.length ?? 0) * 2, 4096));
    if (pending !== undefined) pending.copy(grown, 0, 0, this.#pendingLength);
    this.#pending = grown;
  }

  /** Keeps the bytes of a chunk from `rest` on (an unfinished frame). */
  #keep(chunk: Buffer, rest: number): void {
    const left = chunk.length - rest;
    if (left === 0) return;
    this.#reserve(left);
    chunk.copy(this.#pending as Buffer, 0, rest);
    this.#pendingLength = left;
  }

  /** Drops the first `consumed` kept bytes; lets a large buffer go once it is empty. */
  #compact(consumed: number): void {
    const pending = this.#pending as Buffer;
    const left = this.#pendingLength - consumed;
    if (left > 0 && consumed > 0) pending.copyWithin(0, consumed, this.#pendingLength);
    this.#pendingLength = left;
    if (left === 0 && pending.length > RETAINED_BUFFER_BYTES) this.#pending = undefined;
  }

  /** Emits every whole frame in `data`; returns the offset of the first byte to keep. */
  #split(data: Buffer, sink: FrameSink, isOwnBuffer: boolean, isFirstOnly = false): number {
    let pos = 0;
    while (pos < data.length) {
      if (!this.#inFrame) {
        // Frames usually follow each other directly: no search then.
        const open = data[pos] === OPEN ? pos : data.indexOf(OPEN, pos);
        if (open === -1) {
          sink.discard('noise', data.length - pos);
          return data.length;
        }
        if (open > pos) sink.discard('noise', open - pos);
        pos = open;
        this.#inFrame = true;
        this.#resetFrame();
      }
      const end = this.#findEnd(data, pos);
      if (end === NEED_MORE) {
        const held = data.length - pos;
        if (held <= this.#maxFrameBytes) return pos;
        sink.discard('oversize', held);
        this.#inFrame = false;
        this.#resetFrame();
        return data.length;
      }
      if (end === TRUNCATED) {
        const restart = pos + this.#scanned;
        sink.discard('truncated', restart - pos);
        this.#resetFrame();
        pos = restart;
        continue;
      }
      if (end - pos > this.#maxFrameBytes) {
        sink.discard('oversize', end - pos);
      } else {
        // The kept-bytes buffer is reused, so frames found in it are handed out as copies.
        sink.frame(isOwnBuffer ? copyOf(data, pos, end) : data.subarray(pos, end));
      }
      this.#inFrame = false;
      this.#resetFrame();
      pos = end;
      if (isFirstOnly) return pos;
    }
    return pos;
  }

  /**
   * The end (exclusive) of the frame starting at `start`, NEED_MORE, or TRUNCATED (then
   * `#scanned` is the offset of the `[` that starts the next frame).
   */
  #findEnd(data: Buffer, start: number): number {
    if (!this.#headerKnown) {
      const byLength = frameEndByLength(data, start, data.length);
      if (byLength === HEADER_INCOMPLETE) return NEED_MORE;
      this.#headerKnown = true;
      if (byLength >= 0) this.#expectedEnd = byLength - start;
    }
    const probe = this.#expectedEnd > 0 ? start + this.#expectedEnd : -1;
    const isProbeAhead = probe >= data.length;
    if (probe >= 0 && !isProbeAhead) {
      // A `]` at LENGTH can be a later frame's end when this one was cut short; a frame start
      // inside the content settles it.
      if (data[probe] === CLOSE && !hasFrameStart(data, start + 1, probe)) return probe + 1;
      // LENGTH was wrong after all: an earlier `]` held back as a maybe-end was the end.
      if (this.#candidate > 0) return start + this.#candidate;
    }
    if (isProbeAhead && this.#isBracketFree(data, start)) return NEED_MORE;
    const end = this.#scanBrackets(data, start, isProbeAhead);
    if (end === NEED_MORE && this.#candidate > 0 && data.length - start > this.#maxFrameBytes) {
      return start + this.#candidate;
    }
    return end;
  }

  /**
   * A frame whose end LENGTH puts beyond the bytes received so far, with no bracket among the
   * new bytes, needs nothing but more bytes: the native search skips the byte-by-byte count,
   * which matters for every frame that straddles two reads.
   */
  #isBracketFree(data: Buffer, start: number): boolean {
    const from = start + Math.max(this.#scanned, 1);
    const open = data.indexOf(OPEN, from);
    if (open !== -1) return false;
    const close = data.indexOf(CLOSE, from);
    if (close !== -1) return false;
    if (this.#scanned === 0) this.#depth = 1;
    this.#scanned = data.length - start;
    return true;
  }

  /** Counts brackets from where the last call stopped. */
  #scanBrackets(data: Buffer, start: number, isProbeAhead: boolean): number {
    let depth = this.#depth;
    for (let i = start + this.#scanned; i < data.length; i++) {
      const byte = data[i];
      if (byte === OPEN) {
        if (depth > 0) {
          const isNewFrame = looksLikeFrameStart(data, i, data.length);
          if (isNewFrame === undefined) {
            this.#depth = depth;
            this.#scanned = i - start;
            return NEED_MORE;
          }
          if (isNewFrame) {
            if (this.#candidate > 0) return start + this.#candidate;
            this.#scanned = i - start;
            return TRUNCATED;
          }
        }
        depth++;
      } else if (byte === CLOSE && --depth === 0) {
        if (!isProbeAhead) return i + 1;
        // LENGTH says the frame goes on, so this `]` may sit inside an SSID (`Cafe],f4:db:...`).
        // Hold it as a maybe-end and read on: reaching `]` at LENGTH confirms the longer frame;
        // a new frame starting, or LENGTH proving wrong, makes this the end.
        if (this.#candidate < 0) this.#candidate = i + 1 - start;
        depth = 1;
      }
    }
    this.#depth = depth;
    this.#scanned = data.length - start;
    return NEED_MORE;
  }

  #resetFrame(): void {
    this.#headerKnown = false;
    this.#expectedEnd = -1;
    this.#depth = 0;
    this.#scanned = 0;
    this.#candidate = -1;
  }
}
