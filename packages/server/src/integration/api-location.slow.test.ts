/**
 * Location and history over the real API, gateway and SQLite: the latest fix from a watch's
 * report, locate-now reaching the watch's socket, history pages, track and export, and the
 * activity log that records each view for every guardian of the watch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Position } from '@kinwatch/core';
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
import { KeyringCipher } from '../adapters/crypto/keyring-cipher.ts';
import { SqlPositionBlocks } from '../adapters/sql/position-blocks.ts';
import { SqlWrappedKeyStore } from '../adapters/sql/watch-key.repository.ts';
import { PositionBlockBuilder } from '../jobs/position-blocks.job.ts';
import { eventually, type TestWatch } from './gateway-harness.ts';

const DEVICE_ID = '8800000501';

let api: RunningApi;
let watch: TestWatch;
let watchId: string;
let strangerWatchId: string;
const admin = { client: undefined as unknown as ApiClient, id: '' };
const guardian = { client: undefined as unknown as ApiClient, id: '' };
let stranger: ApiClient;

before(async () => {
  api = await startApi();
  admin.client = new ApiClient(api.app);
  guardian.client = new ApiClient(api.app);
  stranger = new ApiClient(api.app);
  admin.id = await logIn(api, admin.client, '+12025550501');
  guardian.id = await logIn(api, guardian.client, '+12025550502');
  await logIn(api, stranger, '+12025550503');
  await admin.client.request('PATCH', '/api/v1/me', { nickname: 'Mum' });
  await guardian.client.request('PATCH', '/api/v1/me', { nickname: 'Grandad' });
  await api.gateway.provision(DEVICE_ID, '8800000502');
  watch = await connectWatch(api, DEVICE_ID);
  watchId = await bindWatch(admin.client, watch, DEVICE_ID);
  const strangerWatch = await connectWatch(api, '8800000502');
  strangerWatchId = await bindWatch(stranger, strangerWatch, '8800000502');
  strangerWatch.close();
  const invited = await admin.client.post(`/api/v1/watches/${watchId}/invitations`, {
    phone: '+12025550502',
  });
  const invitationId = String(field(invited, 'invitation.id'));
  await guardian.client.post(`/api/v1/invitations/${invitationId}/accept`);
  await admin.client.post(`/api/v1/watches/${watchId}/invitations/${invitationId}/approve`);
});
after(async () => {
  watch.close();
  await api.stop();
});

/** A live GPS report dated `at` (UTC, as the watch's clock has it). */
function locationReport(at: Date, latitude: number, longitude: number): string {
  const iso = at.toISOString();
  const date = `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(2, 4)}`;
  const time = `${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return (
    `UD,${date},${time},A,${latitude.toFixed(6)},N,${longitude.toFixed(6)},E,3.1,142.0,100,7,` +
    '60,90,1000,50,00000000,1,1,460,0,9360,4082,131,0,12.5'
  );
}

const BASE = new Date(Date.UTC(2025, 2, 1, 8, 0, 0));
const at = (minutes: number) => new Date(BASE.getTime() + minutes * 60_000);

function fix(minutes: number, overrides: Partial<Position> = {}): Position {
  return {
    watchId,
    recordedAt: at(minutes),
    receivedAt: at(minutes),
    source: 'gps',
    latitude: 52.52 + minutes * 1e-4,
    longitude: 13.405,
    accuracyMeters: 12,
    speedKmh: 4,
    courseDegrees: 0,
    altitudeMeters: 35,
    isBuffered: false,
    flags: [],
    ...overrides,
  };
}

function url(path: string, query: Record<string, string | number> = {}): string {
  const search = new URLSearchParams(
    Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]),
  ).toString();
  return `/api/v1/watches/${watchId}/${path}${search === '' ? '' : `?${search}`}`;
}

const RANGE = { from: at(0).toISOString(), to: at(60).toISOString() };

interface ActivityView {
  actor: { accountId: string; nickname: string | null };
  kind: string;
  details: Record<string, unknown>;
}

async function activityOf(client: ApiClient): Promise<ActivityView[]> {
  const response = await client.get(url('activity', { limit: 200 }));
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return field(response, 'entries') as ActivityView[];
}

function text(response: ApiResponse): string {
  return Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body);
}

describe('the latest position', () => {
  test('appears after a report, with source, accuracy and times, and turns stale', async () => {
    const none = await admin.client.get(url('location'));
    assert.equal(none.status, 404);
    assert.equal(errorCode(none), 'noPosition');
    const sentAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    watch.sendFrame(DEVICE_ID, locationReport(sentAt, 22.571707, 113.861397));
    const latest = await eventually(async () => {
      const response = await guardian.client.get(url('location'));
      return response.status === 200 ? response : undefined;
    });
    assert.equal(field(latest, 'position.source'), 'gps');
    assert.equal(field(latest, 'position.latitude'), 22.571707);
    assert.equal(field(latest, 'position.recordedAt'), sentAt.toISOString());
    assert.equal(typeof field(latest, 'position.receivedAt'), 'string');
    assert.equal(field(latest, 'isStale'), false);
    assert.equal(field(latest, 'staleAfterSeconds'), 900);
    api.clock.advance(16 * 60_000);
    try {
      assert.equal(field(await admin.client.get(url('location')), 'isStale'), true);
    } finally {
      api.clock.advance(-16 * 60_000);
    }
  });

  test("another family's watch is not found", async () => {
    const response = await stranger.get(url('location'));
    assert.equal(response.status, 404);
    assert.equal(errorCode(response), 'watchNotFound');
  });
});

describe('locate now', () => {
  test('sends the locate command to the watch, once per 10 seconds', async () => {
    const located = await guardian.client.post(url('locate'));
    assert.equal(located.status, 202, JSON.stringify(located.body));
    assert.equal(typeof field(located, 'commandId'), 'number');
    await watch.waitFor((frame) => frame.endsWith('*CR]'));
    const again = await admin.client.post(url('locate'));
    assert.equal(again.status, 429);
    assert.equal(errorCode(again), 'tooManyLocates');
    assert.equal(again.headers['retry-after'], '10');
  });
});

describe('history', () => {
  let order: Position[] = [];

  before(async () => {
    const stored = [
      ...Array.from({ length: 23 }, (_, i) => fix(i * 2)),
      fix(10, { latitude: 1, longitude: 1, flags: ['impossibleJump'] }),
      fix(10, { latitude: 2, longitude: 2, flags: ['impossibleJump'] }),
      fix(59, { source: 'none', latitude: null, longitude: null, accuracyMeters: null }),
    ];
    // Stable sort: ties on the device time keep the order they were stored in.
    order = [...stored].sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime());
    await api.gateway.positions.appendBatch(stored);
    await api.gateway.positions.appendBatch([fix(60), fix(-1)]);
  });

  test('pages return every position of the range exactly once, in order', async () => {
    const seen: { recordedAt: string; latitude: number | null }[] = [];
    let cursor: string | null = null;
    for (let pages = 1; ; pages++) {
      const response = await admin.client.get(
        url('positions', { ...RANGE, limit: 7, ...(cursor === null ? {} : { cursor }) }),
      );
      assert.equal(response.status, 200, JSON.stringify(response.body));
      seen.push(...(field(response, 'positions') as typeof seen));
      cursor = field(response, 'nextCursor') as string | null;
      if (cursor === null) {
        assert.equal(pages, Math.ceil(order.length / 7));
        break;
      }
    }
    assert.deepEqual(
      seen.map((p) => [p.recordedAt, p.latitude]),
      order.map((p) => [p.recordedAt.toISOString(), p.latitude]),
    );
  });

  test('the track is simplified, without jumps or unlocated reports', async () => {
    const response = await guardian.client.get(url('track', { ...RANGE, toleranceMeters: 5 }));
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const points = field(response, 'points') as { latitude: number; recordedAt: string }[];
    assert.equal(field(response, 'sourcePoints'), 23);
    // A straight walk north: its two ends are enough.
    assert.deepEqual(
      points.map((p) => p.recordedAt),
      [at(0).toISOString(), at(44).toISOString()],
    );
  });

  test('exports well-formed GPX with the name escaped', async () => {
    await admin.client.request('PUT', `/api/v1/watches/${watchId}/child`, {
      childName: 'Mia <&> "Jo"',
    });
    const response = await guardian.client.get(
      url('positions/export', { ...RANGE, format: 'gpx' }),
    );
    assert.equal(response.status, 200, text(response));
    assert.match(String(response.headers['content-type']), /^application\/gpx\+xml/);
    assert.match(
      String(response.headers['content-disposition']),
      /^attachment; filename="positions-\d{4}-\d{2}-\d{2}\.gpx"$/,
    );
    const gpx = text(response);
    assertBalancedXml(gpx);
    assert.match(gpx, /<gpx version="1\.1" creator="Kinwatch" xmlns="http:\/\/www\.topografix/);
    assert.ok(gpx.includes('<name>Mia &lt;&amp;&gt; &quot;Jo&quot;</name>'));
    assert.equal(gpx.match(/<trkpt /g)?.length, 25, 'every located position, none without');
  });

  test('exports a GeoJSON FeatureCollection', async () => {
    const response = await admin.client.get(
      url('positions/export', { ...RANGE, format: 'geojson' }),
    );
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^application\/geo\+json/);
    assert.match(String(response.headers['content-disposition']), /^attachment; .*\.geojson"$/);
    const document = (
      typeof response.body === 'object' && !Buffer.isBuffer(response.body)
        ? response.body
        : JSON.parse(text(response))
    ) as { type: string; features: { geometry: { coordinates: number[] } }[] };
    assert.equal(document.type, 'FeatureCollection');
    assert.equal(document.features.length, 25);
    assert.deepEqual(document.features[0]?.geometry.coordinates, [13.405, 52.52]);
  });

  test('refuses bad ranges, cursors, limits and formats', async () => {
    const cases: [Record<string, string | number>, string, string][] = [
      [{ from: RANGE.to, to: RANGE.from }, 'positions', 'invalidRange'],
      [{ from: RANGE.from, to: RANGE.from }, 'positions', 'invalidRange'],
      [{ from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'positions', 'rangeTooLarge'],
      [{ ...RANGE, cursor: 'not-a-cursor' }, 'positions', 'invalidCursor'],
      [{ ...RANGE, cursor: 'pzzzzzzzzzzz_1' }, 'positions', 'invalidCursor'],
      [{ ...RANGE, limit: 0 }, 'positions', 'invalidRequest'],
      [{ ...RANGE, limit: 2001 }, 'positions', 'invalidRequest'],
      [{ ...RANGE, limit: 1_000_000 }, 'positions', 'invalidRequest'],
      [{ from: 'yesterday' }, 'positions', 'invalidRequest'],
      [{ ...RANGE, extra: 1 }, 'positions', 'invalidRequest'],
      [{ ...RANGE, toleranceMeters: 5000 }, 'track', 'invalidRequest'],
      [{ from: RANGE.to, to: RANGE.from }, 'track', 'invalidRange'],
      [{ ...RANGE, format: 'kml' }, 'positions/export', 'invalidRequest'],
      [{ ...RANGE }, 'positions/export', 'invalidRequest'],
      [
        { from: '2024-01-01T00:00:00Z', format: 'gpx', to: '2025-01-01T00:00:00Z' },
        'positions/export',
        'rangeTooLarge',
      ],
    ];
    for (const [query, path, code] of cases) {
      const response = await admin.client.get(url(path, query));
      assert.equal(response.status, 400, `${path} ${JSON.stringify(query)}`);
      assert.equal(errorCode(response), code, `${path} ${JSON.stringify(query)}`);
    }
  });
});

describe('history in blocks', () => {
  /** The next day: 150 fixes a minute apart, over three hours. */
  const DAY_TWO = { from: at(24 * 60).toISOString(), to: at(25 * 60 + 30).toISOString() };

  before(async () => {
    await api.gateway.positions.appendBatch(
      Array.from({ length: 150 }, (_, minute) =>
        fix(24 * 60 + minute, { latitude: 48.85 + minute * 1e-4 }),
      ),
    );
  });

  test('a page of up to 2,000 holds the range; the same once the job made its blocks', async () => {
    const read = async () => {
      const response = await admin.client.get(url('positions', { ...DAY_TWO, limit: 2000 }));
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as { positions: Record<string, unknown>[]; nextCursor: null };
    };
    const page = await read();
    assert.equal(page.nextCursor, null);
    assert.equal(page.positions.length, 90, 'every position of the range, in one page');
    for (const position of page.positions) {
      assert.deepEqual(Object.keys(position), [
        'recordedAt',
        'receivedAt',
        'source',
        'latitude',
        'longitude',
        'accuracyMeters',
        'speedKmh',
        'courseDegrees',
        'altitudeMeters',
        'isBuffered',
        'flags',
      ]);
    }

    const db = api.gateway.database.db;
    const cipher = new KeyringCipher({
      masterKey: api.gateway.masterKey,
      store: new SqlWrappedKeyStore(db),
    });
    const job = new PositionBlockBuilder(
      new SqlPositionBlocks(db, cipher),
      { now: () => new Date(Date.now() + 2 * 3_600_000) },
      api.logger,
    );
    assert.ok((await job.runOnce()) >= 3, 'the three hours of day two, at least');
    assert.deepEqual(await read(), page);
  });
});

describe('the activity log', () => {
  test('shows every guardian who located, viewed and exported, and family changes', async () => {
    await admin.client.get(url('positions', RANGE));
    await guardian.client.get(url('positions/export', { ...RANGE, format: 'gpx' }));
    for (const client of [admin.client, guardian.client]) {
      const entries = await activityOf(client);
      const has = (kind: string, accountId: string) =>
        entries.some((e) => e.kind === kind && e.actor.accountId === accountId);
      assert.ok(has('historyViewed', admin.id), 'the admin viewed the history');
      assert.ok(has('historyExported', guardian.id), 'the guardian exported it');
      assert.ok(has('locateNow', guardian.id), 'the guardian located the watch');
      assert.ok(has('invitationSent', admin.id) && has('guardianAdded', admin.id));
      assert.ok(has('childProfileChanged', admin.id));
      const viewed = entries.find(
        (e) => e.kind === 'historyViewed' && e.actor.accountId === admin.id,
      );
      const exported = entries.find((e) => e.kind === 'historyExported');
      assert.ok(viewed !== undefined && exported !== undefined);
      assert.equal(viewed.actor.nickname, 'Mum');
      assert.deepEqual([viewed.details['from'], viewed.details['to']], [RANGE.from, RANGE.to]);
      assert.equal(exported.actor.nickname, 'Grandad');
      assert.equal(exported.details['format'], 'gpx');
    }
  });

  test('is newest first, in pages', async () => {
    const all = (await activityOf(admin.client)) as (ActivityView & { id: number })[];
    assert.deepEqual(
      all.map((e) => e.id),
      [...all.map((e) => e.id)].sort((a, b) => b - a),
    );
    const first = await admin.client.get(url('activity', { limit: 2 }));
    const nextBefore = field(first, 'nextBefore') as number;
    const second = await admin.client.get(url('activity', { limit: 2, before: nextBefore }));
    assert.deepEqual(
      [
        ...(field(first, 'entries') as { id: number }[]),
        ...(field(second, 'entries') as { id: number }[]),
      ].map((e) => e.id),
      all.slice(0, 4).map((e) => e.id),
    );
  });

  test("is not visible to another family, and does not show another family's views", async () => {
    const response = await stranger.get(url('activity'));
    assert.equal(response.status, 404);
    assert.equal(errorCode(response), 'watchNotFound');
    const own = await stranger.get(`/api/v1/watches/${strangerWatchId}/activity`);
    assert.equal(own.status, 200);
    const kinds = (field(own, 'entries') as ActivityView[]).map((e) => e.kind);
    assert.ok(!kinds.includes('historyViewed') && !kinds.includes('locateNow'));
  });
});

/** Every opened element is closed in order: enough to catch broken escaping. */
function assertBalancedXml(xml: string): void {
  const open: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  for (const match of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^<>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing === '/') continue;
    if (closing === '/') assert.equal(open.pop(), name, `</${String(name)}> out of order`);
    else open.push(String(name));
  }
  assert.deepEqual(open, []);
  assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(body), 'a bare & in the document');
  assert.equal(body.replace(/<[^<>]*>/g, '').includes('<'), false, 'a bare < in text');
}
