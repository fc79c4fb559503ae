/**
 * The processes a benchmark starts (servers, load clients), pinned to a CPU with `taskset`, and
 * stopped by pid: one at a time when a step is done, and all of them when the benchmark exits,
 * fails or is interrupted.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where benchmark processes live: the server on CPU 0, the load on CPU 1 (performance.md §1). */
export const SERVER_CPU = 0;
export const CLIENT_CPU = 1;

const running = new Set<ChildProcess>();

export interface StartOptions {
  /** CPU to pin the process to; undefined leaves it unpinned. */
  readonly cpu?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** Opens a Node IPC channel (the child must be a Node process). */
  readonly ipc?: boolean;
  /** Called with each line the process writes to stdout or stderr. */
  readonly onLine?: (line: string) => void;
}

/** Starts `command`; the pid is the command's own (taskset execs it). */
export function startProcess(
  command: string,
  args: readonly string[],
  options: StartOptions = {},
): ChildProcess {
  const argv =
    options.cpu === undefined
      ? [command, ...args]
      : ['taskset', '-c', String(options.cpu), command, ...args];
  const stdio: StdioOptions =
    options.ipc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'];
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio,
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  running.add(child);
  child.once('exit', () => running.delete(child));
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    createInterface({ input: stream }).on('line', (line) => options.onLine?.(line));
  }
  return child;
}

/** A Node process running a TypeScript file of this repository through tsx. */
export function startNodeScript(
  script: string,
  args: readonly string[],
  options: StartOptions & { readonly nodeArgs?: readonly string[] } = {},
): ChildProcess {
  const nodeArgs = ['--import', 'tsx', ...(options.nodeArgs ?? []), script, ...args];
  return startProcess(process.execPath, nodeArgs, options);
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal` to the pid, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 15_000,
): Promise<void> {
  if (hasExited(child)) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when the process exits; rejects if it has not exited within `timeoutMs`. */
export async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (hasExited(child)) return child.exitCode;
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const [code] = await exited;
    return code;
  } finally {
    clearTimeout(timer);
  }
}

function killEverything(): void {
  for (const child of running) {
    if (!hasExited(child) && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }
}

/**
 * Kills every process this benchmark started, by pid, when it exits for any reason: normal end,
 * an uncaught error, or SIGINT/SIGTERM.
 */
export function stopAllOnExit(): void {
  process.once('exit', killEverything);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping ${running.size} benchmark processes`);
      killEverything();
      process.exit(130);
    });
  }
}

/** Throws when something already listens on (or holds) 127.0.0.1:port. */
export async function assertPortFree(port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: Error) => {
      reject(new Error(`port ${port} is in use (${error.message}); pick other ports`));
    });
    probe.listen(port, '127.0.0.1', resolve);
  });
  await new Promise((resolve) => probe.close(resolve));
}
