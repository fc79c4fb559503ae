import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import webpush from 'web-push';

export const VAPID_KEYS_FILE = 'vapid.json';

/** The server's VAPID key pair (RFC 8292), base64url as browsers and web-push take them. */
export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

export class VapidKeysError extends Error {
  override readonly name = 'VapidKeysError';
}

/**
 * Loads `<dataDir>/vapid.json`, creating it (mode 0600) with a new key pair at first start.
 * Every browser subscription is bound to the public key: a new pair voids them all, so the file
 * is kept, and backed up with the data directory. Throws VapidKeysError when the file is not
 * a key pair or group or others may read it.
 */
export async function loadVapidKeys(dataDir: string): Promise<VapidKeys & { isNew: boolean }> {
  const path = join(dataDir, VAPID_KEYS_FILE);
  const existing = await readKeys(path);
  if (existing !== undefined) return { ...existing, isNew: false };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const keys = webpush.generateVAPIDKeys();
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    // Another process made it between our read and our write: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = await readKeys(path);
    if (theirs === undefined) throw new VapidKeysError(`VAPID key file ${path} vanished`);
    return { ...theirs, isNew: false };
  }
  try {
    await handle.writeFile(`${JSON.stringify(keys, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { publicKey: keys.publicKey, privateKey: keys.privateKey, isNew: true };
}

async function readKeys(path: string): Promise<VapidKeys | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new VapidKeysError(
        `VAPID key file ${path} may be read by group or others; run: chmod 600 ${path}`,
      );
    }
    return parseKeys(await readFile(handle, 'utf8'), path);
  } finally {
    await handle.close();
  }
}

function parseKeys(text: string, path: string): VapidKeys {
  let parsed: Partial<Record<string, unknown>>;
  try {
    parsed = JSON.parse(text) as Partial<Record<string, unknown>>;
  } catch {
    throw new VapidKeysError(`VAPID key file ${path} is not JSON`);
  }
  const { publicKey, privateKey } = parsed;
  // P-256: a 65-byte public point and a 32-byte private scalar, base64url without padding.
  if (
    typeof publicKey !== 'string' ||
    typeof privateKey !== 'string' ||
    !/^[A-Za-z0-9_-]{87}$/.test(publicKey) ||
    !/^[A-Za-z0-9_-]{43}$/.test(privateKey)
  ) {
    throw new VapidKeysError(`VAPID key file ${path} does not hold a P-256 key pair`);
  }
  return { publicKey, privateKey };
}

/** A fresh key pair kept in memory only (tests; a server keeps its pair in the data directory). */
export function generateVapidKeys(): VapidKeys {
  const { publicKey, privateKey } = webpush.generateVAPIDKeys();
  return { publicKey, privateKey };
}
