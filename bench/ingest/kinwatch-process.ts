/**
 * Runs Kinwatch as a separate process the way an operator does (`kinwatch start`), for the
 * ingest benchmark: ports chosen by the system and read from its log, provisioning through the
 * CLI, /metrics over HTTP, stopped by pid.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO_ROOT, 'bin', 'kinwatch.mjs');
const START_TIMEOUT_MS = 60_000;
/** Every child started and not yet exited, so that an interrupted run can kill them. */
const running = new Set<ChildProcess>();

/** SIGKILLs every Kinwatch this module started that is still running. */
export function killAllStarted(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface KinwatchSettings {
  readonly dataDir: string;
  /** Default: SQLite in the data directory. */
  readonly databaseUrl?: string;
  /** More KINWATCH_* variables. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** The environment of a Kinwatch command: ours, without any KINWATCH_* of the caller. */
export function kinwatchEnv(settings: KinwatchSettings): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('KINWATCH_') && name !== 'NODE_OPTIONS') env[name] = value;
  }
  return {
    ...env,
    KINWATCH_DATA_DIR: settings.dataDir,
    KINWATCH_HTTP_HOST: '127.0.0.1',
    KINWATCH_HTTP_PORT: '0',
    KINWATCH_GATEWAY_HOST: '127.0.0.1',
    KINWATCH_GATEWAY_PORT: '0',
    // Info, for the line that names the bound ports; steady traffic logs nothing at info.
    KINWATCH_LOG_LEVEL: 'info',
    ...(settings.databaseUrl === undefined ? {} : { KINWATCH_DATABASE_URL: settings.databaseUrl }),
    ...settings.extra,
  };
}

/** `kinwatch watches provision --from-file`; throws with its output when it fails. */
export function provisionWatches(settings: KinwatchSettings, deviceIds: readonly string[]): void {
  const file = join(settings.dataDir, 'provision.txt');
  writeFileSync(file, `${deviceIds.join('\n')}\n`);
  const result = spawnSync(process.execPath, [CLI, 'watches', 'provision', '--from-file', file], {
    cwd: REPO_ROOT,
    env: kinwatchEnv(settings),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`provisioning failed (${result.status}): ${result.stderr}${result.stdout}`);
  }
}

export interface StartOptions {
  /** Pins the process to this CPU with taskset. */
  readonly cpu?: number | undefined;
  /** Node flags for the server, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  readonly nodeArgs?: readonly string[] | undefined;
}

/** A running `kinwatch start`. */
export class KinwatchProcess {
  readonly child: ChildProcess;
  readonly httpPort: number;
  readonly gatewayPort: number;
  readonly exited: Promise<number | null>;
  readonly #log: string[];

  private constructor(
    child: ChildProcess,
    ports: { httpPort: number; gatewayPort: number },
    log: string[],
    exited: Promise<number | null>,
  ) {
    this.child = child;
    this.httpPort = ports.httpPort;
    this.gatewayPort = ports.gatewayPort;
    this.#log = log;
    this.exited = exited;
  }

  static async start(settings: KinwatchSettings, options: StartOptions = {}) {
    const env = kinwatchEnv(settings);
    const node = [process.execPath, ...(options.nodeArgs ?? []), CLI, 'start'];
    const [command, ...args] =
      options.cpu === undefined ? node : ['taskset', '-c', String(options.cpu), ...node];
    const child = spawn(command as string, args, {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const log: string[] = [];
    const remember = (line: string) => {
      log.push(line);
      if (log.length > 200) log.shift();
    };
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve(code ?? (signal === null ? null : -1));
      });
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', remember);
    const ports = await new Promise<{ httpPort: number; gatewayPort: number }>(
      (resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`Kinwatch did not start in time:\n${log.join('\n')}`));
        }, START_TIMEOUT_MS);
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
          remember(line);
          const entry = parseLine(line);
          if (typeof entry?.['httpPort'] === 'number' && typeof entry['gatewayPort'] === 'number') {
            clearTimeout(timer);
            resolve({ httpPort: entry['httpPort'], gatewayPort: entry['gatewayPort'] });
          }
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`Kinwatch exited (${code}) before it started:\n${log.join('\n')}`));
        });
      },
    ).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return new KinwatchProcess(child, ports, log, exited);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The last lines it wrote, for error messages. */
  get logTail(): string {
    return this.#log.slice(-20).join('\n');
  }

  async metrics(): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`http://127.0.0.1:${this.httpPort}/metrics`);
    } catch (error) {
      // Most often the server has died: say so, with what it last wrote.
      const state =
        this.child.exitCode !== null || this.child.signalCode !== null
          ? `exited (${this.child.exitCode ?? this.child.signalCode})`
          : 'running';
      throw new Error(`/metrics unreachable, Kinwatch ${state}; its last lines:\n${this.logTail}`, {
        cause: error,
      });
    }
    if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
    return response.text();
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  async stop(graceMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
