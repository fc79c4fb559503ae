#!/usr/bin/env node
// Builds the web app (packages/web -> packages/web/dist) when there is no build yet or a
// source file is newer than the build, so that `npm start` always serves the current app.
// `--force` builds in any case.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('../packages/web/', import.meta.url));
const STAMP = join(WEB, 'dist', 'index.html');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

const LOCK = join(WEB, '.build-lock');
const LOCK_STALE_MS = 5 * 60_000;

function isStale() {
  const builtAt = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
  const changedAt = Math.max(...SOURCES.map((name) => newestMtime(join(WEB, name))));
  return builtAt <= changedAt;
}

/** Test processes start together: one builds while the others wait for its build. */
async function withLock(work) {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true });
      else if (Date.now() > deadline) {
        throw new Error(`${LOCK} is held for too long`, { cause: error });
      }
      await sleep(250);
    }
  }
  try {
    return work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

const isForced = process.argv.includes('--force');
if (!isForced && !isStale()) process.exit(0);

const status = await withLock(() => {
  // Another process may have built while this one waited.
  if (!isForced && !isStale()) return 0;
  console.error('Building the web app (packages/web)...');
  const result = spawnSync('npm', ['run', 'build', '--workspace', '@kinwatch/web', '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return result.status ?? 1;
});
if (status !== 0) {
  console.error('The web app did not build; see the messages above.');
  process.exit(status);
}
