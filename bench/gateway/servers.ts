/**
 * The two servers every gateway benchmark compares: the bare echo baseline (echo-server.ts) and
 * Kinwatch itself, started as `node bin/kinwatch.mjs start` exactly as an operator runs it,
 * each in its own process pinned to the server CPU, and stopped by pid.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SERVER_CPU,
  assertPortFree,
  startNodeScript,
  startProcess,
  stopProcess,
  waitForExit,
} from './processes.ts';

export interface ServerUnderTest {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** Connections the server itself counts as open. */
  connectionCount(): Promise<number>;
  /** Log lines matching `pattern` so far. */
  countLog(pattern: RegExp): number;
  /** The server's own counters of closed and refused connections, by label (none for echo). */
  connectionCounters(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  readonly port: number;
  /** Inspector port for collectGarbage(); the inspector stays closed until then. */
  readonly inspectPort?: number;
  /** Writes a V8 CPU profile of the server into this directory when it stops. */
  readonly cpuProfileDir?: string;
  /** Listen backlog of the echo server; default 4096, as Kinwatch's gateway uses. */
  readonly backlog?: number;
  /** More Node flags for diagnostics (heap snapshots...). */
  readonly extraNodeFlags?: readonly string[];
}

/** Node flags for the server process (given on its command line: NODE_OPTIONS refuses --cpu-prof). */
function nodeFlags(options: ServerOptions): string[] {
  const flags: string[] = [];
  if (options.inspectPort !== undefined)
    flags.push(`--inspect-port=127.0.0.1:${options.inspectPort}`);
  if (options.cpuProfileDir !== undefined)
    flags.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  return [...flags, ...(options.extraNodeFlags ?? [])];
}

/** Keeps the last lines of a process's output for error messages, and counts matches. */
class OutputLog {
  readonly lines: string[] = [];
  readonly #all: string[] = [];

  add = (line: string): void => {
    this.#all.push(line);
    this.lines.push(line);
    if (this.lines.length > 40) this.lines.shift();
  };

  count(pattern: RegExp): number {
    return this.#all.filter((line) => pattern.test(line)).length;
  }
}

async function until<T>(
  child: ChildProcess,
  log: OutputLog,
  probe: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(100);
  }
  await stopProcess(child, 'SIGKILL');
  throw new Error(`${what} did not start:\n${log.lines.join('\n')}`);
}

/** Starts the bare echo server in `raw` or `reg` mode. */
export async function startEchoServer(
  mode: 'raw' | 'reg',
  options: ServerOptions,
): Promise<ServerUnderTest> {
  await assertPortFree(options.port);
  const log = new OutputLog();
  const statuses: string[] = [];
  const child = startNodeScript(
    'bench/gateway/echo-server.ts',
    [
      '--port',
      String(options.port),
      '--mode',
      mode,
      ...(options.backlog === undefined ? [] : ['--backlog', String(options.backlog)]),
    ],
    {
      cpu: SERVER_CPU,
      nodeArgs: nodeFlags(options),
      onLine: (line) => {
        log.add(line);
        if (line.startsWith('{"connections"')) statuses.push(line);
      },
    },
  );
  const listening = () =>
    Promise.resolve(log.lines.some((l) => l.startsWith('{"listening"')) ? true : undefined);
  await until(child, log, listening, `echo server (${mode})`);
  return {
    name: `bare echo (${mode})`,
    pid: child.pid as number,
    port: options.port,
    async connectionCount() {
      const seen = statuses.length;
      child.kill('SIGUSR2');
      const status = await until(child, log, () => Promise.resolve(statuses[seen]), 'echo status');
      return (JSON.parse(status) as { connections: number }).connections;
    },
    countLog: (pattern) => log.count(pattern),
    connectionCounters: () => Promise.resolve({}),
    stop: () => stopProcess(child),
  };
}

export interface KinwatchSetup {
  readonly dataDir: string;
  readonly firstDeviceId: number;
  readonly watches: number;
  remove(): Promise<void>;
}

/**
 * A fresh data directory with `watches` provisioned ids from `firstDeviceId` on, through the
 * operator's command (`kinwatch watches provision --from-file`).
 */
export async function provisionKinwatch(
  firstDeviceId: number,
  watches: number,
): Promise<KinwatchSetup> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kinwatch-bench-'));
  const file = join(dataDir, 'watch-ids.txt');
  const ids = Array.from({ length: watches }, (_, i) => String(firstDeviceId + i));
  await writeFile(file, `${ids.join('\n')}\n`);
  const log = new OutputLog();
  const child = startProcess(
    process.execPath,
    ['bin/kinwatch.mjs', 'watches', 'provision', '--from-file', file],
    {
      env: { KINWATCH_DATA_DIR: dataDir, KINWATCH_LOG_LEVEL: 'warn' },
      onLine: log.add,
    },
  );
  const code = await waitForExit(child, 300_000);
  if (code !== 0) throw new Error(`provisioning failed (${code}):\n${log.lines.join('\n')}`);
  return {
    dataDir,
    firstDeviceId,
    watches,
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
}

export interface KinwatchOptions extends ServerOptions {
  readonly httpPort: number;
  readonly setup: KinwatchSetup;
}

/** Samples of the metrics whose name starts with `prefix`, keyed by name and labels. */
async function scrape(httpPort: number, prefix: string): Promise<Record<string, number>> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
  const samples: Record<string, number> = {};
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const at = line.lastIndexOf(' ');
    samples[line.slice(0, at)] = Number(line.slice(at + 1));
  }
  return samples;
}

/** Starts Kinwatch on the setup's data directory and resolves once /ready answers 200. */
export async function startKinwatch(options: KinwatchOptions): Promise<ServerUnderTest> {
  await assertPortFree(options.port);
  await assertPortFree(options.httpPort);
  const log = new OutputLog();
  const child = startProcess(
    process.execPath,
    [...nodeFlags(options), 'bin/kinwatch.mjs', 'start'],
    {
      cpu: SERVER_CPU,
      env: {
        KINWATCH_DATA_DIR: options.setup.dataDir,
        KINWATCH_HTTP_HOST: '127.0.0.1',
        KINWATCH_HTTP_PORT: String(options.httpPort),
        KINWATCH_GATEWAY_HOST: '127.0.0.1',
        KINWATCH_GATEWAY_PORT: String(options.port),
        KINWATCH_LOG_LEVEL: 'warn',
        KINWATCH_GATEWAY_MAX_CONNECTIONS_PER_IP: '20000',
        KINWATCH_GATEWAY_MAX_CONNECTIONS: '19500',
        // A closed loop sends far more often than a watch; the flood limit must not end the run.
        KINWATCH_GATEWAY_MAX_FRAMES_PER_SECOND: '5000',
      },
      onLine: log.add,
    },
  );
  const ready = async () => {
    const response = await fetch(`http://127.0.0.1:${options.httpPort}/ready`);
    return response.status === 200 ? true : undefined;
  };
  await until(child, log, ready, 'Kinwatch');
  return {
    name: 'Kinwatch',
    pid: child.pid as number,
    port: options.port,
    async connectionCount() {
      const samples = await scrape(options.httpPort, 'kinwatch_gateway_connections');
      return samples.kinwatch_gateway_connections ?? -1;
    },
    countLog: (pattern) => log.count(pattern),
    async connectionCounters() {
      return {
        ...(await scrape(options.httpPort, 'kinwatch_gateway_closed_total')),
        ...(await scrape(options.httpPort, 'kinwatch_gateway_refused_total')),
      };
    },
    stop: () => stopProcess(child, 'SIGTERM', 40_000),
  };
}
