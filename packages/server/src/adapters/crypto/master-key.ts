import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY_BYTES } from './aes-gcm.ts';

export const MASTER_KEY_FILE = 'master.key';

/** The key that wraps every watch's data key. Never stored in the database. */
export interface MasterKey {
  readonly bytes: Buffer;
  /** A fingerprint that names the key without revealing it; stored with each wrapped key. */
  readonly id: string;
  /** `environment`, or the path of the key file. */
  readonly origin: string;
  /** True when the file was made by this call: the operator must back it up. */
  readonly isNew: boolean;
}

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

export interface LoadMasterKeyOptions {
  /** Where `master.key` lives when no environment value is given. */
  readonly dataDir: string;
  /** Base64 (standard or URL-safe) of 32 bytes; used instead of the file when non-empty. */
  readonly envValue?: string | undefined;
}

/**
 * Loads the master key from the environment value when there is one, else from
 * `<dataDir>/master.key` (32 raw bytes), creating that file with mode 0600 when absent.
 * Throws MasterKeyError, and the server must not start, when the value is not 32 bytes, or the
 * file is not a regular file of 32 bytes, or its permissions let group or others in.
 */
export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<MasterKey> {
  const envValue = options.envValue?.trim();
  if (envValue !== undefined && envValue !== '') return keyFromEnvironment(envValue);
  const path = join(options.dataDir, MASTER_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing !== undefined) return masterKey(existing, path, false);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const created = await createKeyFile(path);
  if (created === undefined) {
    // Another process created it between our read and our write: use theirs.
    const theirs = await readKeyFile(path);
    if (theirs === undefined) throw new MasterKeyError(`master key file ${path} vanished`);
    return masterKey(theirs, path, false);
  }
  return masterKey(created, path, true);
}

function keyFromEnvironment(value: string): MasterKey {
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : undefined;
  if (bytes?.length !== KEY_BYTES) {
    throw new MasterKeyError(
      `the master key from the environment must be base64 of exactly ${KEY_BYTES} bytes ` +
        `(got ${bytes === undefined ? 'text that is not base64' : `${bytes.length} bytes`}); ` +
        'make one with: openssl rand -base64 32',
    );
  }
  return masterKey(bytes, 'environment', false);
}

/** The key in the file, or undefined when there is no file. */
async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  try {
    // Checked on the open handle, so the file checked is the file read.
    const stat = await handle.stat();
    if (!stat.isFile()) throw new MasterKeyError(`master key ${path} is not a regular file`);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new MasterKeyError(
        `master key file ${path} has mode ${mode}: group or others may use it. ` +
          `Refusing to start; run: chmod 600 ${path}`,
      );
    }
    if (stat.size !== KEY_BYTES) {
      throw new MasterKeyError(
        `master key file ${path} holds ${stat.size} bytes, not ${KEY_BYTES}: it is damaged or ` +
          'not a Kinwatch master key. Restore it from your backup.',
      );
    }
    const bytes = Buffer.alloc(KEY_BYTES);
    const { bytesRead } = await handle.read(bytes, 0, KEY_BYTES, 0);
    if (bytesRead !== KEY_BYTES) throw new MasterKeyError(`master key file ${path} is truncated`);
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Writes a new key and flushes it and its directory entry; undefined if the file exists. */
async function createKeyFile(path: string): Promise<Buffer | undefined> {
  const bytes = randomBytes(KEY_BYTES);
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) return undefined;
    throw error;
  }
  try {
    await handle.writeFile(bytes);
    // Data sealed under this key is unreadable without it: it must be on disk before any is.
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(join(path, '..'));
  return bytes;
}

async function syncDirectory(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

function masterKey(bytes: Buffer, origin: string, isNew: boolean): MasterKey {
  const id = createHmac('sha256', bytes)
    .update('kinwatch master key id')
    .digest('hex')
    .slice(0, 16);
  return { bytes, id, origin, isNew };
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
