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
  addGuardian as addGuardianByNumber,
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
  api = await startApi();
});
after(async () => {
  await api.stop();
});

interface Family {
  readonly admin: ApiClient;
  readonly adminId: string;
  readonly watchId: string;
}

let nextNumber = 300;
function phone(): string {
  nextNumber += 1;
  return `+120255${String(nextNumber).padStart(5, '0')}`;
}

async function family(deviceId: string): Promise<Family> {
  await api.gateway.provision(deviceId);
  const watch = await connectWatch(api, deviceId);
  const admin = new ApiClient(api.app);
  const adminId = await logIn(api, admin, phone());
  const watchId = await bindWatch(admin, watch, deviceId);
  watch.close();
  return { admin, adminId, watchId };
}

/** A new guardian of the family, added through the invitation flow of the API harness. */
async function addGuardian(
  home: Family,
): Promise<{ client: ApiClient; id: string; phone: string }> {
  const number = phone();
  const client = await addGuardianByNumber(api, home.admin, home.watchId, number);
  return { client, id: String(field(await client.get('/api/v1/me'), 'account.id')), phone: number };
}

function noticeKinds(response: { body: unknown }): string[] {
  return (response.body as { notices: { kind: string }[] }).notices.map((n) => n.kind);
}

describe('inviting guardians', () => {
  test('an invitation takes effect only when the admin approves it, and everyone is told', async () => {
    const home = await family('8800000401');
    const number = phone();
    const dad = new ApiClient(api.app);
    const dadId = await logIn(api, dad, number);
    const invited = await home.admin.post(`/api/v1/watches/${home.watchId}/invitations`, {
      phone: number,
    });
    const invitationId = String(field(invited, 'invitation.id'));
    assert.equal(field(await dad.get('/api/v1/me/invitations'), 'invitations.0.id'), invitationId);
    assert.equal((await dad.post(`/api/v1/invitations/${invitationId}/accept`)).status, 200);
    assert.equal(
      (await dad.get(`/api/v1/watches/${home.watchId}`)).status,
      404,
      'accepted is not yet approved',
    );
    const approved = await home.admin.post(
      `/api/v1/watches/${home.watchId}/invitations/${invitationId}/approve`,
    );
    assert.equal(approved.status, 200);
    const seen = await dad.get(`/api/v1/watches/${home.watchId}`);
    assert.equal(seen.status, 200);
    assert.equal(field(seen, 'watch.role'), 'guardian');
    const guardians = await dad.get(`/api/v1/watches/${home.watchId}/guardians`);
    assert.deepEqual(
      (field(guardians, 'guardians') as { accountId: string; role: string }[]).map((g) => [
        g.accountId,
        g.role,
      ]),
      [
        [home.adminId, 'admin'],
        [dadId, 'guardian'],
      ],
    );
    assert.ok(noticeKinds(await home.admin.get('/api/v1/me/notices')).includes('guardianAdded'));
    assert.ok(noticeKinds(await dad.get('/api/v1/me/notices')).includes('guardianAdded'));
  });

  test('an invitation by link works for any account; the token is single use', async () => {
    const home = await family('8800000402');
    const invited = await home.admin.post(`/api/v1/watches/${home.watchId}/invitations`, {});
    const token = String(field(invited, 'token'));
    assert.equal(field(invited, 'link'), `/invite#${token}`);
    const gran = new ApiClient(api.app);
    await logIn(api, gran, phone());
    assert.equal((await gran.post('/api/v1/invitations/accept', { token })).status, 200);
    const other = new ApiClient(api.app);
    await logIn(api, other, phone());
    const replay = await other.post('/api/v1/invitations/accept', { token });
    assert.equal(replay.status, 404);
    assert.equal(errorCode(replay), 'invitationNotFound');
  });

  test('only the admin invites and approves; a guardian gets 403, a stranger 404', async () => {
    const home = await family('8800000403');
    const dad = await addGuardian(home);
    const byGuardian = await dad.client.post(`/api/v1/watches/${home.watchId}/invitations`, {});
    assert.equal(byGuardian.status, 403);
    assert.equal(errorCode(byGuardian), 'adminOnly');
    const stranger = new ApiClient(api.app);
    await logIn(api, stranger, phone());
    assert.equal(
      (await stranger.post(`/api/v1/watches/${home.watchId}/invitations`, {})).status,
      404,
    );
  });

  test('an invitation to another number cannot be accepted by id', async () => {
    const home = await family('8800000404');
    const invited = await home.admin.post(`/api/v1/watches/${home.watchId}/invitations`, {
      phone: phone(),
    });
    const thief = new ApiClient(api.app);
    await logIn(api, thief, phone());
    const response = await thief.post(
      `/api/v1/invitations/${String(field(invited, 'invitation.id'))}/accept`,
    );
    assert.equal(response.status, 404);
  });

  test('a revoked or expired invitation cannot be accepted', async () => {
    const home = await family('8800000405');
    const number = phone();
    const invitee = new ApiClient(api.app);
    await logIn(api, invitee, number);
    const revoked = await home.admin.post(`/api/v1/watches/${home.watchId}/invitations`, {
      phone: number,
    });
    const revokedId = String(field(revoked, 'invitation.id'));
    assert.equal(
      (
        await home.admin.request(
          'DELETE',
          `/api/v1/watches/${home.watchId}/invitations/${revokedId}`,
        )
      ).status,
      204,
    );
    assert.equal((await invitee.post(`/api/v1/invitations/${revokedId}/accept`)).status, 404);
    const expiring = await home.admin.post(`/api/v1/watches/${home.watchId}/invitations`, {
      phone: number,
    });
    api.clock.advance(8 * 86_400_000);
    const late = await invitee.post(
      `/api/v1/invitations/${String(field(expiring, 'invitation.id'))}/accept`,
    );
    assert.equal(late.status, 404);
    const list = await home.admin.get(`/api/v1/watches/${home.watchId}/invitations`);
    assert.deepEqual(
      (field(list, 'invitations') as { status: string }[]).map((i) => i.status).sort(),
      ['expired', 'revoked'],
    );
  });
});

