import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiClient, errorCode, field, logIn, startApi, type RunningApi } from './api-harness.ts';

let api: RunningApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.stop();
});

describe('registering and logging in with an SMS code', () => {
  test('the first login with a code makes the account; the cookie is HttpOnly and SameSite', async () => {
    const client = new ApiClient(api.app);
    const otp = await client.post('/api/v1/auth/otp', { phone: '+1 202 555 0101' });
    assert.equal(otp.status, 202);
    const sms = api.sms.sent.at(-1);
    assert.equal(sms?.to, '+12025550101', 'the number is stored and used in E.164');
    const code = api.sms.lastCodeTo('+12025550101');
    const login = await client.post('/api/v1/auth/login', { phone: '+12025550101', code });
    assert.equal(login.status, 200);
    assert.equal(field(login, 'isNewAccount'), true);
    const setCookie = String(login.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    const me = await client.get('/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(field(me, 'account.phone'), '+12025550101');
  });

  test('a code works once; a replay is refused and changes nothing', async () => {
    const client = new ApiClient(api.app);
    await client.post('/api/v1/auth/otp', { phone: '+12025550102' });
    const code = api.sms.lastCodeTo('+12025550102');
    assert.equal(
      (await client.post('/api/v1/auth/login', { phone: '+12025550102', code })).status,
      200,
    );
    const replay = await new ApiClient(api.app).post('/api/v1/auth/login', {
      phone: '+12025550102',
      code,
    });
    assert.equal(replay.status, 401);
    assert.equal(errorCode(replay), 'invalidCode');
  });

  test('a code expires after 10 minutes', async () => {
    const client = new ApiClient(api.app);
    await client.post('/api/v1/auth/otp', { phone: '+12025550103' });
    const code = api.sms.lastCodeTo('+12025550103');
    api.clock.advance(10 * 60_000 + 1);
    const late = await client.post('/api/v1/auth/login', { phone: '+12025550103', code });
    assert.equal(late.status, 401);
    assert.equal(errorCode(late), 'invalidCode');
  });

  test('five wrong codes void the code, even the right one typed next', async () => {
    const client = new ApiClient(api.app);
    await client.post('/api/v1/auth/otp', { phone: '+12025550104' });
    const code = api.sms.lastCodeTo('+12025550104');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const attempt = await client.post('/api/v1/auth/login', {
        phone: '+12025550104',
        code: wrong,
      });
      assert.equal(attempt.status, 401);
    }
    const right = await client.post('/api/v1/auth/login', { phone: '+12025550104', code });
    assert.equal(right.status, 401, 'a brute-forced code stays void');
    assert.equal(client.cookie, undefined);
  });

  test('a newer code voids the older one', async () => {
    const client = new ApiClient(api.app);
    await client.post('/api/v1/auth/otp', { phone: '+12025550105' });
    const first = api.sms.lastCodeTo('+12025550105');
    await client.post('/api/v1/auth/otp', { phone: '+12025550105' });
    const second = api.sms.lastCodeTo('+12025550105');
    if (first !== second) {
      const old = await client.post('/api/v1/auth/login', { phone: '+12025550105', code: first });
      assert.equal(old.status, 401);
    }
    assert.equal(
      (await client.post('/api/v1/auth/login', { phone: '+12025550105', code: second })).status,
      200,
    );
  });

  test('asking for a code answers the same for a number with and without an account', async () => {
    await logIn(api, new ApiClient(api.app), '+12025550106');
    const known = await new ApiClient(api.app).post('/api/v1/auth/otp', { phone: '+12025550106' });
    const unknown = await new ApiClient(api.app).post('/api/v1/auth/otp', {
      phone: '+12025550107',
    });
    assert.equal(known.status, unknown.status);
    assert.deepEqual(known.body, unknown.body);
  });

  test('numbers that are not valid mobile numbers are refused with the error shape', async () => {
    for (const phone of ['12025550101', '+1 202', '+4930123456', 'call me']) {
      const response = await new ApiClient(api.app).post('/api/v1/auth/otp', { phone });
      assert.equal(response.status, 400, phone);
      assert.equal(errorCode(response), 'invalidPhone', phone);
    }
  });

  test('unknown fields, wrong types and malformed JSON are refused, naming the field', async () => {
    const client = new ApiClient(api.app);
    const extra = await client.post('/api/v1/auth/otp', { phone: '+12025550108', role: 'admin' });
    assert.equal(extra.status, 400);
    assert.equal(errorCode(extra), 'invalidRequest');
    assert.ok(JSON.stringify(field(extra, 'error.details')).includes('role'));
    const wrongType = await client.post('/api/v1/auth/otp', { phone: 12025550108 });
    assert.equal(wrongType.status, 400);
    const badJson = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      headers: { 'content-type': 'application/json' },
      payload: '{"phone":',
    });
    assert.equal(badJson.statusCode, 400);
    assert.equal(badJson.json<{ error: { code: string } }>().error.code, 'badRequest');
  });
});

