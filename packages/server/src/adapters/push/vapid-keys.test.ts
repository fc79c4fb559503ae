import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadVapidKeys, VAPID_KEYS_FILE, VapidKeysError } from './vapid-keys.ts';

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kinwatch-vapid-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('keys are made once, private to the owner, and the same keys come back', async () => {
  const dir = await dataDir();
  const first = await loadVapidKeys(dir);
  assert.equal(first.isNew, true);
  assert.match(first.publicKey, /^[A-Za-z0-9_-]{87}$/);
  const path = join(dir, VAPID_KEYS_FILE);
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  const again = await loadVapidKeys(dir);
  assert.deepEqual(again, { ...first, isNew: false });
  assert.ok((await readFile(path, 'utf8')).includes(first.privateKey));
});

test('a key file others may read, or that holds no key pair, stops the start', async () => {
  const dir = await dataDir();
  await loadVapidKeys(dir);
  const path = join(dir, VAPID_KEYS_FILE);
  await chmod(path, 0o644);
  await assert.rejects(loadVapidKeys(dir), VapidKeysError);
  await writeFile(path, '{"publicKey":"short","privateKey":"x"}', { mode: 0o600 });
  await chmod(path, 0o600);
  await assert.rejects(loadVapidKeys(dir), /does not hold a P-256 key pair/);
  await writeFile(path, 'not json');
  await assert.rejects(loadVapidKeys(dir), /not JSON/);
});
