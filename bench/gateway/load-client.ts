/**
 * The load side of the gateway benchmarks: one process per share of the connections (a process
 * holds at most about 19,900 sockets here). An orchestrator starts it with an IPC channel and
 * sends the task as the first message (load-messages.ts). It is lean on purpose, so that it is
 * not what limits the server: no timer per socket, no parsing beyond finding the `]` that ends
 * a reply, and it exits when its parent goes away.
 *
 *   closedLoop: N connections each send a keep-alive, wait for the reply and send again;
 *               latency of every round trip after the warm-up is kept (µs, exact percentiles).
 *   fleet:      watches connect (bounded connects in flight), send one keep-alive, wait for its
 *               reply and stay idle; on `storm` all drop at once (RST) and reconnect.
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  keepAliveFrame,
  type ClientMessage,
  type ClosedLoopTask,
  type FleetOrder,
  type FleetTask,
  type LatencySummary,
  type LoadTask,
} from './load-messages.ts';

const CLOSE_BRACKET = 0x5d;
/** Round trips whose latency is kept; beyond this they are counted only. */
const MAX_LATENCY_SAMPLES = 8_000_000;
const MAX_ATTEMPTS_PER_WATCH = 50;

function tell(message: ClientMessage): void {
  process.send?.(message);
}

function countFrameEnds(chunk: Buffer): number {
  let count = 0;
  for (let i = chunk.indexOf(CLOSE_BRACKET); i !== -1; i = chunk.indexOf(CLOSE_BRACKET, i + 1)) {
    count++;
  }
  return count;
}

/** Starts connects in order, at most `max` of them unfinished at once. */
class ConnectQueue {
  readonly #max: number;
  #waiting: ((release: () => void) => void)[] = [];
  #next = 0;
  #inFlight = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** `start` opens one connection and calls `release` once it has connected or failed. */
  run(start: (release: () => void) => void): void {
    this.#waiting.push(start);
    this.#pump();
  }

  #pump(): void {
    while (this.#inFlight < this.#max && this.#next < this.#waiting.length) {
      const start = this.#waiting[this.#next++] as (release: () => void) => void;
      this.#inFlight++;
      let isReleased = false;
      start(() => {
        if (isReleased) return;
        isReleased = true;
        this.#inFlight--;
        this.#pump();
      });
    }
    if (this.#next === this.#waiting.length) {
      this.#waiting = [];
      this.#next = 0;
    }
  }
}

function openSocket(task: LoadTask, index: number): Socket {
  const localAddress = task.sources[index % task.sources.length];
  return connect({ host: task.host, port: task.port, localAddress, noDelay: true });
}

function summarize(latencies: Uint32Array): LatencySummary {
  const sorted = latencies.slice().sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    count: sorted.length,
    p50Us: at(0.5),
    p90Us: at(0.9),
    p99Us: at(0.99),
    p999Us: at(0.999),
    maxUs: sorted.at(-1) ?? 0,
  };
}

/** Shared state of a closed loop: whether to keep sending, whether round trips count. */
class LoopState {
  readonly sockets: Socket[] = [];
  isRunning = false;
  isMeasuring = false;
  roundTrips = 0;
  closedByServer = 0;
  readonly latencies = new Uint32Array(MAX_LATENCY_SAMPLES);
  samples = 0;

  record(elapsedMs: number): void {
    if (!this.isMeasuring) return;
    this.roundTrips++;
    if (this.samples < MAX_LATENCY_SAMPLES) this.latencies[this.samples++] = elapsedMs * 1000;
  }
}

/** Wires one closed-loop connection; returns the function that sends its first frame. */
function loopConnection(socket: Socket, frame: Buffer, state: LoopState): () => void {
  let sentAt = 0;
  socket.on('data', (chunk: Buffer) => {
    for (let replies = countFrameEnds(chunk); replies > 0; replies--) {
      const now = performance.now();
      state.record(now - sentAt);
      if (!state.isRunning) return;
      sentAt = now;
      socket.write(frame);
    }
  });
  socket.on('close', () => {
    if (state.isRunning) state.closedByServer++;
  });
  return () => {
    sentAt = performance.now();
    socket.write(frame);
  };
}

function connectAllOrFail(task: ClosedLoopTask, state: LoopState): Promise<(() => void)[]> {
  const queue = new ConnectQueue(task.maxConnectsInFlight);
  const starters: (() => void)[] = [];
  return new Promise((resolve, reject) => {
    for (let i = 0; i < task.connections; i++) {
      queue.run((release) => {
        const socket = openSocket(task, i);
        socket.once('error', (error) => {
          release();
          reject(new Error(`connection ${i}: ${error.message}`));
        });
        socket.once('connect', () => {
          release();
          state.sockets.push(socket);
          starters.push(loopConnection(socket, keepAliveFrame(task.firstDeviceId + i), state));
          if (starters.length === task.connections) resolve(starters);
        });
      });
    }
  });
}

