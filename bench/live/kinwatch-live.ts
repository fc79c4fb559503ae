/**
 * Kinwatch for the live-latency benchmarks, run as an operator runs it, and a guardian who uses
 * it the way the README shows: a login code read from `<data dir>/sms-outbox.jsonl`, a watch
 * bound with the code its screen shows, the live stream opened with the session cookie.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { assertPortFree, startProcess, stopProcess } from '../gateway/processes.ts';
import type { RawWatch } from './raw-watch.ts';

/** A port nothing listens on at the moment, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface LiveKinwatchOptions {
  readonly dataDir: string;
  readonly httpPort: number;
  readonly gatewayPort: number;
  /** Writes a V8 CPU profile of the server into this directory when it stops. */
  readonly cpuProfileDir?: string;
  /** More `KINWATCH_*` settings, e.g. to compare a setting's two values. */
  readonly serverEnv?: Readonly<Record<string, string>>;
}

export interface LiveKinwatch {
  readonly pid: number;
  readonly httpPort: number;
  readonly gatewayPort: number;
  readonly dataDir: string;
  /** The last lines the server wrote (warnings and errors). */
  readonly lastLines: readonly string[];
  stop(): Promise<void>;
}

/** Starts `node bin/kinwatch.mjs start` on `dataDir` and resolves once /ready answers 200. */
export async function startLiveKinwatch(options: LiveKinwatchOptions): Promise<LiveKinwatch> {
  await assertPortFree(options.httpPort);
  await assertPortFree(options.gatewayPort);
  const lastLines: string[] = [];
  const flags =
    options.cpuProfileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  const child: ChildProcess = startProcess(
    process.execPath,
    [...flags, 'bin/kinwatch.mjs', 'start'],
    {
      env: {
        KINWATCH_DATA_DIR: options.dataDir,
        KINWATCH_HTTP_HOST: '127.0.0.1',
        KINWATCH_HTTP_PORT: String(options.httpPort),
        KINWATCH_GATEWAY_HOST: '127.0.0.1',
        KINWATCH_GATEWAY_PORT: String(options.gatewayPort),
        KINWATCH_LOG_LEVEL: 'warn',
        // The whole fleet connects from a few loopback addresses.
        KINWATCH_GATEWAY_MAX_CONNECTIONS_PER_IP: '20000',
        KINWATCH_GATEWAY_MAX_CONNECTIONS: '19500',
        KINWATCH_GATEWAY_MAX_FRAMES_PER_SECOND: '5000',
        ...options.serverEnv,
      },
      onLine: (line) => {
        lastLines.push(line);
        if (lastLines.length > 60) lastLines.shift();
      },
    },
  );
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || performance.now() > deadline) {
      await stopProcess(child, 'SIGKILL');
      throw new Error(`Kinwatch did not start:\n${lastLines.join('\n')}`);
    }
    const status = await fetch(`http://127.0.0.1:${options.httpPort}/ready`, {
      signal: AbortSignal.timeout(5000),
    })
      .then((r) => r.status)
      .catch(() => 0);
    if (status === 200) break;
    await sleep(100);
  }
  return {
    pid: child.pid as number,
    httpPort: options.httpPort,
    gatewayPort: options.gatewayPort,
    dataDir: options.dataDir,
    lastLines,
    // SIGTERM lets a --cpu-prof server write its profile on the way out.
    stop: () => stopProcess(child, 'SIGTERM', 40_000),
  };
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A field of a JSON answer, by path (`watch.id`). */
export function field(answer: ApiAnswer, path: string): unknown {
  let value: unknown = answer.body;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

/** One guardian's browser: a kept-alive HTTP connection and the session cookie. */
export class Guardian {
  readonly phone: string;
  readonly #server: LiveKinwatch;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 4 });
  cookie: string | undefined;

  constructor(server: LiveKinwatch, phone: string) {
    this.#server = server;
    this.phone = phone;
  }

  request(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = {};
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie !== undefined) headers['cookie'] = `kinwatch_session=${this.cookie}`;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.#server.httpPort,
          method,
          path,
          headers,
          agent: this.#agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            for (const cookie of res.headers['set-cookie'] ?? []) {
              const match = /^kinwatch_session=([^;]*)/.exec(cookie);
              if (match !== null) this.cookie = match[1] === '' ? undefined : match[1];
            }
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text === '' ? undefined : JSON.parse(text);
            } catch {
              // Not JSON: keep the text.
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.end(payload);
    });
  }

  async post(path: string, body: unknown = {}): Promise<ApiAnswer> {
    return this.request('POST', path, body);
  }

  /** Asks for a login code, reads it from the SMS outbox file, logs in (registers). */
  async logIn(): Promise<void> {
    const otp = await this.post('/api/v1/auth/otp', { phone: this.phone });
    expectStatus(otp, 202, 'otp');
    const code = await codeFromOutbox(this.#server.dataDir, this.phone);
    const login = await this.post('/api/v1/auth/login', { phone: this.phone, code });
    expectStatus(login, 200, 'login');
    if (this.cookie === undefined) throw new Error('login set no session cookie');
  }

  /** Claims the connected watch, reads the code off its screen, confirms; the watch id. */
  async bind(watch: RawWatch, childName: string): Promise<string> {
    const claim = await this.post('/api/v1/watches/claims', { deviceId: watch.deviceId });
    expectStatus(claim, 201, 'claim');
    const code = await watch.codeOnScreen();
    const confirmed = await this.post(
      `/api/v1/watches/claims/${String(field(claim, 'claimId'))}/confirm`,
      { code, childName },
    );
    expectStatus(confirmed, 201, 'confirm');
    return String(field(confirmed, 'watch.id'));
  }

  /** Opens the live stream with the session cookie; resolves once `hello` arrived. */
  async openStream(
    onMessage: (message: Record<string, unknown>, at: number) => void,
  ): Promise<WebSocket> {
    const socket = new WebSocket(`ws://127.0.0.1:${this.#server.httpPort}/api/v1/stream`, {
      headers: { cookie: `kinwatch_session=${String(this.cookie)}` },
      perMessageDeflate: false,
    });
    const hello = new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.on('message', (data: Buffer) => {
        const at = performance.now();
        const message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
        if (message['type'] === 'hello') resolve();
        onMessage(message, at);
      });
    });
    await Promise.race([
      hello,
      sleep(10_000).then(() => {
        throw new Error('no hello on the stream within 10 s');
      }),
    ]);
    socket.on('error', () => undefined);
    return socket;
  }

  close(): void {
    this.#agent.destroy();
  }
}

function expectStatus(answer: ApiAnswer, status: number, what: string): void {
  if (answer.status !== status) {
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

/** The newest code sent to `phone` (E.164) in the outbox, waiting up to 10 s for it. */
async function codeFromOutbox(dataDir: string, phone: string): Promise<string> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const text = await readFile(join(dataDir, 'sms-outbox.jsonl'), 'utf8').catch(() => '');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    for (const line of lines.reverse()) {
      const sms = JSON.parse(line) as { to?: string; text?: string };
      const code = /\b([0-9]{6})\b/.exec(sms.text ?? '')?.[1];
      if (sms.to === phone && code !== undefined) return code;
    }
    if (performance.now() > deadline) throw new Error(`no SMS to ${phone} in the outbox`);
    await sleep(50);
  }
}