describe('guardian pictures', () => {
  test('the guardians list says who has a picture, so no one fetches a missing one', async () => {
    const home = await family('8800000399');
    const dad = await addGuardian(home);
    const png = pngFile([
      ihdr(2, 2),
      pngChunk('IDAT', deflateSync(rawScanlines(RGB_2X2_ROWS))),
      pngChunk('IEND'),
    ]);
    const uploaded = await dad.client.upload('PUT', '/api/v1/me/avatar', png, 'image/png');
    assert.ok(uploaded.status < 300, JSON.stringify(uploaded.body));
    const list = await home.admin.get(`/api/v1/watches/${home.watchId}/guardians`);
    const pictures = Object.fromEntries(
      (list.body as { guardians: { accountId: string; hasAvatar: boolean }[] }).guardians.map(
        (guardian) => [guardian.accountId, guardian.hasAvatar],
      ),
    );
    assert.deepEqual(pictures, { [home.adminId]: false, [dad.id]: true });
  });
});

describe('roles and leaving', () => {
  test('no field a client sends raises a role', async () => {
    const home = await family('8800000410');
    const dad = await addGuardian(home);
    const sneaky = await dad.client.request('PUT', `/api/v1/watches/${home.watchId}/child`, {
      childName: 'Mia',
      role: 'admin',
    });
    assert.equal(sneaky.status, 400);
    assert.equal(errorCode(sneaky), 'invalidRequest');
    const handover = await dad.client.request('PUT', `/api/v1/watches/${home.watchId}/admin`, {
      accountId: dad.id,
    });
    assert.equal(handover.status, 403);
    assert.equal(
      field(await dad.client.get(`/api/v1/watches/${home.watchId}`), 'watch.role'),
      'guardian',
    );
  });

  test('the admin hands over after re-authenticating; everyone is told', async () => {
    const home = await family('8800000411');
    const dad = await addGuardian(home);
    api.clock.advance(11 * 60_000);
    const stale = await home.admin.request('PUT', `/api/v1/watches/${home.watchId}/admin`, {
      accountId: dad.id,
    });
    assert.equal(stale.status, 403);
    assert.equal(errorCode(stale), 'reauthenticationRequired');
    await home.admin.post('/api/v1/auth/reauth/otp');
    const adminPhone = String(field(await home.admin.get('/api/v1/me'), 'account.phone'));
    assert.equal(
      (await home.admin.post('/api/v1/auth/reauth', { code: api.sms.lastCodeTo(adminPhone) }))
        .status,
      204,
    );
    const done = await home.admin.request('PUT', `/api/v1/watches/${home.watchId}/admin`, {
      accountId: dad.id,
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(
      field(await dad.client.get(`/api/v1/watches/${home.watchId}`), 'watch.role'),
      'admin',
    );
    assert.equal(
      field(await home.admin.get(`/api/v1/watches/${home.watchId}`), 'watch.role'),
      'guardian',
    );
    assert.ok(noticeKinds(await dad.client.get('/api/v1/me/notices')).includes('adminChanged'));
  });

  test('a guardian leaves, the admin removes; the admin cannot leave without handing over', async () => {
    const home = await family('8800000412');
    const dad = await addGuardian(home);
    const gran = await addGuardian(home);
    const adminLeaves = await home.admin.request(
      'DELETE',
      `/api/v1/watches/${home.watchId}/guardians/${home.adminId}`,
    );
    assert.equal(adminLeaves.status, 409);
    assert.equal(errorCode(adminLeaves), 'adminMustHandOver');
    const dadRemovesGran = await dad.client.request(
      'DELETE',
      `/api/v1/watches/${home.watchId}/guardians/${gran.id}`,
    );
    assert.equal(dadRemovesGran.status, 403);
    assert.equal(
      (await gran.client.request('DELETE', `/api/v1/watches/${home.watchId}/guardians/${gran.id}`))
        .status,
      204,
    );
    assert.equal(
      (await home.admin.request('DELETE', `/api/v1/watches/${home.watchId}/guardians/${dad.id}`))
        .status,
      204,
    );
    assert.equal((await dad.client.get(`/api/v1/watches/${home.watchId}`)).status, 404);
    assert.ok(noticeKinds(await dad.client.get('/api/v1/me/notices')).includes('guardianRemoved'));
    assert.ok(noticeKinds(await home.admin.get('/api/v1/me/notices')).includes('guardianLeft'));
  });
});

describe('unbinding', () => {
  test('needs re-authentication, tells every guardian, and leaves nothing for the next family', async () => {
    const home = await family('8800000420');
    const dad = await addGuardian(home);
    api.clock.advance(11 * 60_000);
    assert.equal(
      (await home.admin.request('DELETE', `/api/v1/watches/${home.watchId}`)).status,
      403,
    );
    await home.admin.post('/api/v1/auth/reauth/otp');
    const adminPhone = String(field(await home.admin.get('/api/v1/me'), 'account.phone'));
    await home.admin.post('/api/v1/auth/reauth', { code: api.sms.lastCodeTo(adminPhone) });
    assert.equal(
      (await dad.client.request('DELETE', `/api/v1/watches/${home.watchId}`)).status,
      403,
    );
    assert.equal(
      (await home.admin.request('DELETE', `/api/v1/watches/${home.watchId}`)).status,
      204,
    );
    assert.equal(field(await home.admin.get('/api/v1/watches'), 'watches.length'), 0);
    assert.equal(field(await dad.client.get('/api/v1/watches'), 'watches.length'), 0);
    assert.ok(noticeKinds(await dad.client.get('/api/v1/me/notices')).includes('watchUnbound'));
    const again = await api.gateway.watches.findByDeviceId('8800000420');
    assert.ok(
      again !== undefined && again.id !== home.watchId,
      'a fresh watch id for the next family',
    );
  });
});
