import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ApiClient,
  errorCode,
  familyOfTwo,
  field,
  logIn,
  openStream,
  startApi,
  type RunningApi,
  type TwoGuardianFamily,
} from './api-harness.ts';
import { alarmContent, UD_GPS } from './gateway-harness.ts';

let api: RunningApi;
let port: number;
before(async () => {
  api = await startApi();
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const address = api.app.server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});
after(async () => {
  await api.stop();
});

let next = 700;
async function familyWithTwoGuardians(): Promise<TwoGuardianFamily & { stranger: ApiClient }> {
  next += 1;
  const family = await familyOfTwo(api, {
    deviceId: `88000${String(next).padStart(5, '0')}`,
    mumPhone: `+12025550${String(next)}`,
    dadPhone: `+12025551${String(next)}`,
  });
  const stranger = new ApiClient(api.app);
  await logIn(api, stranger, `+12025552${String(next)}`);
  return { ...family, stranger };
}

describe('SOS', () => {
  test('reaches every guardian at once, repeats until one acknowledges, and the others see who', async () => {
    const family = await familyWithTwoGuardians();
    const mumStream = await openStream(port, family.mum);
    const dadStream = await openStream(port, family.dad);
    const strangerStream = await openStream(port, family.stranger);
    await mumStream.waitFor((m) => m['type'] === 'hello');
    await dadStream.waitFor((m) => m['type'] === 'hello');
    await strangerStream.waitFor((m) => m['type'] === 'hello');

    family.watch.sendFrame(family.deviceId, alarmContent('00010000'));
    await family.watch.waitFor((f) => f.endsWith('*AL]'));
    const isSos = (m: Record<string, unknown>) =>
      m['type'] === 'alert' && (m['alert'] as { kind: string }).kind === 'sos';
    const raised = await mumStream.waitFor((m) => isSos(m) && m['change'] === 'raised');
    await dadStream.waitFor((m) => isSos(m) && m['change'] === 'raised');
    const alertId = (raised['alert'] as { id: number }).id;
    // Announced before its commit, then the stored alert, which carries the same times.
    const sosMessages = mumStream.messages.filter((m) => m['type'] === 'alarmReceived' || isSos(m));
    assert.deepEqual(
      sosMessages.map((m) => m['change'] ?? m['type']),
      ['alarmReceived', 'raised'],
    );
    const announced = sosMessages[0] as Record<string, unknown>;
    const stored = raised['alert'] as { recordedAt: string; raisedAt: string };
    assert.deepEqual(announced['alertKinds'], ['sos']);
    assert.equal(announced['recordedAt'], stored.recordedAt);
    assert.equal(announced['receivedAt'], stored.raisedAt);

    assert.equal(await api.services.alerts.repeatOpenSos(), 1);
    await dadStream.waitFor((m) => isSos(m) && m['change'] === 'repeated');

    const ack = await family.dad.post(
      `/api/v1/watches/${family.watchId}/alerts/${String(alertId)}/acknowledge`,
    );
    assert.equal(ack.status, 200);
    const seen = await mumStream.waitFor((m) => isSos(m) && m['change'] === 'acknowledged');
    assert.ok((seen['alert'] as { acknowledgedBy: string | null }).acknowledgedBy !== null);
    assert.equal(await api.services.alerts.repeatOpenSos(), 0, 'no repeat once acknowledged');

    const list = await family.mum.get(`/api/v1/watches/${family.watchId}/alerts`);
    assert.equal(field(list, 'alerts.0.kind'), 'sos');
    assert.ok(field(list, 'alerts.0.acknowledgedAt') !== null);
    assert.equal(
      strangerStream.messages.filter((m) => m['type'] !== 'hello').length,
      0,
      'another family hears nothing',
    );
    const foreign = await family.stranger.post(
      `/api/v1/watches/${family.watchId}/alerts/${String(alertId)}/acknowledge`,
    );
    assert.equal(foreign.status, 404);
    for (const stream of [mumStream, dadStream, strangerStream]) stream.close();
    family.watch.close();
  });

  test('status reaches the stream, and a low battery raises one alert', async () => {
    const family = await familyWithTwoGuardians();
    const stream = await openStream(port, family.mum);
    await stream.waitFor((m) => m['type'] === 'hello');
    family.watch.sendFrame(family.deviceId, 'LK,120,0,9');
    const status = await stream.waitFor(
      (m) => m['type'] === 'status' && m['batteryPercent'] === 9,
      5000,
    );
    assert.equal(status['watchId'], family.watchId);
    await stream.waitFor(
      (m) => m['type'] === 'alert' && (m['alert'] as { kind: string }).kind === 'lowBattery',
      5000,
    );
    stream.close();
    family.watch.close();
  });

  test('positions appear live on the stream', async () => {
    const family = await familyWithTwoGuardians();
    const stream = await openStream(port, family.dad);
    await stream.waitFor((m) => m['type'] === 'hello');
    family.watch.sendFrame(family.deviceId, UD_GPS);
    const position = await stream.waitFor((m) => m['type'] === 'position');
    assert.equal(position['watchId'], family.watchId);
    stream.close();
    family.watch.close();
  });

  test('a client that reconnects with the last event id gets the alerts it missed', async () => {
    const family = await familyWithTwoGuardians();
    const first = await openStream(port, family.mum);
    const hello = await first.waitFor((m) => m['type'] === 'hello');
    first.close();
    family.watch.sendFrame(family.deviceId, alarmContent('00200000'));
    await family.watch.waitFor((f) => f.endsWith('*AL]'));
    family.watch.sendFrame(family.deviceId, alarmContent('00010000'));
    await family.watch.waitFor((f) => f.endsWith('*AL]'));
    await new Promise((r) => setTimeout(r, 100));
    const resumed = await openStream(port, family.mum, Number(hello['lastEventId']));
    const kinds = async () => {
      await resumed.waitFor(
        (m) => m['type'] === 'alert' && (m['alert'] as { kind: string }).kind === 'sos',
      );
      return resumed.messages
        .filter((m) => m['type'] === 'alert')
        .map((m) => (m['alert'] as { kind: string }).kind);
    };
    assert.deepEqual(await kinds(), ['fall', 'sos']);
    assert.equal(
      resumed.messages.some((m) => m['type'] === 'alarmReceived'),
      false,
      'announcements are not replayed; the stored alerts are',
    );
    resumed.close();
    family.watch.close();
  });
});

