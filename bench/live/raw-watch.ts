/**
 * One watch on a plain TCP socket, as the latency benchmarks need it: frames written by hand
 * (`[3G*ID*LEN*CONTENT]`), every frame from the server time-stamped the moment its bytes are
 * split out of the socket, and commands acknowledged with their bare keyword as most firmware
 * does.
 */
import { connect, type Socket } from 'node:net';
import { decodeCommand, FrameSplitter } from '../../packages/protocol/src/index.ts';

/** A frame from the server and when its last byte was read (performance.now(), ms). */
export interface ArrivedFrame {
  readonly text: string;
  readonly at: number;
}

interface Waiter {
  readonly match: (frame: string) => boolean;
  readonly resolve: (frame: ArrivedFrame) => void;
}

/** `[3G*<id>*<LEN>*<content>]`, LEN the content's length in bytes as 4 hex digits. */
export function frameOf(deviceId: string, content: string): Buffer {
  const length = Buffer.byteLength(content, 'latin1').toString(16).toUpperCase().padStart(4, '0');
  return Buffer.from(`[3G*${deviceId}*${length}*${content}]`, 'latin1');
}

/** The keyword of a frame's content (`CR` in `[3G*…*0002*CR]`). */
export function keywordOf(frame: string): string {
  const content = frame.slice(frame.indexOf('*', frame.indexOf('*', 4) + 1) + 1, -1);
  const comma = content.indexOf(',');
  return comma < 0 ? content : content.slice(0, comma);
}

export class RawWatch {
  readonly deviceId: string;
  readonly socket: Socket;
  /** Every frame the server sent, in order. */
  readonly received: ArrivedFrame[] = [];
  /** Called for each frame as it arrives, before waiters. */
  onFrame: ((frame: ArrivedFrame) => void) | undefined;
  readonly #waiters: Waiter[] = [];

  private constructor(deviceId: string, socket: Socket) {
    this.deviceId = deviceId;
    this.socket = socket;
    socket.setNoDelay(true);
    const splitter = new FrameSplitter();
    const sink = {
      frame: (bytes: Buffer) => {
        this.#arrived({ text: bytes.toString('latin1'), at: performance.now() });
      },
      discard: () => undefined,
    };
    socket.on('data', (chunk: Buffer) => {
      splitter.push(chunk, sink);
    });
  }

  /** Connects from `localAddress` (127.x) and waits for the server's answer to an `LK`. */
  static async connect(
    port: number,
    deviceId: string,
    localAddress = '127.0.0.1',
  ): Promise<RawWatch> {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', () => undefined);
    const watch = new RawWatch(deviceId, socket);
    watch.send('LK,0,0,100');
    await watch.waitFor((frame) => keywordOf(frame) === 'LK', 60_000);
    return watch;
  }

  send(content: string): void {
    this.socket.write(frameOf(this.deviceId, content));
  }

  /** The first frame from now on (or already received and not yet taken) that `match` accepts. */
  waitFor(match: (frame: string) => boolean, timeoutMs: number): Promise<ArrivedFrame> {
    const seen = this.received.findIndex((f) => match(f.text));
    if (seen >= 0) return Promise.resolve(this.received.splice(seen, 1)[0] as ArrivedFrame);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`${this.deviceId}: no matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** The 6-digit code a `MESSAGE` (showText) command put on the screen. */
  async codeOnScreen(timeoutMs = 10_000): Promise<string> {
    const frame = await this.waitFor((f) => keywordOf(f) === 'MESSAGE', timeoutMs);
    const decoded = decodeCommand(Buffer.from(frame.text, 'latin1'));
    if (!decoded.ok || decoded.command.type !== 'showText') {
      throw new Error(`${this.deviceId}: not a text for the screen: ${frame.text}`);
    }
    const code = /([0-9]{6})/.exec(decoded.command.text)?.[1];
    if (code === undefined) throw new Error(`no code on the screen: ${decoded.command.text}`);
    return code;
  }

  close(): void {
    this.socket.destroy();
  }

  #arrived(frame: ArrivedFrame): void {
    const keyword = keywordOf(frame.text);
    // Anything but a reply to this watch's own frames is a command: acknowledged at once.
    if (keyword !== 'LK' && keyword !== 'AL') this.send(keyword);
    this.onFrame?.(frame);
    const waiter = this.#waiters.find((w) => w.match(frame.text));
    if (waiter === undefined) {
      this.received.push(frame);
      if (this.received.length > 1000) this.received.shift();
      return;
    }
    this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
    waiter.resolve(frame);
  }
}
