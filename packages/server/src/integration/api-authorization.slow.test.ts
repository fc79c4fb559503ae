/**
 * The authorization matrix, run: every route of the server for every kind of caller, each on
 * a fresh family, against the real API, gateway and SQLite. A route missing from the matrix,
 * or a matrix row without a route, fails the suite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  RGB_2X2_ROWS,
  ihdr,
  pngChunk,
  pngFile,
  rawScanlines,
} from '../api/images/png-test-images.ts';
import { AUTHORIZATION_MATRIX, type CallerRole } from '../api/authorization-matrix.ts';
import { registeredRoutes } from '../http/http-server.ts';
import { deflateSync } from 'node:zlib';
import {
  ApiClient,
  bindWatch,
  connectWatch,
  field,
  logIn,
  startApi,
  type ApiResponse,
  type RunningApi,
} from './api-harness.ts';

let api: RunningApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.stop();
});

const ROLES: readonly CallerRole[] = ['admin', 'guardian', 'stranger', 'anonymous'];
const LOGGED_IN = ['admin', 'guardian', 'stranger'] as const;

interface Fixture {
  readonly clients: Readonly<Record<CallerRole, ApiClient>>;
  readonly accountIds: Readonly<Record<'admin' | 'guardian' | 'stranger', string>>;
  readonly phones: Readonly<Record<'admin' | 'guardian' | 'stranger', string>>;
  readonly watchId: string;
}

let counter = 0;
function nextPhone(): string {
  counter += 1;
  return `+1202${String(5_550_000 + counter).padStart(7, '0')}`;
}
function nextDeviceId(): string {
  counter += 1;
  return `77${String(counter).padStart(10, '0')}`;
}

const PNG = pngFile([
  ihdr(2, 2),
  pngChunk('IDAT', deflateSync(rawScanlines(RGB_2X2_ROWS))),
  pngChunk('IEND'),
]);

async function boundWatch(client: ApiClient): Promise<string> {
  const deviceId = nextDeviceId();
  await api.gateway.provision(deviceId);
  const watch = await connectWatch(api, deviceId);
  const watchId = await bindWatch(client, watch, deviceId);
  watch.close();
  return watchId;
}

/** A family (admin, guardian, watch) and a stranger with a watch of their own. */
async function fixture(): Promise<Fixture> {
  const phones = { admin: nextPhone(), guardian: nextPhone(), stranger: nextPhone() };
  const clients = {
    admin: new ApiClient(api.app),
    guardian: new ApiClient(api.app),
    stranger: new ApiClient(api.app),
    anonymous: new ApiClient(api.app),
  };
  const accountIds = {
    admin: await logIn(api, clients.admin, phones.admin),
    guardian: await logIn(api, clients.guardian, phones.guardian),
    stranger: await logIn(api, clients.stranger, phones.stranger),
  };
  const watchId = await boundWatch(clients.admin);
  await boundWatch(clients.stranger);
  const invited = await clients.admin.post(`/api/v1/watches/${watchId}/invitations`, {
    phone: phones.guardian,
  });
  const invitationId = String(field(invited, 'invitation.id'));
  await clients.guardian.post(`/api/v1/invitations/${invitationId}/accept`);
  const approved = await clients.admin.post(
    `/api/v1/watches/${watchId}/invitations/${invitationId}/approve`,
  );
  assert.equal(approved.status, 200);
  return { clients, accountIds, phones, watchId };
}

type Send = (fx: Fixture, role: CallerRole) => Promise<ApiResponse>;

function client(fx: Fixture, role: CallerRole): ApiClient {
  return fx.clients[role];
}

function phoneOf(fx: Fixture, role: CallerRole): string {
  return role === 'anonymous' ? nextPhone() : fx.phones[role];
}

const get =
  (url: (fx: Fixture) => string): Send =>
  (fx, role) =>
    client(fx, role).get(url(fx));

async function invitationFor(fx: Fixture, phone: string | null): Promise<ApiResponse> {
  return fx.clients.admin.post(
    `/api/v1/watches/${fx.watchId}/invitations`,
    phone === null ? {} : { phone },
  );
}

/** A fix stored directly, as the gateway's writer would. */
async function storePosition(watchId: string): Promise<void> {
  const now = new Date();
  await api.gateway.positions.appendBatch([
    {
      watchId,
      recordedAt: now,
      receivedAt: now,
      source: 'gps',
      latitude: 52.52,
      longitude: 13.405,
      accuracyMeters: 10,
      speedKmh: null,
      courseDegrees: null,
      altitudeMeters: null,
      isBuffered: false,
      flags: [],
    },
  ]);
}

