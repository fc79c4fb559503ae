/**
 * Runs the guardian API for tests on top of the real gateway harness (real TCP, SQLite in
 * memory): fastify's inject for requests, an SMS sender that keeps what it sent, a clock the
 * test can move forward, and helpers for the common steps (log in, bind a watch).
 */
import assert from 'node:assert/strict';
import type {
  Clock,
  EmailMessage,
  EmailSender,
  PushSender,
  SmsLimits,
  SmsMessage,
  SmsSender,
} from '@kinwatch/core';
import { decodeCommand } from '@kinwatch/protocol';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { RecordingLogger } from '../../../core/src/testing/recording-observability.ts';
import { assembleApi } from '../api-assembly.ts';
import { registerApi } from '../api/api-plugin.ts';
import type { ApiServices } from '../api/api-services.ts';
import type { DemoFamilies } from '../demo/demo-families.ts';
import type { AlertPipeline } from '../jobs/alert-pipeline.job.ts';
import type { NotificationDispatch } from '../jobs/notification-dispatch.job.ts';
import { generateVapidKeys } from '../adapters/push/vapid-keys.ts';
import { WebPushSender } from '../adapters/push/web-push-sender.ts';
import { createHttpServer } from '../http/http-server.ts';
import { PrometheusMetrics } from '../observability/prometheus-metrics.ts';
import { startGateway, TestWatch, type RunningGateway } from './gateway-harness.ts';

/** The system clock, moved forward by the test. */
export class TestClock implements Clock {
  #offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}

export class RecordingSmsSender implements SmsSender {
  readonly sent: SmsMessage[] = [];

  send(message: SmsMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }

  /** The code in the newest message to `phone`. */
  lastCodeTo(phone: string): string {
    const message = this.sent.findLast((m) => m.to === phone);
    const code = /\b([0-9]{6})\b/.exec(message?.text ?? '')?.[1];
    if (code === undefined) throw new Error(`no code was sent to ${phone}`);
    return code;
  }
}

export class RecordingEmailSender implements EmailSender {
  readonly sent: EmailMessage[] = [];

  send(message: EmailMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }

  /** The code in the newest message to `address`. */
  lastCodeTo(address: string): string {
    const message = this.sent.findLast((m) => m.to === address);
    const code = /\b([0-9]{6})\b/.exec(message?.text ?? '')?.[1];
    if (code === undefined) throw new Error(`no code was sent to ${address}`);
    return code;
  }
}

export interface RunningApi {
  readonly app: FastifyInstance;
  readonly gateway: RunningGateway;
  readonly services: ApiServices;
  readonly sms: RecordingSmsSender;
  readonly clock: TestClock;
  readonly logger: RecordingLogger;
  readonly demo: DemoFamilies | undefined;
  readonly alertPipeline: AlertPipeline;
  readonly notificationDispatch: NotificationDispatch;
  /** What was e-mailed, unless the test gave its own sender. */
  readonly emails: RecordingEmailSender;
  /** The counters /metrics shows. */
  readonly metrics: PrometheusMetrics;
  stop(): Promise<void>;
}

export async function startApi(
  options: {
    readonly smsLimits?: Partial<SmsLimits>;
    /** Web Push; by default the real sender with keys made for this run. */
    readonly push?: PushSender;
    /** E-mail; by default kept in `emails`. */
    readonly email?: EmailSender;
  } = {},
): Promise<RunningApi> {
  const gateway = await startGateway();
  const sms = new RecordingSmsSender();
  const clock = new TestClock();
  const logger = new RecordingLogger();
  const metrics = new PrometheusMetrics();
  const push =
    options.push ??
    new WebPushSender({ keys: generateVapidKeys(), contact: 'mailto:test@example.org' });
  const emails = new RecordingEmailSender();
  const { services, demo, alertPipeline, notificationDispatch } = assembleApi({
    database: gateway.database,
    masterKey: gateway.masterKey,
    commands: gateway.commands,
    watches: gateway.watches,
    sms,
    smsLimits: {
      allowedRegions: '*',
      perNumberPerHour: 50,
      perNumberPerDay: 100,
      perAddressPerHour: 1000,
      perPrefixPerHour: 1000,
      dailyBudget: 10_000,
      ...options.smsLimits,
    },
    clock,
    logger,
    bus: gateway.bus,
    notifications: { push, email: options.email ?? emails, metrics },
    demo: {
      lifetimeMinutes: 60,
      gatewayPort: () => gateway.port,
      logger,
      reportIntervalSeconds: 1,
    },
  });
  const app = createHttpServer({ logger, metrics, readinessChecks: {} });
  await registerApi(app, services, { isCookieSecure: false });
  await app.ready();
  alertPipeline.start();
  notificationDispatch.start();
  return {
    app,
    gateway,
    services,
    sms,
    clock,
    logger,
    demo,
    alertPipeline,
    notificationDispatch,
    emails,
    metrics,
    stop: async () => {
      alertPipeline.stop();
      await notificationDispatch.stop();
      demo?.stop();
      await app.close();
      await gateway.stop();
    },
  };
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
}

/** One browser: keeps the session cookie between requests. */
export class ApiClient {
  readonly #app: FastifyInstance;
  cookie: string | undefined;