describe('passwords', () => {
  test('a guardian sets a password after logging in and then logs in with it', async () => {
    const client = new ApiClient(api.app);
    await logIn(api, client, '+12025550110');
    const set = await client.request('PUT', '/api/v1/me/password', {
      password: 'correct horse battery',
    });
    assert.equal(set.status, 204);
    const other = new ApiClient(api.app);
    const login = await other.post('/api/v1/auth/login', {
      phone: '+12025550110',
      password: 'correct horse battery',
    });
    assert.equal(login.status, 200);
    assert.equal(field(login, 'account.hasPassword'), true);
  });

  test('a wrong password and an unknown number get the same answer', async () => {
    const wrong = await new ApiClient(api.app).post('/api/v1/auth/login', {
      phone: '+12025550110',
      password: 'not the password',
    });
    const unknown = await new ApiClient(api.app).post('/api/v1/auth/login', {
      phone: '+12025550199',
      password: 'not the password',
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
  });

  test('a short password is refused', async () => {
    const client = new ApiClient(api.app);
    await logIn(api, client, '+12025550111');
    const response = await client.request('PUT', '/api/v1/me/password', { password: 'short' });
    assert.equal(response.status, 400);
    assert.equal(errorCode(response), 'invalidRequest');
  });

  test('changing the password later needs a re-authentication', async () => {
    const client = new ApiClient(api.app);
    await logIn(api, client, '+12025550112');
    api.clock.advance(11 * 60_000);
    const late = await client.request('PUT', '/api/v1/me/password', {
      password: 'another long password',
    });
    assert.equal(late.status, 403);
    assert.equal(errorCode(late), 'reauthenticationRequired');
    assert.equal((await client.post('/api/v1/auth/reauth/otp')).status, 202);
    const reauth = await client.post('/api/v1/auth/reauth', {
      code: api.sms.lastCodeTo('+12025550112'),
    });
    assert.equal(reauth.status, 204);
    const now = await client.request('PUT', '/api/v1/me/password', {
      password: 'another long password',
    });
    assert.equal(now.status, 204);
  });
});

describe('sessions', () => {
  test('each login is a new session; the list shows them and one can be ended', async () => {
    const phone = '+12025550120';
    const laptop = new ApiClient(api.app);
    const phoneApp = new ApiClient(api.app);
    await logIn(api, laptop, phone);
    await logIn(api, phoneApp, phone);
    assert.notEqual(laptop.cookie, phoneApp.cookie);
    const list = await laptop.get('/api/v1/me/sessions');
    const sessions = field(list, 'sessions') as { id: string; isCurrent: boolean }[];
    assert.equal(sessions.length, 2);
    const other = sessions.find((s) => !s.isCurrent);
    assert.ok(other !== undefined);
    assert.equal((await laptop.request('DELETE', `/api/v1/me/sessions/${other.id}`)).status, 204);
    assert.equal((await phoneApp.get('/api/v1/me')).status, 401);
    assert.equal((await laptop.get('/api/v1/me')).status, 200);
  });

  test('log out everywhere ends every session', async () => {
    const phone = '+12025550121';
    const a = new ApiClient(api.app);
    const b = new ApiClient(api.app);
    await logIn(api, a, phone);
    await logIn(api, b, phone);
    const cookieOfA = a.cookie;
    const out = await a.post('/api/v1/me/sessions/logout-everywhere');
    assert.equal(out.status, 200);
    assert.equal(field(out, 'ended'), 2);
    assert.equal((await b.get('/api/v1/me')).status, 401);
    a.cookie = cookieOfA;
    assert.equal((await a.get('/api/v1/me')).status, 401, 'the old cookie is worth nothing');
  });

  test('logout ends the session and a forged cookie is refused', async () => {
    const client = new ApiClient(api.app);
    await logIn(api, client, '+12025550122');
    const token = client.cookie;
    assert.equal((await client.post('/api/v1/auth/logout')).status, 204);
    client.cookie = token;
    assert.equal((await client.get('/api/v1/me')).status, 401);
    client.cookie = 'forged-token-value-that-is-long-enough';
    const forged = await client.get('/api/v1/me');
    assert.equal(forged.status, 401);
    assert.equal(errorCode(forged), 'unauthenticated');
  });
});

describe('profile', () => {
  test('nickname changes; an empty nickname is refused', async () => {
    const client = new ApiClient(api.app);
    await logIn(api, client, '+12025550130');
    const changed = await client.request('PATCH', '/api/v1/me', { nickname: 'Mum' });
    assert.equal(field(changed, 'account.nickname'), 'Mum');
    const empty = await client.request('PATCH', '/api/v1/me', { nickname: '   ' });
    assert.equal(empty.status, 400);
  });

  test('the number moves only with a code to the old and one to the new number', async () => {
    const client = new ApiClient(api.app);
    await logIn(api, client, '+12025550131');
    assert.equal(
      (await client.post('/api/v1/me/phone/otp', { phone: '+12025550132' })).status,
      202,
    );
    const currentCode = api.sms.lastCodeTo('+12025550131');
    const newCode = api.sms.lastCodeTo('+12025550132');
    const onlyOne = await client.post('/api/v1/me/phone', {
      phone: '+12025550132',
      currentCode: currentCode === '000000' ? '111111' : '000000',
      newCode,
    });
    assert.equal(onlyOne.status, 401);
    await client.post('/api/v1/me/phone/otp', { phone: '+12025550132' });
    const moved = await client.post('/api/v1/me/phone', {
      phone: '+12025550132',
      currentCode: api.sms.lastCodeTo('+12025550131'),
      newCode: api.sms.lastCodeTo('+12025550132'),
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(field(moved, 'account.phone'), '+12025550132');
  });
});
