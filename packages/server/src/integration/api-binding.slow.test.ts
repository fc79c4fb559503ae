import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ApiClient,
  bindWatch,
  codeOnScreen,
  connectWatch,
  errorCode,
  field,
  logIn,
  startApi,
  type RunningApi,
} from './api-harness.ts';
import { eventually, TestWatch } from './gateway-harness.ts';

let api: RunningApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.stop();
});

describe('binding a watch with proof of possession', () => {
  test('the code goes to the watch screen; the first guardian becomes admin of the child', async () => {
    await api.gateway.provision('8800000201');
    const watch = await connectWatch(api, '8800000201');
    const parent = new ApiClient(api.app);
    await logIn(api, parent, '+12025550201');
    const claim = await parent.post('/api/v1/watches/claims', { deviceId: '8800000201' });
    assert.equal(claim.status, 201);
    assert.equal(
      api.sms.sent.filter((m) => m.text.includes('binding')).length,
      0,
      'no SMS: the code is on the watch',
    );
    const code = await codeOnScreen(watch);
    const confirmed = await parent.post(
      `/api/v1/watches/claims/${String(field(claim, 'claimId'))}/confirm`,
      {
        code,
        childName: 'Mia',
        birthDate: '2017-05-04',
      },
    );
    assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
    assert.equal(field(confirmed, 'watch.role'), 'admin');
    assert.equal(field(confirmed, 'watch.child.name'), 'Mia');
    const watchId = String(field(confirmed, 'watch.id'));
    assert.match(watchId, /^[A-Za-z0-9_-]{22}$/, 'watch ids are random, not the device id');
    const list = await parent.get('/api/v1/watches');
    assert.deepEqual(
      (field(list, 'watches') as { id: string }[]).map((w) => w.id),
      [watchId],
    );
    watch.close();
  });

  test('a wrong code is refused, five wrong codes void the claim', async () => {
    await api.gateway.provision('8800000202');
    const watch = await connectWatch(api, '8800000202');
    const parent = new ApiClient(api.app);
    await logIn(api, parent, '+12025550202');
    const claim = await parent.post('/api/v1/watches/claims', { deviceId: '8800000202' });
    const claimId = String(field(claim, 'claimId'));
    const code = await codeOnScreen(watch);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const attempt = await parent.post(`/api/v1/watches/claims/${claimId}/confirm`, {
        code: wrong,
        childName: 'Leo',
      });
      assert.equal(attempt.status, 400);
      assert.equal(errorCode(attempt), 'invalidCode');
    }
    const right = await parent.post(`/api/v1/watches/claims/${claimId}/confirm`, {
      code,
      childName: 'Leo',
    });
    assert.equal(right.status, 400, 'the claim is void after five wrong codes');
    assert.equal(field(await parent.get('/api/v1/watches'), 'watches.length'), 0);
    watch.close();
  });

  test('a claim expires after 10 minutes and cannot be replayed', async () => {
    await api.gateway.provision('8800000203');
    const watch = await connectWatch(api, '8800000203');
    const parent = new ApiClient(api.app);
    await logIn(api, parent, '+12025550203');
    const claim = await parent.post('/api/v1/watches/claims', { deviceId: '8800000203' });
    const code = await codeOnScreen(watch);
    api.clock.advance(10 * 60_000 + 1);
    const late = await parent.post(
      `/api/v1/watches/claims/${String(field(claim, 'claimId'))}/confirm`,
      {
        code,
        childName: 'Ada',
      },
    );
    assert.equal(late.status, 400);
    const second = await parent.post('/api/v1/watches/claims', { deviceId: '8800000203' });
    const secondCode = await codeOnScreen(watch);
    const url = `/api/v1/watches/claims/${String(field(second, 'claimId'))}/confirm`;
    assert.equal((await parent.post(url, { code: secondCode, childName: 'Ada' })).status, 201);
    const replay = await parent.post(url, { code: secondCode, childName: 'Ada' });
    assert.equal(replay.status, 400);
    watch.close();
  });

  test("a bound watch cannot be claimed by another family; another guardian's claim is invisible", async () => {
    await api.gateway.provision('8800000204');
    const watch = await connectWatch(api, '8800000204');
    const owner = new ApiClient(api.app);
    await logIn(api, owner, '+12025550204');
    const stranger = new ApiClient(api.app);
    await logIn(api, stranger, '+12025550205');
    const strangersClaim = await stranger.post('/api/v1/watches/claims', {
      deviceId: '8800000204',
    });
    const strangersCode = await codeOnScreen(watch);
    const ownerTriesIt = await owner.post(
      `/api/v1/watches/claims/${String(field(strangersClaim, 'claimId'))}/confirm`,
      { code: strangersCode, childName: 'X' },
    );
    assert.equal(ownerTriesIt.status, 404, "a claim is only its maker's");
    await bindWatch(owner, watch, '8800000204');
    const late = await stranger.post('/api/v1/watches/claims', { deviceId: '8800000204' });
    assert.equal(late.status, 409);
    assert.equal(errorCode(late), 'watchAlreadyBound');
    watch.close();
  });

  test('an unknown watch that connected can be claimed, which provisions it', async () => {
    const watch = await TestWatch.connect(api.gateway.port);
    watch.sendFrame('8800000206', 'LK,0,0,100');
    await watch.waitFor((f) => f.includes('*LK'));
    await eventually(async () =>
      (await api.gateway.watches.listUnknownSightings(100)).some((s) => s.deviceId === '8800000206')
        ? true
        : undefined,
    );
    watch.close();
    const parent = new ApiClient(api.app);
    await logIn(api, parent, '+12025550206');
    const claim = await parent.post('/api/v1/watches/claims', { deviceId: '8800000206' });
    assert.equal(claim.status, 201, JSON.stringify(claim.body));
    assert.ok(await api.gateway.watches.findByDeviceId('8800000206'));
    const again = await connectWatch(api, '8800000206');
    const code = await codeOnScreen(again);
    const confirmed = await parent.post(
      `/api/v1/watches/claims/${String(field(claim, 'claimId'))}/confirm`,
      {
        code,
        childName: 'Noa',
      },
    );
    assert.equal(confirmed.status, 201);
    again.close();
  });

  test('an id that never connected, or is not a device id, gets a clear error', async () => {
    const parent = new ApiClient(api.app);
    await logIn(api, parent, '+12025550207');
    const never = await parent.post('/api/v1/watches/claims', { deviceId: '8800000299' });
    assert.equal(never.status, 404);
    assert.equal(errorCode(never), 'watchNotFound');
    const letters = await parent.post('/api/v1/watches/claims', { deviceId: 'abc' });
    assert.equal(letters.status, 400);
    assert.equal(errorCode(letters), 'invalidDeviceId');
  });

  test('claims are rate-limited per guardian', async () => {
    const parent = new ApiClient(api.app);
    await logIn(api, parent, '+12025550208');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push(
        (
          await parent.post('/api/v1/watches/claims', {
            deviceId: `88000003${String(i).padStart(2, '0')}`,
          })
        ).status,
      );
    }
    assert.deepEqual(statuses.slice(0, 10), Array<number>(10).fill(404));
    assert.equal(statuses[10], 429);
  });

  test('a watch connected as unknown gets the code on the same connection when the claim provisions it', async () => {
    const watch = await TestWatch.connect(api.gateway.port);
    watch.sendFrame('8800000209', 'LK,0,0,100');
    await watch.waitFor((f) => f.includes('*LK'));
    await eventually(async () =>
      (await api.gateway.watches.listUnknownSightings(100)).some((s) => s.deviceId === '8800000209')
        ? true
        : undefined,
    );
    const parent = new ApiClient(api.app);
    await logIn(api, parent, '+12025550209');
    const claim = await parent.post('/api/v1/watches/claims', { deviceId: '8800000209' });
    assert.equal(claim.status, 201);
    const code = await codeOnScreen(watch);
    const confirmed = await parent.post(
      `/api/v1/watches/claims/${String(field(claim, 'claimId'))}/confirm`,
      { code, childName: 'Ada' },
    );
    assert.equal(confirmed.status, 201);
    assert.ok(!watch.isClosed, 'the watch never had to reconnect');
    watch.close();
  });
});
