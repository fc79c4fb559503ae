/**
 * Puts a watch's frames on its socket, well or badly on purpose. Real firmware writes a wrong
 * LENGTH (the vendor document's own examples are off), and TCP cuts and joins frames freely;
 * a server has to cope with all of it, so the simulator can do each on demand.
 */
import type { Random } from './seeded-random.ts';

export interface WireMisbehaviour {
  /** Declare a LENGTH 3 bytes too long, as some SG firmware captures do. */
  readonly wrongLength?: boolean;
  /** Cut the byte stream at random points, each piece written on a later tick. */
  readonly splitWrites?: boolean;
  /** Hold frames until the next tick and write them together in one write. */
  readonly coalesceWrites?: boolean;
}

/** How far the declared LENGTH is off when `wrongLength` is on. */
const LENGTH_ERROR_BYTES = 3;

export class WireWriter {
  readonly #misbehaviour: WireMisbehaviour;
  readonly #random: Random;
  /** Offset of the four LENGTH digits in every frame of this watch. */
  readonly #lengthOffset: number;
  #write: ((bytes: Buffer) => void) | undefined;
  #pending: Buffer[] = [];

  constructor(misbehaviour: WireMisbehaviour, lengthOffset: number, random: Random) {
    this.#misbehaviour = misbehaviour;
    this.#lengthOffset = lengthOffset;
    this.#random = random;
  }

  /** Starts writing to a new connection; anything pending for an old one is dropped. */
  attach(write: (bytes: Buffer) => void): void {
    this.#write = write;
    this.#pending = [];
  }

  detach(): void {
    this.#write = undefined;
    this.#pending = [];
  }

  /** Whether bytes wait for the next `flush` (the owner then needs a tick soon). */
  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /** Sends one whole frame, or queues it when a misbehaviour delays writes. Dropped if detached. */
  send(frame: Buffer): void {
    if (this.#write === undefined) return;
    const bytes = this.#misbehaviour.wrongLength === true ? this.#withWrongLength(frame) : frame;
    const { splitWrites, coalesceWrites } = this.#misbehaviour;
    if (splitWrites !== true && coalesceWrites !== true) {
      this.#write(bytes);
      return;
    }
    this.#pending.push(bytes);
    // Split without coalescing: the first piece goes out at once, the rest on later ticks.
    if (coalesceWrites !== true && this.#pending.length === 1) this.flush();
  }

  /** Writes what waits: everything at once, or, when splitting, one random-length piece. */
  flush(): void {
    const write = this.#write;
    if (write === undefined || this.#pending.length === 0) return;
    const data =
      this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending);
    this.#pending = [];
    if (this.#misbehaviour.splitWrites === true && data.length > 1) {
      const cut = this.#random.integer(1, data.length - 1);
      write(data.subarray(0, cut));
      this.#pending.push(data.subarray(cut));
      return;
    }
    write(data);
  }

  #withWrongLength(frame: Buffer): Buffer {
    const at = this.#lengthOffset;
    const declared = Number.parseInt(frame.toString('latin1', at, at + 4), 16);
    const wrong = ((declared + LENGTH_ERROR_BYTES) & 0xffff)
      .toString(16)
      .toUpperCase()
      .padStart(4, '0');
    const copy = Buffer.from(frame);
    copy.write(wrong, at, 'latin1');
    return copy;
  }
}
