/**
 * Runs the real gateway (real TCP on 127.0.0.1, real SQLite in memory, the real services) for
 * tests, with short timeouts, and a raw test watch that speaks the protocol byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { systemClock } from '../observability/system-clock.ts';
import { encodeFrame, FrameSplitter } from '@kinwatch/protocol';
import {
  RecordingLogger,
  RecordingMetrics,
} from '../../../core/src/testing/recording-observability.ts';
import { MemoryBus } from '../adapters/bus-memory/memory-bus.ts';
import type { MasterKey } from '../adapters/crypto/master-key.ts';
import { migrateToLatest } from '../adapters/sql/migrations.ts';
import { openDatabase, type SqlDatabase } from '../adapters/sql/open-database.ts';
import { assembleGateway, type AssembledGateway } from '../gateway-assembly.ts';
import { DEFAULT_GATEWAY_OPTIONS, type GatewayOptions } from '../gateway/gateway-options.ts';

export interface RunningGateway extends AssembledGateway {
  readonly port: number;
  readonly logger: RecordingLogger;
  readonly metrics: RecordingMetrics;
  readonly database: SqlDatabase;
  readonly bus: MemoryBus;
  readonly masterKey: MasterKey;
  /** Provisions device ids and returns their watch ids. */
  provision(...deviceIds: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startGateway(
  options: Partial<GatewayOptions> = {},
  positionBatchWindowMs = 10,
): Promise<RunningGateway> {
  const database = await openDatabase('sqlite::memory:');
  await migrateToLatest(database);
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  const bus = new MemoryBus(logger);
  const masterKey: MasterKey = {
    bytes: randomBytes(32),
    id: 'test-key',
    origin: 'test',
    isNew: true,
  };
  const assembled = assembleGateway({
    database,
    masterKey,
    bus,
    clock: systemClock,
    logger,
    metrics,
    options: { ...DEFAULT_GATEWAY_OPTIONS, statusFlushSeconds: 1, ...options },
    positionBatchWindowMs,
    positionBatchMaxRows: 500,
    commandTtlSeconds: 3600,
  });
  const address = await assembled.listen(0, '127.0.0.1');
  return {
    ...assembled,
    port: address.port,
    logger,
    metrics,
    database,
    bus,
    masterKey,
    provision: async (...deviceIds) => {
      await assembled.watches.provision(deviceIds, new Date());
      const watches = await Promise.all(
        deviceIds.map((id) => assembled.watches.findByDeviceId(id)),
      );
      return watches.map((w) => w?.id ?? '');
    },
    stop: async () => {
      await assembled.close();
      await bus.close();
      await database.close();
    },
  };
}

/** A watch played by the test: raw bytes out, whole frames in. */
export class TestWatch {
  readonly socket: Socket;
  readonly received: string[] = [];
  readonly #waiters: { match: (frame: string) => boolean; resolve: (frame: string) => void }[] = [];
  #isClosed = false;
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    const splitter = new FrameSplitter();
    const sink = {
      frame: (bytes: Buffer) => {
        this.#onFrame(bytes.toString('latin1'));
      },
      discard: () => undefined,
    };
    socket.on('data', (chunk: Buffer) => {
      splitter.push(chunk, sink);
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.#isClosed = true;
        resolve();
      });
    });
  }

  static connect(port: number, localAddress = '127.0.0.1'): Promise<TestWatch> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', localAddress }, () => {
        resolve(new TestWatch(socket));
      });
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  send(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Sends `content` in a frame with an exact LENGTH. */
  sendFrame(deviceId: string, content: string, vendor = '3G'): void {
    this.send(encodeFrame({ vendor, deviceId }, content));
  }

  /** The next received frame (already received ones count) that `match` accepts. */
  waitFor(match: (frame: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const seen = this.received.findIndex(match);
    if (seen >= 0) return Promise.resolve(this.received.splice(seen, 1)[0] as string);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  #onFrame(frame: string): void {
    const index = this.#waiters.findIndex((w) => w.match(frame));
    if (index >= 0) {
      const [waiter] = this.#waiters.splice(index, 1);
      waiter?.resolve(frame);
      return;
    }
    this.received.push(frame);
  }
}

/** Polls `check` until it returns something defined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const UD_GPS =
  'UD,220414,134652,A,22.571707,N,113.8613968,E,3.1,142.0,100,7,60,90,1000,50,00000000,' +
  '1,1,460,0,9360,4082,131,0,12.5';

/** An alarm report with the given status word. */
export function alarmContent(status: string): string {
  return `AL,220414,134652,A,22.571707,N,113.8613968,E,0,0,100,7,60,90,1000,50,${status},0,0,8.0`;
}
