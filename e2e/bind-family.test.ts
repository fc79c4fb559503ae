/**
 * Binding a simulated watch through the UI (the ID typed, the code read from the watch's
 * screen), then growing the family: the admin invites a second guardian by number, she
 * accepts, the admin approves, and each sees the other.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimulatedWatch } from '@kinwatch/simulator';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phoneContext, screenshot } from './support/browser.ts';
import { freshPhone, signInByApi } from './support/guardians.ts';
import { startKinwatch, type KinwatchProcess } from './support/kinwatch-process.ts';
import { codeIn, nextScreenText, startWatch } from './support/watches.ts';

let server: KinwatchProcess;
let browser: Browser;
let watch: SimulatedWatch | undefined;

before(async () => {
  server = await startKinwatch();
  browser = await launchBrowser();
});

after(async () => {
  watch?.stop();
  await browser.close();
  await server.stop();
});

function e164(phone: string): string {
  return `+${phone.replace(/\D/g, '')}`;
}

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('a guardian binds a watch with the code on its screen, then adds a second guardian', async () => {
  watch = await startWatch(server.gatewayPort);
  const adminPhone = freshPhone();
  const secondPhone = freshPhone();

  const adminContext = await phoneContext(browser, server.baseUrl);
  await signInByApi(adminContext, server, adminPhone);
  const admin = await adminContext.newPage();
  const adminErrors = collectErrors(admin);

  // Step 1: the watch's ID, typed.
  await admin.goto('/bind');
  await admin.getByRole('heading', { name: 'Which watch?' }).waitFor();
  await admin.getByLabel('Watch ID').fill(watch.deviceId);
  await screenshot(admin, 'bind-step-1');
  const screenText = nextScreenText(watch);
  await admin.getByRole('button', { name: 'Send a code to the watch' }).click();
  const code = codeIn(await screenText);

  // Step 2: the code the watch shows, and the child.
  await admin.getByRole('heading', { name: 'Your watch now shows a 6-digit code' }).waitFor();
  await admin.getByRole('timer').waitFor();
  await admin.getByLabel('Code on the watch').fill(code);
  await admin.getByLabel("Child's name").fill('Mia');
  await screenshot(admin, 'bind-step-2');
  await admin.getByRole('button', { name: 'Add the watch' }).click();

  // The watch's map, with the watch in the list (the top bar names it from that list).
  await admin.waitForURL(/\/watches\/[^/]+$/);
  const watchId = new URL(admin.url()).pathname.split('/')[2] ?? '';
  assert.notEqual(watchId, '');
  await admin.locator('.topbar__title', { hasText: 'Mia' }).waitFor();
  const list = (await (await adminContext.request.get('/api/v1/watches')).json()) as {
    watches: { id: string; role: string; child: { name: string } | null }[];
  };
  assert.deepEqual(
    list.watches.map((w) => [w.id, w.role, w.child?.name]),
    [[watchId, 'admin', 'Mia']],
  );

  // The admin invites a second guardian by number on the Family screen.
  // The last tab sits past the edge of a phone's tab strip: reach it by keyboard.
  const familyTab = admin
    .getByRole('navigation', { name: 'This watch' })
    .getByRole('link', { name: 'Family' });
  await familyTab.focus();
  await familyTab.press('Enter');
  await admin.getByRole('heading', { name: 'Family', level: 1 }).waitFor();
  const adminGuardians = admin.getByRole('list', { name: 'Guardians' });
  await adminGuardians.getByText(e164(adminPhone)).waitFor();
  await admin.getByLabel('Their mobile number').fill(secondPhone);
  await admin.getByRole('button', { name: 'Invite by number' }).click();
  await admin.getByText(`Invitation sent to ${e164(secondPhone)}.`).waitFor();
  const linkField = admin.getByLabel('Invitation link');
  assert.match(await linkField.inputValue(), new RegExp(`^${server.baseUrl}/invite#[\\w-]{20,}$`));
  await admin
    .getByRole('list', { name: 'Open invitations' })
    .getByText('Waiting for them')
    .waitFor();

  // The second guardian accepts the invitation sent to her number.
  const secondContext = await phoneContext(browser, server.baseUrl);
  await signInByApi(secondContext, server, secondPhone);
  const second = await secondContext.newPage();
  const secondErrors = collectErrors(second);
  await second.goto('/invite');
  const mine = second.getByRole('list', { name: 'Invitations to your number' });
  await mine.getByRole('button', { name: 'Accept the invitation' }).click();
  await second.getByText("Waiting for the admin's approval").waitFor();

  // The admin sees that it needs approval, and approves.
  await admin.reload();
  const open = admin.getByRole('list', { name: 'Open invitations' });
  await open.getByText('Needs your approval').waitFor();
  await open.getByRole('button', { name: 'Approve' }).click();
  await adminGuardians.getByText(e164(secondPhone)).waitFor();
  assert.equal(await adminGuardians.getByRole('listitem').count(), 2);
  await admin.getByText('No open invitations.').waitFor();
  await admin.evaluate(() => {
    window.scrollTo(0, 0);
  });
  await screenshot(admin, 'family');

  // The second guardian now sees the watch and the admin in the family list.
  await second.getByText('Approved: you are now a guardian.').waitFor({ timeout: 20_000 });
  await second.goto(`/watches/${watchId}/family`);
  const secondGuardians = second.getByRole('list', { name: 'Guardians' });
  const adminRow = secondGuardians.getByRole('listitem').filter({ hasText: e164(adminPhone) });
  await adminRow.getByText('Admin').waitFor();
  const ownRow = secondGuardians.getByRole('listitem').filter({ hasText: e164(secondPhone) });
  await ownRow.getByText('You', { exact: true }).waitFor();
  assert.equal(await second.getByRole('button', { name: 'Invite by number' }).count(), 0);
  await screenshot(second, 'family-second-guardian');

  assert.deepEqual(adminErrors, []);
  assert.deepEqual(secondErrors, []);
  await adminContext.close();
  await secondContext.close();
});
