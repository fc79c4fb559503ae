import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { SmsDeliveryError } from '@kinwatch/core';
import { closedPort, FakeSmsProvider, type RecordedRequest } from './fake-sms-provider.ts';
import { TwilioSmsSender, type TwilioSmsSenderOptions } from './twilio-sms-sender.ts';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'f3c9d1e8a7b6c5d4e3f2a1b0c9d8e7f6';
const FROM = '+15005550006';
const MESSAGE = { to: '+447700900123', text: 'Your Kinwatch code is 482913' };
const MESSAGES_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

/** Answers as Twilio does: 201 with the message, 401 for bad credentials, 400 for a bad form. */
function fakeTwilio(request: RecordedRequest) {
  const expected = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
  if (request.method !== 'POST' || request.url !== MESSAGES_PATH) return { status: 404 };
  if (request.headers.authorization !== expected) {
    return { status: 401, body: '{"code":20003,"message":"Authenticate","status":401}' };
  }
  const form = new URLSearchParams(request.body);
  const to = form.get('To');
  if (request.headers['content-type'] !== 'application/x-www-form-urlencoded' || to === null) {
    return {
      status: 400,
      body: '{"code":21604,"message":"A \'To\' phone number is required.","status":400}',
    };
  }
  return {
    status: 201,
    body: JSON.stringify({ sid: `SM${'1'.repeat(32)}`, to, status: 'queued' }),
  };
}

async function deliveryError(promise: Promise<void>): Promise<SmsDeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SmsDeliveryError) return error;
    throw error;
  }
  assert.fail('expected SmsDeliveryError');
}

function assertDiscreet(error: SmsDeliveryError): void {
  for (const secret of [
    AUTH_TOKEN,
    Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'),
    '482913',
    MESSAGE.to,
  ]) {
    assert.ok(!error.message.includes(secret), `${error.message} contains ${secret}`);
  }
}

describe('TwilioSmsSender', () => {
  let twilio: FakeSmsProvider;
  const sender = (overrides: Partial<TwilioSmsSenderOptions> = {}) =>
    new TwilioSmsSender({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: FROM,
      baseUrl: twilio.baseUrl,
      ...overrides,
    });
  before(async () => {
    twilio = await FakeSmsProvider.start();
  });
  beforeEach(() => {
    twilio.requests.length = 0;
    twilio.answer = fakeTwilio;
  });
  after(async () => {
    await twilio.close();
  });

  test('posts To, From and Body to the Messages resource with Basic authentication', async () => {
    await sender().send(MESSAGE);
    assert.equal(twilio.requests.length, 1);
    const [request] = twilio.requests;
    assert.ok(request !== undefined);
    assert.equal(request.method, 'POST');
    assert.equal(request.url, MESSAGES_PATH);
    assert.equal(
      request.headers.authorization,
      `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
    );
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.body)), {
      To: MESSAGE.to,
      From: FROM,
      Body: MESSAGE.text,
    });
  });

  test('a Messaging Service sid goes in MessagingServiceSid instead of From', async () => {
    const service = `MG${'a'.repeat(32)}`;
    await sender({ from: service }).send(MESSAGE);
    const form = new URLSearchParams(twilio.requests[0]?.body);
    assert.equal(form.get('MessagingServiceSid'), service);
    assert.equal(form.get('From'), null);
  });

  test('a base URL with a trailing slash works the same', async () => {
    await sender({ baseUrl: `${twilio.baseUrl}/` }).send(MESSAGE);
    assert.equal(twilio.requests[0]?.url, MESSAGES_PATH);
  });

  test('wrong credentials: a failure with Twilio’s error code, without the token', async () => {
    const error = await deliveryError(sender({ authToken: 'wrong' }).send(MESSAGE));
    assert.equal(error.message, 'Twilio answered HTTP 401 (error 20003)');
    assertDiscreet(error);
  });

  test('Twilio’s error text is not repeated: it may quote the number', async () => {
    twilio.answer = () => ({
      status: 400,
      body: `{"code":21211,"message":"The 'To' number ${MESSAGE.to} is not valid.","status":400}`,
    });
    const error = await deliveryError(sender().send(MESSAGE));
    assert.equal(error.message, 'Twilio answered HTTP 400 (error 21211)');
    assertDiscreet(error);
  });

  test('an error without a JSON body still names the status', async () => {
    twilio.answer = () => ({ status: 503, body: '<html>busy</html>' });
    const error = await deliveryError(sender().send(MESSAGE));
    assert.equal(error.message, 'Twilio answered HTTP 503');
  });

  test('no answer within the timeout, or nothing listening, is a failure', async () => {
    twilio.answer = () => ({ status: 201, delayMs: 2_000 });
    const slow = await deliveryError(sender({ timeoutMs: 100 }).send(MESSAGE));
    assert.equal(slow.message, 'Twilio: no answer within 100 ms');
    const gone = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await deliveryError(sender({ baseUrl: gone }).send(MESSAGE));
    assert.equal(unreachable.message, 'Twilio: not reachable (ECONNREFUSED)');
    assertDiscreet(unreachable);
  });
});
