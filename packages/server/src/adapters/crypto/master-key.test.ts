import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { loadMasterKey, MasterKeyError } from './master-key.ts';

describe('loadMasterKey', () => {
  let directory = '';
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kinwatch-key-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test('creates master.key with mode 0600 in a new data directory, then reuses it', async () => {
    const dataDir = join(directory, 'data');
    const created = await loadMasterKey({ dataDir });
    const path = join(dataDir, 'master.key');
    assert.equal(created.isNew, true);
    assert.equal(created.origin, path);
    assert.equal(created.bytes.length, 32);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readFile(path), created.bytes);

    const again = await loadMasterKey({ dataDir, envValue: '' });
    assert.equal(again.isNew, false);
    assert.deepEqual(again.bytes, created.bytes);
    assert.equal(again.id, created.id);
    assert.match(created.id, /^[0-9a-f]{16}$/);
    assert.ok(!created.bytes.toString('hex').includes(created.id), 'the id is not a key slice');
  });

  test('two starts racing for a new data directory end up with the same key', async () => {
    const dataDir = join(directory, 'data');
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadMasterKey({ dataDir })));
    for (const key of keys) assert.deepEqual(key.bytes, keys[0]?.bytes);
    assert.equal(keys.filter((key) => key.isNew).length, 1);
  });

  for (const mode of [0o640, 0o604, 0o644, 0o660]) {
    test(`refuses a key file with mode ${mode.toString(8)}`, async () => {
      const path = join(directory, 'master.key');
      await writeFile(path, Buffer.alloc(32, 7));
      await chmod(path, mode);
      await assert.rejects(loadMasterKey({ dataDir: directory }), (error: Error) => {
        assert.ok(error instanceof MasterKeyError);
        assert.match(error.message, /group or others/);
        assert.match(error.message, /chmod 600/);
        return true;
      });
    });
  }

  test('accepts 0400', async () => {
    const path = join(directory, 'master.key');
    await writeFile(path, Buffer.alloc(32, 7));
    await chmod(path, 0o400);
    assert.deepEqual((await loadMasterKey({ dataDir: directory })).bytes, Buffer.alloc(32, 7));
  });

  for (const size of [0, 31, 33, 44]) {
    test(`refuses a key file of ${size} bytes`, async () => {
      const path = join(directory, 'master.key');
      await writeFile(path, Buffer.alloc(size, 1), { mode: 0o600 });
      await assert.rejects(loadMasterKey({ dataDir: directory }), /holds \d+ bytes, not 32/);
    });
  }

  test('the environment value wins over the file and creates nothing', async () => {
    const bytes = Buffer.alloc(32, 9);
    const key = await loadMasterKey({ dataDir: directory, envValue: bytes.toString('base64') });
    assert.deepEqual(key.bytes, bytes);
    assert.equal(key.origin, 'environment');
    await assert.rejects(stat(join(directory, 'master.key')), { code: 'ENOENT' });
    const urlSafe = Buffer.alloc(32, 0xfb).toString('base64url');
    assert.deepEqual(
      (await loadMasterKey({ dataDir: directory, envValue: ` ${urlSafe}\n` })).bytes,
      Buffer.alloc(32, 0xfb),
    );
  });

  test('refuses an environment value that is not base64 of 32 bytes', async () => {
    for (const envValue of [
      Buffer.alloc(16).toString('base64'),
      Buffer.alloc(33).toString('base64'),
      'not base64 at all!',
      Buffer.alloc(32).toString('hex'),
    ]) {
      await assert.rejects(loadMasterKey({ dataDir: directory, envValue }), (error: Error) => {
        assert.ok(error instanceof MasterKeyError);
        assert.match(error.message, /base64 of exactly 32 bytes/);
        return true;
      });
    }
  });
});