  constructor(app: FastifyInstance) {
    this.#app = app;
  }

  async request(method: string, url: string, body?: unknown): Promise<ApiResponse> {
    return this.#send(method, url, body === undefined ? {} : { payload: body as object });
  }

  /** Sends raw bytes, as an image upload does. */
  async upload(
    method: string,
    url: string,
    bytes: Uint8Array,
    contentType: string,
  ): Promise<ApiResponse> {
    return this.#send(method, url, { payload: Buffer.from(bytes), contentType });
  }

  async #send(
    method: string,
    url: string,
    body: { readonly payload?: object | Buffer; readonly contentType?: string },
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (this.cookie !== undefined) headers['cookie'] = `kinwatch_session=${this.cookie}`;
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    const response = await this.#app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(body.payload === undefined ? {} : { payload: body.payload }),
    });
    const setCookie = response.cookies.find((c) => c.name === 'kinwatch_session');
    if (setCookie !== undefined) this.cookie = setCookie.value === '' ? undefined : setCookie.value;
    const isJson = String(response.headers['content-type'] ?? '').includes('json');
    return {
      status: response.statusCode,
      body: isJson && response.body !== '' ? response.json<unknown>() : response.rawPayload,
      headers: response.headers,
    };
  }

  get(url: string) {
    return this.request('GET', url);
  }

  post(url: string, body: unknown = {}) {
    return this.request('POST', url, body);
  }
}

/** A field of a JSON answer, by path (`account.id`). */
export function field(response: ApiResponse, path: string): unknown {
  let value: unknown = response.body;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

export function errorCode(response: ApiResponse): unknown {
  return field(response, 'error.code');
}

/**
 * Opens the live stream over a real WebSocket as this client (the API must listen: see
 * `listen`); collects every message.
 */
export async function openStream(
  port: number,
  client: ApiClient,
  since?: number,
): Promise<LiveStream> {
  const query = since === undefined ? '' : `?since=${String(since)}`;
  const socket = new WebSocket(`ws://127.0.0.1:${String(port)}/api/v1/stream${query}`, {
    headers: client.cookie === undefined ? {} : { cookie: `kinwatch_session=${client.cookie}` },
  });
  const stream = new LiveStream(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      resolve();
    });
    socket.once('error', reject);
  });
  return stream;
}

