/**
 * One TCP connection of a simulated watch: connect through the connect gate, cut incoming
 * bytes into frames with the protocol's splitter, and close cleanly. Knows nothing of the
 * session; the watch decides what to send and when to give up.
 */
import { connect, type Socket } from 'node:net';
import { FrameSplitter, type FrameSink } from '@kinwatch/protocol';
import type { ConnectGate } from './connect-gate.ts';

export interface ConnectionHandlers {
  opened(): void;
  frame(bytes: Buffer): void;
  /** Called once, whether the connect failed, the server closed, or `destroy` was called. */
  closed(): void;
}

export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string | undefined;
}

/** How long `close` waits for the server's side to close before destroying the socket. */
const CLOSE_GRACE_MS = 500;

export class WatchConnection {
  readonly #handlers: ConnectionHandlers;
  readonly #splitter = new FrameSplitter();
  readonly #sink: FrameSink;
  #socket: Socket | undefined;
  #isClosed = false;
  #isOpen = false;

  /** Waits for a gate slot, then connects. `handlers` are not called after `destroy`/`close`. */
  constructor(target: ConnectionTarget, gate: ConnectGate, handlers: ConnectionHandlers) {
    this.#handlers = handlers;
    this.#sink = {
      frame: (bytes) => {
        if (!this.#isClosed) handlers.frame(bytes);
      },
      discard: () => undefined,
    };
    gate.acquire(() => {
      if (this.#isClosed) gate.release();
      else this.#open(target, gate);
    });
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }

  /** Writes bytes if connected; returns false otherwise. */
  write(bytes: Buffer): boolean {
    if (!this.#isOpen || this.#socket === undefined) return false;
    this.#socket.write(bytes);
    return true;
  }

  /** Drops the connection at once, without calling `closed`. */
  destroy(): void {
    this.#isClosed = true;
    this.#isOpen = false;
    this.#socket?.destroy();
  }

  /** Ends the connection cleanly (FIN) and resolves once the socket has closed. */
  async close(): Promise<void> {
    const socket = this.#socket;
    const wasOpen = this.#isOpen;
    this.#isClosed = true;
    this.#isOpen = false;
    if (socket === undefined || socket.destroyed) return;
    if (!wasOpen) {
      socket.destroy();
      return;
    }
    await new Promise<void>((resolve) => {
      socket.once('close', () => {
        resolve();
      });
      socket.end();
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    });
  }

  #open(target: ConnectionTarget, gate: ConnectGate): void {
    const socket = connect({ ...target, noDelay: true });
    this.#socket = socket;
    let holdsGate = true;
    const releaseGate = () => {
      if (holdsGate) gate.release();
      holdsGate = false;
    };
    socket.on('connect', () => {
      releaseGate();
      if (this.#isClosed) return;
      this.#isOpen = true;
      this.#handlers.opened();
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.#isClosed) return;
      this.#splitter.push(chunk, this.#sink);
    });
    // 'close' always follows an error.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      releaseGate();
      if (this.#isClosed) return;
      this.#isClosed = true;
      this.#isOpen = false;
      this.#handlers.closed();
    });
  }
}
