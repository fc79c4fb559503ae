import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, field, startApi, type RunningApi } from './api-harness.ts';
import { eventually } from './gateway-harness.ts';

let api: RunningApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.stop();
});

test('the demo logs in a marked demo family whose simulated watch reports, then deletes it all', async () => {
  const visitor = new ApiClient(api.app);
  const started = await visitor.post('/api/v1/demo');
  assert.equal(started.status, 201);
  assert.equal(field(started, 'account.isDemo'), true);
  assert.equal(api.sms.sent.length, 0, 'no SMS for a demo');
  const watches = field(await visitor.get('/api/v1/watches'), 'watches') as {
    id: string;
    isDemo: boolean;
    role: string;
  }[];
  assert.equal(watches.length, 1);
  const [watch] = watches;
  assert.ok(watch?.isDemo === true && watch.role === 'admin');
  const latest = await eventually(() => api.gateway.positions.latest(watch.id), 5000);
  assert.ok(Math.abs((latest.latitude ?? 0) - 51.5033) < 0.01, 'walking around its park');

  api.clock.advance(61 * 60_000);
  assert.ok(api.demo !== undefined);
  assert.equal(await api.demo.sweep(), 1);
  assert.equal((await visitor.get('/api/v1/me')).status, 401, 'the demo account is gone');
  assert.equal(
    await api.gateway.watches.findById(watch.id),
    undefined,
    'and its watch with its data',
  );
});

test('the web app learns, without a session, that the demo is on and no tile server is set', async () => {
  const response = await new ApiClient(api.app).get('/api/v1/client-config');
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, {
    map: { tileUrl: null, tileAttribution: null },
    isDemoEnabled: true,
    locationStaleAfterSeconds: 15 * 60,
  });
});