const SCHOOL_ZONE = {
  name: 'School',
  shape: { kind: 'circle', latitude: 52.52, longitude: 13.405, radiusMeters: 150 },
};

/** A zone the admin drew on the fixture's watch; returns its id. */
async function adminZone(fx: Fixture): Promise<string> {
  const created = await fx.clients.admin.post(`/api/v1/watches/${fx.watchId}/zones`, SCHOOL_ZONE);
  return String(field(created, 'zone.id'));
}

/** A browser's PushSubscription JSON, one endpoint per caller. */
function pushSubscription(role: CallerRole) {
  return {
    endpoint: `https://push.example.org/send/${role}-${String(counter)}`,
    expirationTime: null,
    keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) },
  };
}

/** How each route is called; the caller is the only thing that differs between roles. */
const REQUESTS: Readonly<Record<string, Send>> = {
  'GET /health': get(() => '/health'),
  'GET /ready': get(() => '/ready'),
  'GET /metrics': get(() => '/metrics'),
  'GET /api/openapi.json': get(() => '/api/openapi.json'),
  'GET /api/docs': get(() => '/api/docs'),
  'GET /api/docs/json': get(() => '/api/docs/json'),
  'GET /api/docs/yaml': get(() => '/api/docs/yaml'),
  'GET /api/docs/static/index.html': get(() => '/api/docs/static/index.html'),
  'GET /api/docs/static/swagger-initializer.js': get(
    () => '/api/docs/static/swagger-initializer.js',
  ),
  'GET /api/docs/static/*': get(() => '/api/docs/static/swagger-ui.css'),
  'HEAD /api/docs/': (fx, role) => client(fx, role).request('HEAD', '/api/docs/'),
  'POST /api/v1/auth/otp': (fx, role) =>
    client(fx, role).post('/api/v1/auth/otp', { phone: nextPhone() }),
  'POST /api/v1/auth/login': async (fx, role) => {
    const phone = phoneOf(fx, role);
    await new ApiClient(api.app).post('/api/v1/auth/otp', { phone });
    return client(fx, role).post('/api/v1/auth/login', { phone, code: api.sms.lastCodeTo(phone) });
  },
  'POST /api/v1/auth/logout': (fx, role) => client(fx, role).post('/api/v1/auth/logout'),
  'POST /api/v1/auth/reauth/otp': (fx, role) => client(fx, role).post('/api/v1/auth/reauth/otp'),
  'POST /api/v1/auth/reauth': async (fx, role) => {
    await client(fx, role).post('/api/v1/auth/reauth/otp');
    const code = role === 'anonymous' ? '123456' : api.sms.lastCodeTo(fx.phones[role]);
    return client(fx, role).post('/api/v1/auth/reauth', { code });
  },
  'PUT /api/v1/me/password': (fx, role) =>
    client(fx, role).request('PUT', '/api/v1/me/password', { password: 'a long enough password' }),
  'GET /api/v1/me': get(() => '/api/v1/me'),
  'PATCH /api/v1/me': (fx, role) =>
    client(fx, role).request('PATCH', '/api/v1/me', { nickname: 'Sam' }),
  'GET /api/v1/me/avatar': async (fx, role) => {
    await client(fx, role).upload('PUT', '/api/v1/me/avatar', PNG, 'image/png');
    return client(fx, role).get('/api/v1/me/avatar');
  },
  'PUT /api/v1/me/avatar': (fx, role) =>
    client(fx, role).upload('PUT', '/api/v1/me/avatar', PNG, 'image/png'),
  'DELETE /api/v1/me/avatar': (fx, role) => client(fx, role).request('DELETE', '/api/v1/me/avatar'),
  'POST /api/v1/me/phone/otp': (fx, role) =>
    client(fx, role).post('/api/v1/me/phone/otp', { phone: nextPhone() }),
  'POST /api/v1/me/phone': async (fx, role) => {
    const phone = nextPhone();
    await client(fx, role).post('/api/v1/me/phone/otp', { phone });
    const currentCode = role === 'anonymous' ? '123456' : api.sms.lastCodeTo(fx.phones[role]);
    return client(fx, role).post('/api/v1/me/phone', {
      phone,
      currentCode,
      newCode: role === 'anonymous' ? '123456' : api.sms.lastCodeTo(phone),
    });
  },
  'GET /api/v1/me/sessions': get(() => '/api/v1/me/sessions'),
  'DELETE /api/v1/me/sessions/:sessionId': async (fx, role) => {
    const own = role === 'anonymous' ? fx.clients.admin : client(fx, role);
    const sessions = field(await own.get('/api/v1/me/sessions'), 'sessions') as { id: string }[];
    return client(fx, role).request('DELETE', `/api/v1/me/sessions/${sessions[0]?.id ?? 'none'}`);
  },
  'POST /api/v1/me/sessions/logout-everywhere': (fx, role) =>
    client(fx, role).post('/api/v1/me/sessions/logout-everywhere'),
  'GET /api/v1/me/notices': get(() => '/api/v1/me/notices'),
  'POST /api/v1/me/notices/read': (fx, role) =>
    client(fx, role).post('/api/v1/me/notices/read', { upToId: 1 }),
  'GET /api/v1/me/invitations': get(() => '/api/v1/me/invitations'),
  'GET /api/v1/me/notification-preferences': get(() => '/api/v1/me/notification-preferences'),
  'PUT /api/v1/me/notification-preferences': (fx, role) =>
    client(fx, role).request('PUT', '/api/v1/me/notification-preferences', {
      preferences: { zoneLeave: { push: true, email: true } },
    }),
  'PUT /api/v1/me/email': (fx, role) =>
    client(fx, role).request('PUT', '/api/v1/me/email', { email: `${role}@example.org` }),
  'POST /api/v1/me/email/confirm': async (fx, role) => {
    const email = `${role}-${String(counter)}@example.org`;
    await client(fx, role).request('PUT', '/api/v1/me/email', { email });
    const code = role === 'anonymous' ? '123456' : api.emails.lastCodeTo(email);
    return client(fx, role).post('/api/v1/me/email/confirm', { code });
  },
  'DELETE /api/v1/me/email': (fx, role) => client(fx, role).request('DELETE', '/api/v1/me/email'),
  'GET /api/v1/push/public-key': get(() => '/api/v1/push/public-key'),
  'GET /api/v1/client-config': get(() => '/api/v1/client-config'),
  'POST /api/v1/me/push-subscriptions': (fx, role) =>
    client(fx, role).post('/api/v1/me/push-subscriptions', pushSubscription(role)),
  'DELETE /api/v1/me/push-subscriptions': async (fx, role) => {
    const subscription = pushSubscription('admin');
    const { endpoint } = subscription;
    await fx.clients.admin.post('/api/v1/me/push-subscriptions', subscription);
    const response = await client(fx, role).request('DELETE', '/api/v1/me/push-subscriptions', {
      endpoint,
    });
    const kept = field(
      await fx.clients.admin.get('/api/v1/me/notification-preferences'),
      'settings.pushSubscriptions',
    );
    assert.equal(kept, role === 'admin' ? 0 : 1, 'only the owner removes a subscription');
    return response;
  },
  'POST /api/v1/watches/claims': async (fx, role) => {
    const deviceId = nextDeviceId();
    await api.gateway.provision(deviceId);
    return client(fx, role).post('/api/v1/watches/claims', { deviceId });
  },
  'POST /api/v1/watches/claims/:claimId/confirm': async (fx, role) => {
    const deviceId = nextDeviceId();
    await api.gateway.provision(deviceId);
    const claim = await fx.clients.admin.post('/api/v1/watches/claims', { deviceId });
    return client(fx, role).post(
      `/api/v1/watches/claims/${String(field(claim, 'claimId'))}/confirm`,
      {
        code: '000000',
        childName: 'Kim',
      },
    );
  },
  'GET /api/v1/watches': get(() => '/api/v1/watches'),
  'GET /api/v1/watches/:watchId': get((fx) => `/api/v1/watches/${fx.watchId}`),
  'DELETE /api/v1/watches/:watchId': (fx, role) =>
    client(fx, role).request('DELETE', `/api/v1/watches/${fx.watchId}`),
  'PUT /api/v1/watches/:watchId/child': (fx, role) =>
    client(fx, role).request('PUT', `/api/v1/watches/${fx.watchId}/child`, { childName: 'Mia' }),
  'GET /api/v1/watches/:watchId/child/avatar': async (fx, role) => {
    await fx.clients.admin.upload(
      'PUT',
      `/api/v1/watches/${fx.watchId}/child/avatar`,
      PNG,
      'image/png',
    );
    return client(fx, role).get(`/api/v1/watches/${fx.watchId}/child/avatar`);
  },
  'PUT /api/v1/watches/:watchId/child/avatar': (fx, role) =>
    client(fx, role).upload('PUT', `/api/v1/watches/${fx.watchId}/child/avatar`, PNG, 'image/png'),
  'GET /api/v1/watches/:watchId/guardians': get((fx) => `/api/v1/watches/${fx.watchId}/guardians`),
  'GET /api/v1/watches/:watchId/guardians/:accountId/avatar': async (fx, role) => {
    await fx.clients.admin.upload('PUT', '/api/v1/me/avatar', PNG, 'image/png');
    return client(fx, role).get(
      `/api/v1/watches/${fx.watchId}/guardians/${fx.accountIds.admin}/avatar`,
    );
  },
  'DELETE /api/v1/watches/:watchId/guardians/:accountId': (fx, role) =>
    client(fx, role).request(
      'DELETE',
      `/api/v1/watches/${fx.watchId}/guardians/${fx.accountIds.guardian}`,
    ),
  'PUT /api/v1/watches/:watchId/admin': (fx, role) =>
    client(fx, role).request('PUT', `/api/v1/watches/${fx.watchId}/admin`, {
      accountId: fx.accountIds.guardian,
    }),
  'GET /api/v1/watches/:watchId/invitations': get(
    (fx) => `/api/v1/watches/${fx.watchId}/invitations`,
  ),
  'POST /api/v1/watches/:watchId/invitations': (fx, role) =>
    client(fx, role).post(`/api/v1/watches/${fx.watchId}/invitations`, { phone: nextPhone() }),
  'POST /api/v1/watches/:watchId/invitations/:invitationId/approve': async (fx, role) => {
    const newcomer = new ApiClient(api.app);
    const phone = nextPhone();
    await logIn(api, newcomer, phone);
    const invitationId = String(field(await invitationFor(fx, phone), 'invitation.id'));
    await newcomer.post(`/api/v1/invitations/${invitationId}/accept`);
    return client(fx, role).post(
      `/api/v1/watches/${fx.watchId}/invitations/${invitationId}/approve`,
    );
  },
  'DELETE /api/v1/watches/:watchId/invitations/:invitationId': async (fx, role) => {
    const invitationId = String(field(await invitationFor(fx, nextPhone()), 'invitation.id'));
    return client(fx, role).request(
      'DELETE',
      `/api/v1/watches/${fx.watchId}/invitations/${invitationId}`,
    );
  },
  'GET /api/v1/watches/:watchId/location': async (fx, role) => {
    await storePosition(fx.watchId);
    return client(fx, role).get(`/api/v1/watches/${fx.watchId}/location`);
  },
  'POST /api/v1/watches/:watchId/locate': (fx, role) =>
    client(fx, role).post(`/api/v1/watches/${fx.watchId}/locate`),
  'GET /api/v1/watches/:watchId/positions': get(
    (fx) => `/api/v1/watches/${fx.watchId}/positions?limit=10`,
  ),
  'GET /api/v1/watches/:watchId/track': get((fx) => `/api/v1/watches/${fx.watchId}/track`),
  'GET /api/v1/watches/:watchId/positions/export': get(
    (fx) => `/api/v1/watches/${fx.watchId}/positions/export?format=gpx`,
  ),
  'GET /api/v1/watches/:watchId/activity': get((fx) => `/api/v1/watches/${fx.watchId}/activity`),
  'POST /api/v1/invitations/accept': async (fx, role) => {
    const token = String(field(await invitationFor(fx, null), 'token'));
    return client(fx, role).post('/api/v1/invitations/accept', { token });
  },
  'POST /api/v1/invitations/:invitationId/accept': async (fx, role) => {
    const invitationId = String(
      field(await invitationFor(fx, fx.phones.stranger), 'invitation.id'),
    );
    return client(fx, role).post(`/api/v1/invitations/${invitationId}/accept`);
  },
  'POST /api/v1/invitations/:invitationId/decline': async (fx, role) => {
    const invitationId = String(
      field(await invitationFor(fx, fx.phones.stranger), 'invitation.id'),
    );
    return client(fx, role).post(`/api/v1/invitations/${invitationId}/decline`);
  },
  'GET /api/v1/stream': get(() => '/api/v1/stream'),
  'GET /api/v1/watches/:watchId/alerts': get((fx) => `/api/v1/watches/${fx.watchId}/alerts`),
  'POST /api/v1/watches/:watchId/alerts/:alertId/acknowledge': async (fx, role) => {
    const alert = await api.services.alerts.raise({
      watchId: fx.watchId,
      kind: 'sos',
      raisedAt: new Date(),
      recordedAt: new Date(),
      location: null,
      details: {},
    });
    return client(fx, role).post(
      `/api/v1/watches/${fx.watchId}/alerts/${String(alert.id)}/acknowledge`,
    );
  },
  'GET /api/v1/watches/:watchId/zones': get((fx) => `/api/v1/watches/${fx.watchId}/zones`),
  'POST /api/v1/watches/:watchId/zones': (fx, role) =>
    client(fx, role).post(`/api/v1/watches/${fx.watchId}/zones`, SCHOOL_ZONE),
  'GET /api/v1/watches/:watchId/zones/:zoneId': async (fx, role) =>
    client(fx, role).get(`/api/v1/watches/${fx.watchId}/zones/${await adminZone(fx)}`),
  'PUT /api/v1/watches/:watchId/zones/:zoneId': async (fx, role) =>
    client(fx, role).request('PUT', `/api/v1/watches/${fx.watchId}/zones/${await adminZone(fx)}`, {
      ...SCHOOL_ZONE,
      name: 'Home',
    }),
  'DELETE /api/v1/watches/:watchId/zones/:zoneId': async (fx, role) =>
    client(fx, role).request(
      'DELETE',
      `/api/v1/watches/${fx.watchId}/zones/${await adminZone(fx)}`,
    ),
  'GET /api/v1/watches/:watchId/zone-events': get(
    (fx) => `/api/v1/watches/${fx.watchId}/zone-events`,
  ),
  'GET /api/v1/watches/:watchId/zone-only': get((fx) => `/api/v1/watches/${fx.watchId}/zone-only`),
  'PUT /api/v1/watches/:watchId/zone-only': (fx, role) =>
    client(fx, role).request('PUT', `/api/v1/watches/${fx.watchId}/zone-only`, {
      isZoneOnly: true,
    }),
  'POST /api/v1/demo': (fx, role) => client(fx, role).post('/api/v1/demo'),
};