async function runClosedLoop(task: ClosedLoopTask): Promise<void> {
  const state = new LoopState();
  const starters = await connectAllOrFail(task, state);
  tell({ type: 'connected', connections: starters.length });
  state.isRunning = true;
  for (const start of starters) start();
  await sleep(task.warmupSeconds * 1000);
  state.isMeasuring = true;
  const measureStart = performance.now();
  tell({ type: 'measuring' });
  await sleep(task.measureSeconds * 1000);
  state.isMeasuring = false;
  const seconds = (performance.now() - measureStart) / 1000;
  state.isRunning = false;
  tell({
    type: 'measured',
    result: {
      roundTrips: state.roundTrips,
      seconds,
      roundTripsPerSecond: state.roundTrips / seconds,
      latency: summarize(state.latencies.subarray(0, state.samples)),
      closedByServer: state.closedByServer,
    },
  });
  for (const socket of state.sockets) socket.resetAndDestroy();
  await sleep(300);
  process.exit(0);
}

/** Watches that connect, are answered once, then hold their connection idle. */
class Fleet {
  readonly #task: FleetTask;
  readonly #frames: Buffer[];
  readonly #sockets: (Socket | undefined)[];
  readonly #queue: ConnectQueue;
  /** Events of connections from an earlier round are ignored. */
  #generation = 0;
  #answered = 0;
  #failed = 0;
  #retries = 0;
  #closedByServer = 0;
  #lastConnectedAt = 0n;
  #lastAnsweredAt = 0n;
  #deadline = 0;
  #finish: (() => void) | undefined;

  constructor(task: FleetTask) {
    this.#task = task;
    this.#frames = Array.from({ length: task.watches }, (_, i) =>
      keepAliveFrame(task.firstDeviceId + i),
    );
    this.#sockets = new Array<Socket | undefined>(task.watches);
    this.#queue = new ConnectQueue(task.maxConnectsInFlight);
  }

  async run(order: FleetOrder): Promise<void> {
    const startedAt = process.hrtime.bigint();
    if (order !== 'connect') this.#dropAll();
    if (order !== 'close') await this.#connectAll();
    tell({
      type: 'fleet',
      report: {
        order,
        watches: this.#task.watches,
        answered: order === 'close' ? 0 : this.#answered,
        failed: this.#failed,
        retries: this.#retries,
        closedByServer: this.#closedByServer,
        startedAtNs: String(startedAt),
        lastConnectedAtNs: String(this.#lastConnectedAt),
        lastAnsweredAtNs: String(this.#lastAnsweredAt),
      },
    });
    this.#closedByServer = 0;
  }

  /** Drops every connection with a reset, so neither end is left in TIME_WAIT. */
  #dropAll(): void {
    this.#generation++;
    for (const socket of this.#sockets) socket?.resetAndDestroy();
    this.#sockets.fill(undefined);
  }

  async #connectAll(): Promise<void> {
    this.#answered = 0;
    this.#failed = 0;
    this.#retries = 0;
    this.#deadline = performance.now() + this.#task.deadlineSeconds * 1000;
    const done = new Promise<void>((resolve) => {
      this.#finish = resolve;
    });
    for (let i = 0; i < this.#task.watches; i++) this.#attempt(i, 1);
    const timer = setTimeout(() => this.#finish?.(), this.#task.deadlineSeconds * 1000);
    await done;
    clearTimeout(timer);
  }

  #attempt(index: number, attempt: number, generation = this.#generation): void {
    this.#queue.run((release) => {
      if (generation !== this.#generation) {
        release();
        return;
      }
      const socket = openSocket(this.#task, index);
      this.#sockets[index] = socket;
      let isAnswered = false;
      socket.on('error', () => undefined);
      socket.once('connect', () => {
        if (this.#task.releaseOn === 'connect') release();
        this.#lastConnectedAt = process.hrtime.bigint();
        socket.write(this.#frames[index] as Buffer);
      });
      socket.on('data', (chunk: Buffer) => {
        if (isAnswered || !chunk.includes(CLOSE_BRACKET)) return;
        isAnswered = true;
        release();
        this.#onAnswered();
      });
      socket.once('close', () => {
        release();
        if (generation !== this.#generation) return;
        if (isAnswered) this.#closedByServer++;
        else this.#retry(index, attempt, generation);
      });
    });
  }

  #retry(index: number, attempt: number, generation: number): void {
    if (attempt >= MAX_ATTEMPTS_PER_WATCH || performance.now() > this.#deadline) {
      this.#failed++;
      this.#checkDone();
      return;
    }
    this.#retries++;
    // A retry scheduled before the fleet was dropped belongs to the old round: skipped.
    setTimeout(() => {
      this.#attempt(index, attempt + 1, generation);
    }, this.#task.retryDelayMs);
  }

  #onAnswered(): void {
    this.#answered++;
    this.#lastAnsweredAt = process.hrtime.bigint();
    this.#checkDone();
  }

  #checkDone(): void {
    if (this.#answered + this.#failed >= this.#task.watches) this.#finish?.();
  }
}

/** Runs the orders of the orchestrator one after another. */
function runFleet(task: FleetTask): Promise<void> {
  const fleet = new Fleet(task);
  let work = Promise.resolve();
  process.on('message', (order: FleetOrder) => {
    work = work
      .then(async () => {
        await fleet.run(order);
        if (order === 'close') {
          // Let the resets leave before the process (and its sockets) goes away.
          await sleep(300);
          process.exit(0);
        }
      })
      .catch(fail);
  });
  return Promise.resolve();
}

function fail(error: unknown): void {
  tell({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
}

process.on('disconnect', () => process.exit(0));
process.once('message', (task: LoadTask) => {
  const run = task.kind === 'closedLoop' ? runClosedLoop(task) : runFleet(task);
  run.catch(fail);
});
