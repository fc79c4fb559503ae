import { CLOSE, OPEN, looksLikeFrameStart, scanHeader } from './header.ts';

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
   * A whole frame from `[` to `]`, still escaped. The buffer is a view into bytes the splitter
   * never writes again, so it may be kept; it can pin the chunk it came from.
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
const TRUNCATED = -2;

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
    let data: Buffer;
    if (this.#pendingLength === 0) {
      data = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    } else {
      data = this.#append(chunk);
    }
    const rest = this.#split(data, sink);
    this.#keep(data, rest, this.#pendingLength > 0);
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
    if (this.#candidate <= 0 || pending === undefined) return;
    const frameEnd = this.#candidate;
    const rest = pending.subarray(frameEnd, this.#pendingLength);
    sink.frame(pending.subarray(0, frameEnd));
    this.#pending = undefined;
    this.#pendingLength = 0;
    this.#inFrame = false;
    this.#resetFrame();
    if (rest.length > 0) this.#keep(rest, this.#split(rest, sink), false);
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

  #append(chunk: Uint8Array): Buffer {
    const needed = this.#pendingLength + chunk.length;
    let pending = this.#pending as Buffer;
    if (needed > pending.length) {
      // A new buffer, never a reuse: frames already handed out may still view the old one.
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, pending.length * 2));
      pending.copy(grown, 0, 0, this.#pendingLength);
      pending = grown;
      this.#pending = grown;
    }
    pending.set(chunk, this.#pendingLength);
    this.#pendingLength = needed;
    return pending.subarray(0, needed);
  }

  #keep(data: Buffer, rest: number, isPending: boolean): void {
    const left = data.length - rest;
    if (left === 0) {
      this.#pending = undefined;
      this.#pendingLength = 0;
      return;
    }
    if (rest === 0 && isPending) return;
    const kept = Buffer.allocUnsafeSlow(Math.max(left * 2, 1024));
    data.copy(kept, 0, rest);
    this.#pending = kept;
    this.#pendingLength = left;
  }

  /** Emits every whole frame in `data`; returns the offset of the first byte to keep. */
  #split(data: Buffer, sink: FrameSink): number {
    let pos = 0;
    while (pos < data.length) {
      if (!this.#inFrame) {
        const open = data.indexOf(OPEN, pos);
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
        sink.frame(data.subarray(pos, end));
      }
      this.#inFrame = false;
      pos = end;
    }
    return pos;
  }

  /**
   * The end (exclusive) of the frame starting at `start`, NEED_MORE, or TRUNCATED (then
   * `#scanned` is the offset of the `[` that starts the next frame).
   */
  #findEnd(data: Buffer, start: number): number {
    if (!this.#headerKnown) {
      const scan = scanHeader(data, start, data.length);
      if (scan.status === 'incomplete') return NEED_MORE;
      this.#headerKnown = true;
      if (scan.status === 'ok') {
        this.#expectedEnd = scan.header.contentStart + scan.header.declaredLength - start;
      }
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
    const end = this.#scanBrackets(data, start, isProbeAhead);
    if (end === NEED_MORE && this.#candidate > 0 && data.length - start > this.#maxFrameBytes) {
      return start + this.#candidate;
    }
    return end;
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
