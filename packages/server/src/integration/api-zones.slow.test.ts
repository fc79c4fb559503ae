/**
 * Safe zones through the real API on SQLite: drawing, changing and deleting circles and
 * polygons, refusing bad input with the error shape, and hiding one family's zones from another.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ApiClient,
  bindWatch,
  connectWatch,
  errorCode,
  field,
  logIn,
  startApi,
  type ApiResponse,
  type RunningApi,
} from './api-harness.ts';

let api: RunningApi;
let parent: ApiClient;
let stranger: ApiClient;
let watchId: string;
let strangerWatchId: string;

async function family(phone: string, deviceId: string): Promise<[ApiClient, string]> {
  const client = new ApiClient(api.app);
  await logIn(api, client, phone);
  await api.gateway.provision(deviceId);
  const watch = await connectWatch(api, deviceId);
  const id = await bindWatch(client, watch, deviceId);
  watch.close();
  return [client, id];
}

before(async () => {
  api = await startApi();
  [parent, watchId] = await family('+12025550701', '7700000701');
  [stranger, strangerWatchId] = await family('+12025550702', '7700000702');
});
after(async () => {
  await api.stop();
});

const SCHOOL = {
  name: 'School',
  shape: { kind: 'circle', latitude: 52.52, longitude: 13.405, radiusMeters: 150 },
  expectations: [
    {
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '07:50',
      end: '08:15',
      timeZone: 'Europe/Berlin',
    },
  ],
};

const PARK = {
  name: 'Park',
  shape: {
    kind: 'polygon',
    vertices: [
      { latitude: 52.51, longitude: 13.4 },
      { latitude: 52.515, longitude: 13.4 },
      { latitude: 52.515, longitude: 13.41 },
      { latitude: 52.51, longitude: 13.41 },
      { latitude: 52.51, longitude: 13.4 },
    ],
  },
};

const zonesUrl = (id = watchId) => `/api/v1/watches/${id}/zones`;

function assertRefused(response: ApiResponse, code: string, message?: RegExp): void {
  assert.equal(response.status, 400, JSON.stringify(response.body));
  assert.equal(errorCode(response), code);
  assert.equal(typeof field(response, 'error.message'), 'string');
  if (message !== undefined) assert.match(String(field(response, 'error.message')), message);
}

describe('drawing zones', () => {
  test('circles and polygons are created, listed, read, replaced and deleted', async () => {
    const school = await parent.post(zonesUrl(), SCHOOL);
    assert.equal(school.status, 201, JSON.stringify(school.body));
    assert.deepEqual(field(school, 'zone.shape'), SCHOOL.shape);
    assert.deepEqual(field(school, 'zone.expectations'), SCHOOL.expectations);
    const park = await parent.post(zonesUrl(), PARK);
    assert.equal(park.status, 201, JSON.stringify(park.body));
    const parkId = String(field(park, 'zone.id'));
    assert.equal((field(park, 'zone.shape.vertices') as unknown[]).length, 4, 'stored open');
    assert.deepEqual(field(park, 'zone.expectations'), []);

    const listed = field(await parent.get(zonesUrl()), 'zones') as { name: string }[];
    assert.deepEqual(
      listed.map((z) => z.name),
      ['School', 'Park'],
    );
    assert.equal(field(await parent.get(`${zonesUrl()}/${parkId}`), 'zone.name'), 'Park');

    const bigger = { ...SCHOOL, shape: { ...SCHOOL.shape, radiusMeters: 400 }, expectations: [] };
    const replaced = await parent.request(
      'PUT',
      `${zonesUrl()}/${String(field(school, 'zone.id'))}`,
      bigger,
    );
    assert.equal(replaced.status, 200);
    assert.equal(field(replaced, 'zone.shape.radiusMeters'), 400);

    assert.equal((await parent.request('DELETE', `${zonesUrl()}/${parkId}`)).status, 204);
    const gone = await parent.get(`${zonesUrl()}/${parkId}`);
    assert.equal(gone.status, 404);
    assert.equal(errorCode(gone), 'zoneNotFound');
  });

  test('zone-only mode is off by default and can be switched', async () => {
    assert.equal(
      field(await parent.get(`/api/v1/watches/${watchId}/zone-only`), 'isZoneOnly'),
      false,
    );
    const on = await parent.request('PUT', `/api/v1/watches/${watchId}/zone-only`, {
      isZoneOnly: true,
    });
    assert.equal(field(on, 'isZoneOnly'), true);
    assert.equal(await api.services.zones.isZoneOnly(watchId), true);
    await parent.request('PUT', `/api/v1/watches/${watchId}/zone-only`, { isZoneOnly: false });
  });

  test('arrivals and departures appear in the zone events', async () => {
    const created = await parent.post(zonesUrl(), { ...SCHOOL, name: 'Club', expectations: [] });
    const zoneId = String(field(created, 'zone.id'));
    const at = api.clock.now();
    const fix = { latitude: 52.52, longitude: 13.405, accuracyMeters: 10, at, isBuffered: false };
    const arrived = await api.services.zones.evaluate(watchId, fix);
    assert.ok(
      arrived.some((t) => t.zoneId === zoneId && t.kind === 'enter' && t.zoneName === 'Club'),
    );
    const to = new Date(at.getTime() + 1000).toISOString();
    const events = await parent.get(
      `/api/v1/watches/${watchId}/zone-events?zoneId=${zoneId}&to=${to}`,
    );
    assert.equal(events.status, 200, JSON.stringify(events.body));
    assert.deepEqual(
      (field(events, 'events') as { kind: string }[]).map((e) => e.kind),
      ['enter'],
    );
    const reversed = await parent.get(
      `/api/v1/watches/${watchId}/zone-events?from=${to}&to=${at.toISOString()}`,
    );
    assertRefused(reversed, 'invalidRange');
  });
});

describe('bad input', () => {
  const circle = (change: Record<string, unknown>) => ({
    name: 'Bad',
    shape: { ...SCHOOL.shape, ...change },
  });

  test('a self-intersecting polygon is refused', async () => {
    const [a, b, c, d] = PARK.shape.vertices;
    const bowTie = { name: 'Bow tie', shape: { kind: 'polygon', vertices: [a, c, b, d] } };
    assertRefused(await parent.post(zonesUrl(), bowTie), 'invalidZone', /crosses itself/);
  });

  test('absurd radii are refused: 0 and 10,000 km', async () => {
    assertRefused(
      await parent.post(zonesUrl(), circle({ radiusMeters: 0 })),
      'invalidZone',
      /radiusMeters/,
    );
    assertRefused(
      await parent.post(zonesUrl(), circle({ radiusMeters: 10_000_000 })),
      'invalidZone',
      /radiusMeters/,
    );
  });

  test('NaN and out-of-range coordinates are refused', async () => {
    assertRefused(
      await parent.post(zonesUrl(), circle({ latitude: 95 })),
      'invalidZone',
      /latitude/,
    );
    assertRefused(
      await parent.post(zonesUrl(), circle({ longitude: -200 })),
      'invalidZone',
      /longitude/,
    );
    const body = JSON.stringify(circle({ latitude: 0 })).replace('"latitude":0', '"latitude":NaN');
    const nan = await parent.upload('POST', zonesUrl(), Buffer.from(body), 'application/json');
    assert.equal(nan.status, 400);
    assert.equal(typeof field(nan, 'error.code'), 'string');
    const text = await parent.post(zonesUrl(), circle({ latitude: 'NaN' }));
    assertRefused(text, 'invalidRequest');
  });

  test('a schedule that ends before it starts is refused', async () => {
    const backwards = {
      ...SCHOOL,
      expectations: [{ ...SCHOOL.expectations[0], start: '08:15', end: '07:50' }],
    };
    assertRefused(
      await parent.post(zonesUrl(), backwards),
      'invalidZone',
      /ends at 07:50, not after/,
    );
  });

  test('unknown fields are refused, naming the field', async () => {
    const extra = await parent.post(zonesUrl(), { ...SCHOOL, colour: 'red' });
    assertRefused(extra, 'invalidRequest');
    assert.deepEqual(
      (field(extra, 'error.details') as { field: string }[]).map((d) => d.field),
      ['colour'],
    );
    assertRefused(await parent.post(zonesUrl(), circle({ height: 3 })), 'invalidRequest');
  });

  test('nothing refused was stored', async () => {
    const names = (field(await parent.get(zonesUrl()), 'zones') as { name: string }[]).map(
      (z) => z.name,
    );
    assert.ok(!names.includes('Bad') && !names.includes('Bow tie'));
  });
});

describe('another family', () => {
  test("another family's zone ids answer 404 on every route, and nothing changes", async () => {
    const zoneId = String(field(await parent.post(zonesUrl(), SCHOOL), 'zone.id'));
    const foreign = `${zonesUrl()}/${zoneId}`;
    const viaOwnWatch = `${zonesUrl(strangerWatchId)}/${zoneId}`;
    for (const response of [
      await stranger.get(zonesUrl()),
      await stranger.get(foreign),
      await stranger.request('PUT', foreign, SCHOOL),
      await stranger.request('DELETE', foreign),
      await stranger.get(viaOwnWatch),
      await stranger.request('PUT', viaOwnWatch, SCHOOL),
      await stranger.request('DELETE', viaOwnWatch),
      await stranger.get(`/api/v1/watches/${watchId}/zone-events`),
      await stranger.request('PUT', `/api/v1/watches/${watchId}/zone-only`, { isZoneOnly: true }),
    ]) {
      assert.equal(response.status, 404, JSON.stringify(response.body));
    }
    assert.equal((await parent.get(foreign)).status, 200);
    assert.equal(await api.services.zones.isZoneOnly(watchId), false);
  });
});
