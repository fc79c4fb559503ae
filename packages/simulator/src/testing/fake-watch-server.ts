/**
 * A small watch server for the simulator's tests: real TCP on 127.0.0.1, the protocol's
 * splitter and decoder, the replies the protocol requires (`LK`, `AL`, the `TKQ` echo, `TK,1`),
 * and a way to push commands to a connected watch. Replies can be withheld to test resends and
 * reconnects.
 */
import { createServer, type Server, type Socket } from 'node:net';
import {
  FrameSplitter,
  decodeFrame,
  encodeCommand,
  requiredReply,
  type Command,
  type DecodedFrame,
  type FrameSink,
  type UplinkType,
} from '@kinwatch/protocol';

export interface ReceivedFrame {
  readonly frame: DecodedFrame;
  /** The watch's source address. */
  readonly remoteAddress: string;
  readonly receivedAtMs: number;
}

interface Waiter {
  readonly matches: (f: ReceivedFrame) => boolean;
  readonly resolve: (f: ReceivedFrame) => void;
}

export class FakeWatchServer {
  /** Every frame decoded, in arrival order. */
  readonly received: ReceivedFrame[] = [];
  /** Frames that did not decode, as reasons. */
  readonly rejected: string[] = [];
  /** Message types the server does not answer while listed here. */
  readonly unanswered = new Set<UplinkType>();
  /** The next n alarm frames go unanswered (then alarms are answered again). */
  alarmsToIgnore = 0;
  /** Connections accepted so far. */
  connectionCount = 0;
  /** Reads from all sockets so far: more reads than frames means frames arrived in pieces. */
  readCount = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #sessions = new Map<string, Socket>();
  #waiters: Waiter[] = [];

  private constructor(server: Server) {
    this.#server = server;
    server.on('connection', (socket) => {
      this.#accept(socket);
    });
  }

  /** Listens on 127.0.0.1 on a free port. */
  static async start(): Promise<FakeWatchServer> {
    const server = new FakeWatchServer(createServer());
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return address.port;
  }

  /** Open connections now. */
  get openConnections(): number {
    return this.#sockets.size;
  }

  /** Frames received so far of one type. */
  framesOf(type: UplinkType): ReceivedFrame[] {
    return this.received.filter((r) => r.frame.message.type === type);
  }

  /** Resolves with the first frame, already received or still to come, that matches. */
  waitFor(matches: (f: ReceivedFrame) => boolean, timeoutMs = 10_000): Promise<ReceivedFrame> {
    const seen = this.received.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        matches,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Resolves once `condition` holds (polled every 10 ms), or rejects after `timeoutMs`. */
  async waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Sends a command, or raw frame bytes, to the watch's latest connection. */
  send(deviceId: string, command: Command | Buffer): void {
    const socket = this.#sessions.get(deviceId);
    if (socket === undefined) throw new Error(`watch ${deviceId} is not connected`);
    socket.write(
      Buffer.isBuffer(command) ? command : encodeCommand({ vendor: '3G', deviceId }, command),
    );
  }

  /** Closes every connection and the listener. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  #accept(socket: Socket): void {
    this.connectionCount++;
    this.#sockets.add(socket);
    const splitter = new FrameSplitter();
    const remoteAddress = socket.remoteAddress ?? '';
    const sink: FrameSink = {
      frame: (bytes) => {
        this.#onFrame(socket, bytes, remoteAddress);
      },
      discard: (reason) => this.rejected.push(`discarded: ${reason}`),
    };
    socket.on('data', (chunk) => {
      this.readCount++;
      splitter.push(chunk, sink);
      // The gateway's sweep would release a frame held for a too-long LENGTH; do it at once.
      if (splitter.isHoldingFrame) splitter.flush(sink);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.#sockets.delete(socket));
  }

  #onFrame(socket: Socket, bytes: Buffer, remoteAddress: string): void {
    const result = decodeFrame(bytes);
    if (!result.ok) {
      this.rejected.push(result.reason);
      return;
    }
    const frame = result.frame;
    this.#sessions.set(frame.envelope.deviceId, socket);
    const received = { frame, remoteAddress, receivedAtMs: Date.now() };
    this.received.push(received);
    const reply = requiredReply(frame);
    if (reply !== undefined && this.#shouldAnswer(frame)) socket.write(reply.frame);
    for (const waiter of this.#waiters.filter((w) => w.matches(received))) {
      this.#waiters = this.#waiters.filter((w) => w !== waiter);
      waiter.resolve(received);
    }
  }

  #shouldAnswer(frame: DecodedFrame): boolean {
    const type = frame.message.type;
    if (type === 'alarmReport' && this.alarmsToIgnore > 0) {
      this.alarmsToIgnore--;
      return false;
    }
    return !this.unanswered.has(type);
  }
}
