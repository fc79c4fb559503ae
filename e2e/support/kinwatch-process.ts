import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin/kinwatch.mjs');
const START_TIMEOUT_MS = 60_000;

/** A real `kinwatch start` on a fresh data directory, on ports the system chose. */
export interface KinwatchProcess {
  readonly baseUrl: string;
  readonly httpPort: number;
  readonly gatewayPort: number;
  readonly dataDir: string;
  /** Everything the process logged, for failure messages. */
  readonly output: readonly string[];
  /** Sends `signal` and resolves with the exit code (null when killed by the signal). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /**
   * The `nth` (1-based) SMS code the file provider "sent" to `phone`, waiting up to 10 s for it
   * to appear in `<data dir>/sms-outbox.jsonl`.
   */
  smsCode(phone: string, nth?: number): Promise<string>;
  stop(): Promise<void>;
}

let isWebBuilt = false;

/** Builds the web app once per test process if its sources changed since the last build. */
export function ensureWebBuild(): void {
  if (isWebBuilt) return;
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts/ensure-web-build.mjs')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error('the web app did not build');
  isWebBuilt = true;
}

function stringField(entry: Record<string, unknown> | undefined, name: string): string {
  const value = entry?.[name];
  return typeof value === 'string' ? value : '';
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The environment of a test server: this process's own minus every KINWATCH_ setting, then the
 * data directory, loopback on ports the system picks, info logging (the line naming the bound
 * ports is an info line), and `extra`.
 */
export function kinwatchEnv(
  dataDir: string,
  extra: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('KINWATCH_')) env[name] = value;
  }
  return {
    ...env,
    KINWATCH_DATA_DIR: dataDir,
    KINWATCH_HTTP_HOST: '127.0.0.1',
    KINWATCH_HTTP_PORT: '0',
    KINWATCH_GATEWAY_HOST: '127.0.0.1',
    KINWATCH_GATEWAY_PORT: '0',
    KINWATCH_LOG_LEVEL: 'info',
    ...extra,
  };
}

/** The `kinwatch` CLI, for commands other than start (`watches provision`...). */
export const KINWATCH_CLI = CLI;

export interface StartOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** An existing data directory, kept at stop(); default a fresh one, deleted at stop(). */
  readonly dataDir?: string;
  /** Build the web app first when its sources changed. Default true. */
  readonly needsWebApp?: boolean;
}

export async function startKinwatch(options: StartOptions = {}): Promise<KinwatchProcess> {
  if (options.needsWebApp !== false) ensureWebBuild();
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kinwatch-e2e-')));
  const child: ChildProcess = spawn(process.execPath, [CLI, 'start'], {
    cwd: ROOT,
    env: kinwatchEnv(dataDir, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    output.push(line);
  });
  const ports = await new Promise<{ httpPort: number; gatewayPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Kinwatch did not start:\n${output.join('\n')}`));
    }, START_TIMEOUT_MS);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      output.push(line);
      const entry = parseJson(line);
      if (typeof entry?.['httpPort'] === 'number' && typeof entry['gatewayPort'] === 'number') {
        clearTimeout(timer);
        resolve({ httpPort: entry['httpPort'], gatewayPort: entry['gatewayPort'] });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Kinwatch exited (${code}) before starting:\n${output.join('\n')}`));
    });
  });
  const outbox = join(dataDir, 'sms-outbox.jsonl');
  return {
    ...ports,
    baseUrl: `http://127.0.0.1:${ports.httpPort}`,
    dataDir,
    output,
    async smsCode(phone: string, nth = 1): Promise<string> {
      const digits = phone.replace(/\D/g, '');
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const text = await readFile(outbox, 'utf8').catch(() => '');
        const codes = text
          .split('\n')
          .map(parseJson)
          .filter((entry) => stringField(entry, 'to').replace(/\D/g, '') === digits)
          .map((entry) => /\b(\d{6})\b/.exec(stringField(entry, 'text'))?.[1])
          .filter((code): code is string => code !== undefined);
        const code = codes[nth - 1];
        if (code !== undefined) return code;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no SMS code number ${nth} for ${phone} in ${outbox}`);
    },
    async kill(signal: NodeJS.Signals): Promise<number | null> {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async stop(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
