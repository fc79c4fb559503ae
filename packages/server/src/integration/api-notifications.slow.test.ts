/**
 * Notifications end to end: a watch's SOS over real TCP reaches the guardians through a real
 * local push service (plain http on 127.0.0.1, checking what RFC 8030/8291/8292 require) and a
 * real local SMTP server, per each guardian's preferences.
 */
import assert from 'node:assert/strict';
import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { SmtpEmailSender } from '../adapters/email/smtp-email-sender.ts';
import {
  ApiClient,
  errorCode,
  familyOfTwo,
  field,
  startApi,
  type RunningApi,
  type TwoGuardianFamily,
} from './api-harness.ts';
import { alarmContent } from './gateway-harness.ts';

interface PushRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A push service: `/ok/...` answers 201, `/gone/...` 410 (the browser unsubscribed). */
class LocalPushService {
  readonly requests: PushRequest[] = [];
  readonly #server: Server;
  #waiters: (() => void)[] = [];

  constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        this.requests.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(path.startsWith('/gone/') ? 410 : 201).end();
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${String((this.#server.address() as AddressInfo).port)}`;
  }

  async waitFor(path: string, timeoutMs = 5000): Promise<PushRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find((r) => r.path === path);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no push to ${path}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }
}

/** A browser's side of a push subscription: its keys, and decryption of what arrives. */
class TestBrowser {
  readonly #ecdh = createECDH('prime256v1');
  readonly #auth = randomBytes(16);
  readonly endpoint: string;

  constructor(endpoint: string) {
    this.#ecdh.generateKeys();
    this.endpoint = endpoint;
  }

  subscription() {
    return {
      endpoint: this.endpoint,
      expirationTime: null,
      keys: {
        p256dh: this.#ecdh.getPublicKey().toString('base64url'),
        auth: this.#auth.toString('base64url'),
      },
    };
  }

  /** RFC 8291 over RFC 8188: one aes128gcm record. */
  decrypt(body: Buffer): unknown {
    const salt = body.subarray(0, 16);
    const idLength = body.readUInt8(20);
    const serverKey = body.subarray(21, 21 + idLength);
    const record = body.subarray(21 + idLength);
    const info = Buffer.concat([
      Buffer.from('WebPush: info\0'),
      this.#ecdh.getPublicKey(),
      serverKey,
    ]);
    const ikm = hkdf(this.#ecdh.computeSecret(serverKey), this.#auth, info, 32);
    const key = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
    const nonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12);
    const decipher = createDecipheriv('aes-128-gcm', key, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, -16)), decipher.final()]);
    const end = padded.lastIndexOf(2);
    return JSON.parse(padded.subarray(0, end).toString('utf8'));
  }
}

function hkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

interface ReceivedMail {
  readonly to: string[];
  readonly text: string;
}

