import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import {
  ihdr,
  pngChunk,
  pngFile,
  rawScanlines,
  RGB_2X2_ROWS,
} from '../api/images/png-test-images.ts';
import {
  ApiClient,
  bindWatch,
  connectWatch,
  errorCode,
  field,
  logIn,
  startApi,
  type RunningApi,
} from './api-harness.ts';

let api: RunningApi;
before(async () => {
  api = await startApi({ smsLimits: { perNumberPerHour: 3, perAddressPerHour: 20 } });
});
after(async () => {
  await api.stop();
});

const PNG = pngFile([
  ihdr(2, 2),
  pngChunk('IDAT', deflateSync(rawScanlines(RGB_2X2_ROWS))),
  pngChunk('IEND'),
]);

function isErrorShape(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

describe('SMS floods', () => {
  test('a number gets at most its hourly codes; the rest are 429 with Retry-After and not sent', async () => {
    const client = new ApiClient(api.app);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await client.post('/api/v1/auth/otp', { phone: '+12025550501' });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [202, 202, 202, 429, 429]);
    assert.ok(last !== undefined && isErrorShape(last.body));
    assert.equal(errorCode(last), 'tooManyCodes');
    assert.ok(Number(last.headers['retry-after']) > 0);
    assert.equal(api.sms.sent.filter((m) => m.to === '+12025550501').length, 3);
  });
});

describe('uploads', () => {
  let client: ApiClient;
  before(async () => {
    client = new ApiClient(api.app);
    await logIn(api, client, '+12025550510');
  });

  test('an avatar over 2 MiB is refused with 413 and the error shape; the account is unchanged', async () => {
    const huge = new Uint8Array(3 * 1024 * 1024);
    huge.set(PNG);
    const response = await client.upload('PUT', '/api/v1/me/avatar', huge, 'image/png');
    assert.equal(response.status, 413);
    assert.ok(isErrorShape(response.body));
    assert.equal(field(await client.get('/api/v1/me'), 'account.hasAvatar'), false);
  });

  test('bytes that are not an image are refused whatever the content type says', async () => {
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;');
    const response = await client.upload('PUT', '/api/v1/me/avatar', gif, 'image/png');
    assert.equal(response.status, 400);
    assert.equal(errorCode(response), 'imageRejected');
    const svg = await client.upload(
      'PUT',
      '/api/v1/me/avatar',
      new TextEncoder().encode('<svg onload="x()"/>'),
      'image/png',
    );
    assert.equal(svg.status, 400);
    assert.equal(field(await client.get('/api/v1/me'), 'account.hasAvatar'), false);
  });

  test('an unsupported content type is 415; a good PNG is stored and served back with nosniff', async () => {
    const wrong = await client.upload('PUT', '/api/v1/me/avatar', PNG, 'text/html');
    assert.equal(wrong.status, 415);
    assert.ok(isErrorShape(wrong.body));
    const good = await client.upload('PUT', '/api/v1/me/avatar', PNG, 'image/png');
    assert.equal(good.status, 200);
    const served = await client.get('/api/v1/me/avatar');
    assert.equal(served.status, 200);
    assert.equal(served.headers['content-type'], 'image/png');
    assert.equal(served.headers['x-content-type-options'], 'nosniff');
  });
});

describe('malformed requests change nothing', () => {
  test('a refused login makes no account and no session', async () => {
    const client = new ApiClient(api.app);
    await client.post('/api/v1/auth/otp', { phone: '+12025550520' });
    const bad = await client.post('/api/v1/auth/login', { phone: '+12025550520', code: '12345' });
    assert.equal(bad.status, 400, 'a code is 6 digits');
    assert.equal(client.cookie, undefined);
    assert.equal(await api.services.accountRepository.findByPhone('+12025550520'), undefined);
  });

  test('an unknown route and a wrong method get the error shape', async () => {
    const client = new ApiClient(api.app);
    const missing = await client.get('/api/v1/nothing-here');
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing), 'routeNotFound');
    const method = await client.request('DELETE', '/api/v1/auth/otp');
    assert.equal(method.status, 404);
    assert.ok(isErrorShape(method.body));
  });

  test('a POST with no body at all is taken as none where the body is optional', async () => {
    const client = new ApiClient(api.app);
    await logIn(api, client, '+12025550522');
    const watch = await connectWatch(api, '8800000522');
    try {
      const watchId = await bindWatch(client, watch, '8800000522');
      const located = await client.request('POST', `/api/v1/watches/${watchId}/locate`);
      assert.equal(located.status, 202, JSON.stringify(located.body));
    } finally {
      watch.close();
    }
    // Where a body is required, its absence is a clear 400, not a crash.
    const noBody = await new ApiClient(api.app).request('POST', '/api/v1/auth/otp');
    assert.equal(noBody.status, 400);
    assert.ok(isErrorShape(noBody.body));
  });

  test('a body of the wrong shape names each bad field', async () => {
    const client = new ApiClient(api.app);
    await logIn(api, client, '+12025550521');
    const response = await client.post('/api/v1/watches/claims/AAAAAAAAAAAAAAAAAAAAAA/confirm', {
      code: 'abc',
      childName: '',
      birthDate: 'yesterday',
    });
    assert.equal(response.status, 400);
    const fields = (field(response, 'error.details') as { field: string }[])
      .map((d) => d.field)
      .sort();
    assert.deepEqual(fields, ['birthDate', 'childName', 'code']);
  });
});
