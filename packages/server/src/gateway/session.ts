import type { Socket } from 'node:net';
import {
  FrameSplitter,
  type DiscardReason,
  type FrameSink,
  type FrameTarget,
} from '@kinwatch/protocol';
import type { OutgoingFrames } from './outgoing-frames.ts';

/** Why the gateway closed a connection; also the label of the counter. */
export type CloseReason =
  | 'idle'
  | 'noFrame'
  | 'partialFrameTimeout'
  | 'flood'
  | 'badFrames'
  | 'slowReader'
  | 'deviceIdChanged'
  | 'replaced'
  | 'shutdown'
  | 'lockedFirmware'
  | 'removed';

/** What a session's splitter finds, handed to the gateway: one object shared by all sessions. */
export interface SessionEvents {
  frame(session: WatchSession, bytes: Buffer): void;
  discard(session: WatchSession, reason: DiscardReason, byteCount: number): void;
}

const SETTLED: Promise<void> = Promise.resolve();

/**
 * One watch connection: its splitter, who it is, what to echo in replies and commands, and the
 * counters the sweep checks. Frames of one session are handled strictly in order through a
 * promise chain; replies the protocol needs at once are written before the chain. The session
 * is its splitter's sink itself, so that a connection costs no closures.
 */
export class WatchSession implements FrameSink {
  readonly connectionId: number;
  readonly socket: Socket;
  readonly remoteAddress: string;
  readonly splitter: FrameSplitter;
  readonly connectedAt: number;
  /** The device id of the first valid frame; a session never changes it. */
  deviceId: string | undefined;
  /** Set once the registry knows this id as a provisioned watch. */
  watchId: string | undefined;
  /** The identity the watch last reported (IMEI, ICCID), to notice a SIM or board swap. */
  reportedImei: string | null = null;
  reportedIccid: string | null = null;
  /** Vendor, id and index as last received: commands echo them. */
  target: FrameTarget | undefined;
  /** Whether this session routes commands for its watch (false for a suspected clone). */
  isRoute = false;
  lastBytesAt: number;
  lastFrameAt = 0;
  /** When the splitter started holding an incomplete frame; 0 when it holds none. */
  partialSince = 0;
  framesThisSecond = 0;
  badFramesInRow = 0;
  isClosed = false;
  /** The encoded LK reply for this vendor and id, reused for every heartbeat without an index. */
  keepAliveReply: Buffer | undefined;
  readonly #events: SessionEvents;
  readonly #outgoing: OutgoingFrames;
  /** The last queued task; undefined while none is queued. */
  #chain: Promise<void> | undefined;
  #queued = 0;

  constructor(
    connectionId: number,
    socket: Socket,
    maxFrameBytes: number,
    now: number,
    events: SessionEvents,
    outgoing: OutgoingFrames,
  ) {
    this.connectionId = connectionId;
    this.#events = events;
    this.#outgoing = outgoing;
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.splitter = new FrameSplitter({ maxFrameBytes });
    this.connectedAt = now;
    this.lastBytesAt = now;
  }

  /** Feeds bytes from the socket. */
  receive(chunk: Buffer, now: number): void {
    this.lastBytesAt = now;
    this.splitter.push(chunk, this);
    this.partialSince = this.splitter.bufferedBytes > 0 ? this.partialSince || now : 0;
  }

  /**
   * Writes to the watch with the gateway's next batch (OutgoingFrames: at the end of this turn
   * of the event loop at the latest). Returns false, writing nothing, when the session is
   * closed or the watch has stopped reading (more than `maxPendingBytes` queued): the caller
   * closes it.
   */
  write(frame: Buffer, maxPendingBytes: number): boolean {
    if (this.isClosed || this.socket.destroyed) return false;
    if (this.socket.writableLength > maxPendingBytes) return false;
    this.#outgoing.add(this.socket, frame);
    return true;
  }

  frame(bytes: Buffer): void {
    this.#events.frame(this, bytes);
  }

  discard(reason: DiscardReason, byteCount: number): void {
    this.#events.discard(this, reason, byteCount);
  }

  /**
   * Runs `task` after every task queued before it. A task that throws is reported to `onError`
   * and does not stop the ones after it. Reading pauses while many tasks wait.
   */
  enqueue(task: () => Promise<void>, onError: (error: unknown) => void): void {
    this.#queued++;
    if (this.#queued === 64) this.socket.pause();
    this.#chain = (this.#chain ?? SETTLED).then(() => this.#run(task, onError));
  }

  async #run(task: () => Promise<void>, onError: (error: unknown) => void): Promise<void> {
    try {
      await task();
    } catch (error) {
      onError(error);
    } finally {
      this.#queued--;
      // Nothing waits behind this task: an idle session keeps no promise.
      if (this.#queued === 0) this.#chain = undefined;
      else if (this.#queued === 8 && !this.isClosed) this.socket.resume();
    }
  }

  /** Resolves when every queued task has finished. */
  drain(): Promise<void> {
    return this.#chain ?? SETTLED;
  }

  /** Tasks queued and not finished; 0 means a frame may be handled at once, in order. */
  get queuedTasks(): number {
    return this.#queued;
  }
}