async function startSmtpSink(): Promise<{
  mails: ReceivedMail[];
  port: number;
  server: SMTPServer;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        mails.push({ to, text: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { mails, port: (server.server.address() as AddressInfo).port, server };
}

let api: RunningApi;
let pushService: LocalPushService;
let pushBase: string;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let email: SmtpEmailSender;

before(async () => {
  pushService = new LocalPushService();
  pushBase = await pushService.listen();
  smtp = await startSmtpSink();
  email = new SmtpEmailSender({
    url: `smtp://127.0.0.1:${String(smtp.port)}`,
    from: 'Kinwatch <kinwatch@example.org>',
  });
  api = await startApi({ email });
});
after(async () => {
  await api.stop();
  email.close();
  await pushService.close();
  await new Promise<void>((resolve) => {
    smtp.server.close(() => {
      resolve();
    });
  });
});

let next = 300;
function family(): Promise<TwoGuardianFamily> {
  next += 1;
  return familyOfTwo(api, {
    deviceId: `86000${String(next).padStart(5, '0')}`,
    mumPhone: `+12025553${String(next)}`,
    dadPhone: `+12025554${String(next)}`,
  });
}

const COORDINATES = ['22.57', '113.86'];

/** Gives the address, reads the code from the mail that reached the SMTP server, confirms. */
async function confirmEmail(client: ApiClient, address: string): Promise<void> {
  const given = await client.request('PUT', '/api/v1/me/email', { email: address });
  assert.equal(given.status, 202, JSON.stringify(given.body));
  // The server lower-cases the domain.
  const canonical = address.replace(/@.*$/, (domain) => domain.toLowerCase());
  const mail = smtp.mails.findLast((m) => m.to.includes(canonical));
  const code = /Subject: Kinwatch code ([0-9]{6})/.exec(mail?.text ?? '')?.[1];
  assert.ok(code !== undefined, 'the code e-mail arrived');
  const confirmed = await client.post('/api/v1/me/email/confirm', { code });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
}

describe('notifications', () => {
  test('an SOS reaches every guardian by push and e-mail, even switched off; a gone browser is dropped', async () => {
    const { mum, dad, watch, deviceId, watchId } = await family();
    const publicKey = String(field(await mum.get('/api/v1/push/public-key'), 'publicKey'));
    const mumPhone = new TestBrowser(`${pushBase}/ok/mum-${watchId}`);
    const dadOldPhone = new TestBrowser(`${pushBase}/gone/dad-${watchId}`);
    assert.equal(
      (await mum.post('/api/v1/me/push-subscriptions', mumPhone.subscription())).status,
      201,
    );
    assert.equal(
      (await dad.post('/api/v1/me/push-subscriptions', dadOldPhone.subscription())).status,
      201,
    );
    await confirmEmail(mum, 'Mum@Example.org');
    const chosen = await mum.request('PUT', '/api/v1/me/notification-preferences', {
      preferences: { sos: { push: false, email: false }, lowBattery: { push: true, email: false } },
    });
    assert.deepEqual(field(chosen, 'settings.preferences.sos'), { push: true, email: true });

    watch.sendFrame(deviceId, alarmContent('00010000'));
    const pushed = await pushService.waitFor(`/ok/mum-${watchId}`);
    assert.equal(pushed.headers['content-encoding'], 'aes128gcm');
    assert.equal(pushed.headers['ttl'], '3600');
    assert.equal(pushed.headers['urgency'], 'high');
    assert.match(
      String(pushed.headers['authorization']),
      new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${publicKey}$`),
    );
    const payload = mumPhone.decrypt(pushed.body) as Record<string, unknown>;
    assert.equal(payload['kind'], 'sos');
    assert.equal(payload['childName'], 'Mia');
    assert.equal(payload['watchId'], watchId);
    assert.equal(typeof payload['alertId'], 'number');
    assert.ok(COORDINATES.every((c) => !JSON.stringify(payload).includes(c)));

    await pushService.waitFor(`/gone/dad-${watchId}`);
    await api.notificationDispatch.idle();
    const mail = smtp.mails.find((m) => m.to.includes('Mum@example.org') && m.text.includes('SOS'));
    assert.ok(mail !== undefined, 'the SOS e-mail arrived');
    assert.match(mail.text, /Subject: SOS: Mia's watch/);
    assert.ok(COORDINATES.every((c) => !mail.text.includes(c)));
    const dadSettings = await dad.get('/api/v1/me/notification-preferences');
    assert.equal(field(dadSettings, 'settings.pushSubscriptions'), 0);
    const metrics = String((await new ApiClient(api.app).get('/metrics')).body);
    assert.match(metrics, /kinwatch_notifications_total\{channel="push",outcome="gone"\} 1/);
    watch.close();
  });

  test('other alerts follow the choice: push by default, e-mail only when chosen', async () => {
    const { mum, watchId } = await family();
    const browser = new TestBrowser(`${pushBase}/ok/battery-${watchId}`);
    await mum.post('/api/v1/me/push-subscriptions', browser.subscription());
    await confirmEmail(mum, `mum-${watchId}@example.org`);
    const mailsBefore = smtp.mails.length;
    await api.services.alerts.raise({
      watchId,
      kind: 'lowBattery',
      raisedAt: new Date(),
      recordedAt: null,
      location: null,
      details: { batteryPercent: 9 },
    });
    const pushed = await pushService.waitFor(`/ok/battery-${watchId}`);
    assert.equal((browser.decrypt(pushed.body) as { kind: string }).kind, 'lowBattery');
    assert.equal(pushed.headers['urgency'], 'normal');
    await api.notificationDispatch.idle();
    assert.equal(smtp.mails.length, mailsBefore, 'no e-mail: the default is push only');
  });

  test('bad subscriptions and addresses are refused with a clear error', async () => {
    const { mum } = await family();
    const good = new TestBrowser('https://push.example.org/x').subscription();
    const cases = [
      { ...good, endpoint: 'http://push.example.org/x' },
      { ...good, keys: { ...good.keys, p256dh: 'AAAA' } },
      { ...good, keys: { ...good.keys, auth: 'A'.repeat(40) } },
    ];
    for (const body of cases) {
      const refused = await mum.post('/api/v1/me/push-subscriptions', body);
      assert.equal(refused.status, 400);
      assert.equal(errorCode(refused), 'invalidPushSubscription');
    }
    const extra = await mum.post('/api/v1/me/push-subscriptions', { ...good, role: 'admin' });
    assert.equal(errorCode(extra), 'invalidRequest');
    const badMail = await mum.request('PUT', '/api/v1/me/email', { email: 'mum at home' });
    assert.equal(errorCode(badMail), 'invalidEmail');
    const unknownKind = await mum.request('PUT', '/api/v1/me/notification-preferences', {
      preferences: { weather: { push: true, email: true } },
    });
    assert.equal(errorCode(unknownKind), 'invalidRequest');
  });
});
