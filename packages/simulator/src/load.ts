/**
 * Load mode: a fleet split over several processes, because one process holds at most about
 * 20,000 file descriptors here and should keep headroom (at most 15,000 watches each). The
 * parent forks one worker per share, adds up their figures as they come, and stops them all
 * after the duration. It only ever targets 127.0.0.0/8.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FIRST_DEVICE_ID, isLoopbackHost, type FleetOptions } from './fleet.ts';
import { sumStats, type StatsSnapshot, type WatchStats } from './watch-stats.ts';

/** Watches one load process may hold. */
export const MAX_WATCHES_PER_PROCESS = 15_000;
/** Connects in flight across all processes. */
const CONNECTS_IN_FLIGHT = 2000;
/** How long workers get to close their connections after the duration, before being killed. */
const STOP_GRACE_MS = 10_000;

export interface LoadOptions extends Omit<FleetOptions, 'maxConnectsInFlight'> {
  /** Default: as few as keep each under `MAX_WATCHES_PER_PROCESS`. */
  readonly processes?: number;
  /** The run stops by itself after this many seconds. */
  readonly durationSeconds: number;
  /** How often `onStats` is called, in seconds. Default 1. */
  readonly reportEverySeconds?: number;
  /** The figures so far, summed over processes. */
  readonly onStats?: (stats: WatchStats, elapsedSeconds: number) => void;
  /** Stops the run early (the workers still close their connections). */
  readonly signal?: AbortSignal;
}

/** What a worker is told to run (sent over IPC). */
export interface WorkerTask extends FleetOptions {
  readonly durationSeconds: number;
  readonly reportEverySeconds: number;
}

/** What a worker reports. */
export interface WorkerReport {
  readonly stats: StatsSnapshot;
  readonly isFinal: boolean;
}

/** Splits the fleet into per-process tasks. Throws RangeError when a share would be too big. */
export function planLoad(options: LoadOptions): WorkerTask[] {
  if (!isLoopbackHost(options.host)) {
    throw new RangeError(`load mode targets 127.x only; refusing ${options.host}`);
  }
  if (!(options.durationSeconds > 0)) throw new RangeError('load mode needs a duration');
  const processes = options.processes ?? Math.ceil(options.watches / MAX_WATCHES_PER_PROCESS);
  if (!(Number.isInteger(processes) && processes >= 1 && processes <= options.watches)) {
    throw new RangeError('processes must be from 1 to the number of watches');
  }
  if (Math.ceil(options.watches / processes) > MAX_WATCHES_PER_PROCESS) {
    throw new RangeError(`at most ${MAX_WATCHES_PER_PROCESS} watches a process`);
  }
  // Plain data only: the task travels to the worker over IPC.
  const { host, port, sourceAddresses, rampSeconds, routes, watch, durationSeconds } = options;
  const shared = { host, port, sourceAddresses, rampSeconds, routes, watch, durationSeconds };
  const firstId = options.firstDeviceId ?? DEFAULT_FIRST_DEVICE_ID;
  const tasks: WorkerTask[] = [];
  let assigned = 0;
  for (let i = 0; i < processes; i++) {
    const watches = Math.floor((options.watches * (i + 1)) / processes) - assigned;
    tasks.push({
      ...shared,
      watches,
      firstDeviceId: firstId + assigned,
      seed: (options.seed ?? 1) * 1000 + i,
      maxConnectsInFlight: Math.max(1, Math.floor(CONNECTS_IN_FLIGHT / processes)),
      reportEverySeconds: options.reportEverySeconds ?? 1,
    });
    assigned += watches;
  }
  return tasks;
}

function forkWorker(task: WorkerTask, onReport: (report: WorkerReport) => void): ChildProcess {
  const entry = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
  // The worker is TypeScript too: load it through the same tsx the parent runs under.
  const child = fork(entry, [], { execArgv: ['--import', import.meta.resolve('tsx')] });
  child.on('message', (message) => {
    onReport(message as WorkerReport);
  });
  child.send(task);
  return child;
}

/**
 * Runs the load and resolves with the final figures once every worker has exited (or been
 * killed after a grace period). Throws RangeError for a non-loopback host or an oversize share.
 */
export async function runLoad(options: LoadOptions): Promise<WatchStats> {
  const tasks = planLoad(options);
  const latest = new Map<number, StatsSnapshot>();
  const startedAt = Date.now();
  const children = tasks.map((task, i) =>
    forkWorker(task, (report) => latest.set(i, report.stats)),
  );
  const exited = children.map((child) => once(child, 'exit'));
  const reporter = setInterval(
    () => {
      options.onStats?.(sumStats(latest.values()), (Date.now() - startedAt) / 1000);
    },
    (options.reportEverySeconds ?? 1) * 1000,
  );
  const stopAll = () => {
    for (const child of children) if (child.connected) child.send('stop');
  };
  options.signal?.addEventListener('abort', stopAll, { once: true });
  const killRemaining = () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };
  // Workers stop themselves after the duration; anything still running after the grace is killed.
  const killer = setTimeout(killRemaining, options.durationSeconds * 1000 + STOP_GRACE_MS);
  try {
    await Promise.all(exited);
  } finally {
    clearInterval(reporter);
    clearTimeout(killer);
    options.signal?.removeEventListener('abort', stopAll);
    killRemaining();
  }
  return sumStats(latest.values());
}
