import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { SmsDeliveryError } from '@kinwatch/core';
import { closedPort, FakeSmsProvider } from './fake-sms-provider.ts';
import { HttpSmsSender } from './http-sms-sender.ts';

const SECRET = 'Bearer sk_live_4f9a1c2e7b';
const MESSAGE = {
  to: '+447700900123',
  text: 'Your Kinwatch code is 482913. "Quotes" & {to} stay.',
};

async function deliveryError(promise: Promise<void>): Promise<SmsDeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SmsDeliveryError) return error;
    throw error;
  }
  assert.fail('expected SmsDeliveryError');
}

/** The error says what went wrong, and carries nothing of the request. */
function assertDiscreet(error: SmsDeliveryError): void {
  assert.equal(error.code, 'smsDeliveryFailed');
  for (const secret of [SECRET, 'sk_live_4f9a1c2e7b', '482913', MESSAGE.to, '7700900123']) {
    assert.ok(!error.message.includes(secret), `${error.message} contains ${secret}`);
    assert.ok(!String(error.stack).includes(secret), `the stack contains ${secret}`);
  }
}

describe('HttpSmsSender', () => {
  let provider: FakeSmsProvider;
  before(async () => {
    provider = await FakeSmsProvider.start();
  });
  beforeEach(() => {
    provider.requests.length = 0;
    provider.answer = () => ({ status: 200, body: '{"id":"m-1"}' });
  });
  after(async () => {
    await provider.close();
  });

  test('posts the JSON template with the values escaped as JSON strings', async () => {
    const sender = new HttpSmsSender({
      url: `${provider.baseUrl}/v1/sms`,
      template: '{"recipient":"{to}","message":"{text}","sender":"Kinwatch"}',
      contentType: 'application/json',
      authorization: SECRET,
    });
    await sender.send(MESSAGE);
    const [request] = provider.requests;
    assert.ok(request !== undefined);
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v1/sms');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers.authorization, SECRET);
    assert.deepEqual(JSON.parse(request.body), {
      recipient: MESSAGE.to,
      message: MESSAGE.text,
      sender: 'Kinwatch',
    });
  });

  test('the default template is JSON {"to","text"}, and no Authorization unless configured', async () => {
    await new HttpSmsSender({ url: provider.baseUrl }).send({ to: '+15550100', text: 'a\nb\\c' });
    const [request] = provider.requests;
    assert.ok(request !== undefined);
    assert.deepEqual(JSON.parse(request.body), { to: '+15550100', text: 'a\nb\\c' });
    assert.equal(request.headers.authorization, undefined);
  });

  test('form templates get URL-encoded values', async () => {
    const sender = new HttpSmsSender({
      url: `${provider.baseUrl}/send`,
      method: 'PUT',
      template: 'number={to}&body={text}&route=otp',
      contentType: 'application/x-www-form-urlencoded',
    });
    await sender.send({ to: '+447700900123', text: 'Code 1 & 2=3 + ü' });
    const [request] = provider.requests;
    assert.ok(request !== undefined);
    assert.equal(request.method, 'PUT');
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body);
    assert.deepEqual(
      [...form],
      [
        ['number', '+447700900123'],
        ['body', 'Code 1 & 2=3 + ü'],
        ['route', 'otp'],
      ],
    );
  });

  test('GET sends the values in the URL and no body', async () => {
    const sender = new HttpSmsSender({
      url: `${provider.baseUrl}/api?to={to}&msg={text}`,
      method: 'GET',
    });
    await sender.send({ to: '+447700900123', text: 'a b&c' });
    const [request] = provider.requests;
    assert.ok(request !== undefined);
    assert.equal(request.method, 'GET');
    assert.equal(request.body, '');
    assert.equal(request.url, '/api?to=%2B447700900123&msg=a%20b%26c');
  });

  test('any answer but 2xx is a delivery failure naming the status', async () => {
    const sender = new HttpSmsSender({ url: provider.baseUrl, authorization: SECRET });
    for (const status of [400, 401, 429, 500, 503]) {
      provider.answer = () => ({ status, body: JSON.stringify({ error: MESSAGE.text }) });
      const error = await deliveryError(sender.send(MESSAGE));
      assert.match(error.message, new RegExp(`HTTP ${status}`));
      assertDiscreet(error);
    }
    provider.answer = () => ({ status: 204 });
    await sender.send(MESSAGE);
  });

  test('a redirect is not followed', async () => {
    provider.answer = (request) =>
      request.url === '/moved' ? { status: 200 } : { status: 302, body: '' };
    const sender = new HttpSmsSender({ url: provider.baseUrl, authorization: SECRET });
    const error = await deliveryError(sender.send(MESSAGE));
    assert.match(error.message, /HTTP 302/);
    assert.equal(provider.requests.length, 1);
  });

  test('no answer within the timeout is a delivery failure', async () => {
    provider.answer = () => ({ status: 200, delayMs: 2_000 });
    const sender = new HttpSmsSender({
      url: provider.baseUrl,
      authorization: SECRET,
      timeoutMs: 100,
    });
    const started = Date.now();
    const error = await deliveryError(sender.send(MESSAGE));
    assert.ok(Date.now() - started < 1_500);
    assert.match(error.message, /no answer within 100 ms/);
    assertDiscreet(error);
  });

  test('an unreachable gateway is a delivery failure', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/sms?key=${encodeURIComponent(SECRET)}`;
    const error = await deliveryError(
      new HttpSmsSender({ url, authorization: SECRET }).send(MESSAGE),
    );
    assert.match(error.message, /not reachable \(ECONNREFUSED\)/);
    assertDiscreet(error);
  });
});