export class LiveStream {
  readonly socket: WebSocket;
  readonly messages: Record<string, unknown>[] = [];
  readonly #waiters: {
    match: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];

  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      this.messages.push(message);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(message)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  /** The first message (already received or coming) that `match` accepts. */
  waitFor(
    match: (m: Record<string, unknown>) => boolean,
    timeoutMs = 10_000,
  ): Promise<Record<string, unknown>> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `no matching stream message within ${String(timeoutMs)} ms: ${JSON.stringify(this.messages)}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Registers (or logs in) `phone` with an SMS code; returns the account id. */
export async function logIn(api: RunningApi, client: ApiClient, phone: string): Promise<string> {
  const otp = await client.post('/api/v1/auth/otp', { phone });
  assert.equal(otp.status, 202, JSON.stringify(otp.body));
  const login = await client.post('/api/v1/auth/login', { phone, code: api.sms.lastCodeTo(phone) });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return String(field(login, 'account.id'));
}

/** Connects a test watch for `deviceId` and waits until the gateway has answered its LK. */
export async function connectWatch(api: RunningApi, deviceId: string): Promise<TestWatch> {
  const watch = await TestWatch.connect(api.gateway.port);
  watch.sendFrame(deviceId, 'LK,0,0,100');
  await watch.waitFor((frame) => frame.includes('*LK'));
  return watch;
}

/** The code a showText command put on the watch's screen. */
export async function codeOnScreen(watch: TestWatch): Promise<string> {
  const frame = await watch.waitFor((f) => f.includes('*MESSAGE,'));
  const decoded = decodeCommand(Buffer.from(frame, 'latin1'));
  assert.ok(decoded.ok && decoded.command.type === 'showText', frame);
  const code = /([0-9]{6})/.exec(decoded.command.text)?.[1];
  if (code === undefined) throw new Error(`no code on the screen: ${decoded.command.text}`);
  return code;
}

/** Binds a connected watch to the client's account; returns the watch id. */
export async function bindWatch(
  client: ApiClient,
  watch: TestWatch,
  deviceId: string,
  childName = 'Mia',
): Promise<string> {
  const claim = await client.post('/api/v1/watches/claims', { deviceId });
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  const code = await codeOnScreen(watch);
  const confirmed = await client.post(
    `/api/v1/watches/claims/${String(field(claim, 'claimId'))}/confirm`,
    {
      code,
      childName,
    },
  );
  assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
  return String(field(confirmed, 'watch.id'));
}

/** Invites `phone` to guard the watch; its new account accepts and the admin approves. */
export async function addGuardian(
  api: RunningApi,
  admin: ApiClient,
  watchId: string,
  phone: string,
): Promise<ApiClient> {
  const guardian = new ApiClient(api.app);
  await logIn(api, guardian, phone);
  const invited = await admin.post(`/api/v1/watches/${watchId}/invitations`, { phone });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const invitationId = String(field(invited, 'invitation.id'));
  assert.equal((await guardian.post(`/api/v1/invitations/${invitationId}/accept`)).status, 200);
  const approved = await admin.post(
    `/api/v1/watches/${watchId}/invitations/${invitationId}/approve`,
  );
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  return guardian;
}

export interface TwoGuardianFamily {
  readonly mum: ApiClient;
  readonly dad: ApiClient;
  readonly watch: TestWatch;
  readonly deviceId: string;
  readonly watchId: string;
}

/** A provisioned, connected watch bound by Mum, with Dad added as a guardian. */
export async function familyOfTwo(
  api: RunningApi,
  ids: { readonly deviceId: string; readonly mumPhone: string; readonly dadPhone: string },
): Promise<TwoGuardianFamily> {
  await api.gateway.provision(ids.deviceId);
  const watch = await connectWatch(api, ids.deviceId);
  const mum = new ApiClient(api.app);
  await logIn(api, mum, ids.mumPhone);
  const watchId = await bindWatch(mum, watch, ids.deviceId, 'Mia');
  const dad = await addGuardian(api, mum, watchId, ids.dadPhone);
  return { mum, dad, watch, deviceId: ids.deviceId, watchId };
}
