import assert from 'node:assert/strict';
import type { SimulatedWatch } from '@kinwatch/simulator';
import type { BrowserContext } from 'playwright-core';
import type { KinwatchProcess } from './kinwatch-process.ts';
import { codeIn, nextScreenText } from './watches.ts';

let nextNumber = 100 + (process.pid % 800);

/** A valid US test number (555-01xx range) no other test of this process uses. */
export function freshPhone(): string {
  nextNumber += 1;
  return `+1 202 555 ${String(1000 + (nextNumber % 9000)).padStart(4, '0')}`;
}

/**
 * Logs a browser context in through the API (SMS code from the file outbox), for tests whose
 * subject is another screen. The login screen itself is tested through the UI.
 */
export async function signInByApi(
  context: BrowserContext,
  server: KinwatchProcess,
  phone: string,
  nthCode = 1,
): Promise<void> {
  const otp = await context.request.post('/api/v1/auth/otp', { data: { phone } });
  assert.equal(otp.status(), 202, await otp.text());
  const code = await server.smsCode(phone, nthCode);
  const login = await context.request.post('/api/v1/auth/login', { data: { phone, code } });
  assert.equal(login.status(), 200, await login.text());
}

/** Binds a connected simulated watch to the context's account through the API; its watch id. */
export async function bindByApi(
  context: BrowserContext,
  watch: SimulatedWatch,
  childName = 'Mia',
): Promise<string> {
  const screen = nextScreenText(watch);
  // The watch is connected, but the server records its first sighting a moment after its
  // first frame: until then a claim is answered 404 watchNotFound, as the app tells the user.
  const deadline = Date.now() + 15_000;
  let claim = await claimWatch(context, watch.deviceId);
  while (claim.status() === 404 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    claim = await claimWatch(context, watch.deviceId);
  }
  assert.equal(claim.status(), 201, await claim.text());
  const { claimId } = (await claim.json()) as { claimId: string };
  const code = codeIn(await screen);
  const confirmed = await context.request.post(`/api/v1/watches/claims/${claimId}/confirm`, {
    data: { code, childName },
  });
  assert.equal(confirmed.status(), 201, await confirmed.text());
  return ((await confirmed.json()) as { watch: { id: string } }).watch.id;
}

function claimWatch(context: BrowserContext, deviceId: string) {
  return context.request.post('/api/v1/watches/claims', { data: { deviceId } });
}

/** Adds the account of `guardian` (already signed in) to the watch: invite, accept, approve. */
export async function addGuardianByApi(
  admin: BrowserContext,
  guardian: BrowserContext,
  watchId: string,
  guardianPhone: string,
): Promise<void> {
  const invited = await admin.request.post(`/api/v1/watches/${watchId}/invitations`, {
    data: { phone: guardianPhone },
  });
  assert.equal(invited.status(), 201, await invited.text());
  const { invitation } = (await invited.json()) as { invitation: { id: string } };
  const accepted = await guardian.request.post(`/api/v1/invitations/${invitation.id}/accept`);
  assert.equal(accepted.status(), 200, await accepted.text());
  const approved = await admin.request.post(
    `/api/v1/watches/${watchId}/invitations/${invitation.id}/approve`,
  );
  assert.ok(approved.status() < 300, await approved.text());
}