describe('the stream after a family change', () => {
  test('a guardian removed by the admin stops hearing the watch at once', async () => {
    const family = await familyWithTwoGuardians();
    const stream = await openStream(port, family.dad);
    await stream.waitFor((m) => m['type'] === 'hello');
    const dadId = String(field(await family.dad.get('/api/v1/me'), 'account.id'));
    const removed = await family.mum.request(
      'DELETE',
      `/api/v1/watches/${family.watchId}/guardians/${dadId}`,
    );
    assert.equal(removed.status, 204);
    await new Promise((r) => setTimeout(r, 100));
    family.watch.sendFrame(family.deviceId, alarmContent('00010000'));
    await family.watch.waitFor((f) => f.endsWith('*AL]'));
    const mumStream = await openStream(port, family.mum);
    await mumStream.waitFor((m) => m['type'] === 'hello');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(
      stream.messages.filter((m) => m['type'] === 'alert').length,
      0,
      'the removed guardian heard nothing of the SOS',
    );
    const list = await family.mum.get(`/api/v1/watches/${family.watchId}/alerts`);
    assert.equal(field(list, 'alerts.0.kind'), 'sos', 'the SOS was raised for the family');
    stream.close();
    mumStream.close();
    family.watch.close();
  });
});

describe('the stream refuses', () => {
  test('anonymous clients (401) and plain HTTP requests (400 upgradeRequired)', async () => {
    const anonymous = await new ApiClient(api.app).get('/api/v1/stream');
    assert.equal(anonymous.status, 401);
    const client = new ApiClient(api.app);
    await logIn(api, client, '+12025553999');
    const plain = await client.get('/api/v1/stream');
    assert.equal(plain.status, 400);
    assert.equal(errorCode(plain), 'upgradeRequired');
  });
});

describe('zone alerts', () => {
  test('walking into and out of a safe zone raises arrival and departure alerts on the stream', async () => {
    const family = await familyWithTwoGuardians();
    const zone = await family.mum.post(`/api/v1/watches/${family.watchId}/zones`, {
      name: 'School',
      shape: { kind: 'circle', latitude: 22.571707, longitude: 113.8613968, radiusMeters: 300 },
    });
    assert.equal(zone.status, 201, JSON.stringify(zone.body));
    const stream = await openStream(port, family.dad);
    await stream.waitFor((m) => m['type'] === 'hello');
    const alertOf = (kind: string) => (m: Record<string, unknown>) =>
      m['type'] === 'alert' && (m['alert'] as { kind: string }).kind === kind;
    family.watch.sendFrame(family.deviceId, UD_GPS);
    const entered = await stream.waitFor(alertOf('zoneEnter'), 5000);
    assert.equal(
      (entered['alert'] as { details: { zoneName: string } }).details.zoneName,
      'School',
    );
    const away = UD_GPS.replace('22.571707', '22.591707');
    family.watch.sendFrame(family.deviceId, away.replace('134652', '135652'));
    await stream.waitFor(alertOf('zoneLeave'), 5000);
    stream.close();
    family.watch.close();
  });
});