describe('the authorization matrix', () => {
  test('lists every route the server has, and nothing else', () => {
    const routes = registeredRoutes(api.app);
    const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
    const served = routes
      .filter((r) => !(r.method === 'HEAD' && gets.has(r.url)))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    const listed = AUTHORIZATION_MATRIX.map((row) => row.route).sort();
    assert.deepEqual(served, listed);
    assert.deepEqual(Object.keys(REQUESTS).sort(), listed, 'every row has a request in this test');
  });

  for (const row of AUTHORIZATION_MATRIX) {
    test(row.route, async () => {
      const send = REQUESTS[row.route];
      assert.ok(send !== undefined, `no request for ${row.route}`);
      const got: Partial<Record<CallerRole, number>> = {};
      for (const role of ROLES) {
        const response = await send(await fixture(), role);
        got[role] = response.status;
      }
      assert.deepEqual(got, row.expect, JSON.stringify(got));
    });
  }
});

describe('scoping in the data layer', () => {
  test("a guardian's watch list never holds another family's watch", async () => {
    const fx = await fixture();
    for (const role of LOGGED_IN) {
      const ids = (
        field(await fx.clients[role].get('/api/v1/watches'), 'watches') as { id: string }[]
      ).map((w) => w.id);
      assert.equal(ids.includes(fx.watchId), role !== 'stranger', role);
    }
  });

  test("random and guessed ids answer 404 like another family's", async () => {
    const fx = await fixture();
    const guessed = await fx.clients.stranger.get('/api/v1/watches/AAAAAAAAAAAAAAAAAAAAAA');
    const foreign = await fx.clients.stranger.get(`/api/v1/watches/${fx.watchId}`);
    assert.equal(guessed.status, 404);
    assert.deepEqual(guessed.body, foreign.body);
    const malformed = await fx.clients.stranger.get('/api/v1/watches/1');
    assert.equal(malformed.status, 400);
  });
});
