#!/usr/bin/env node
// Builds the web app (packages/web -> packages/web/dist) when there is no build yet or a
// source file is newer than the build, so that `npm start` always serves the current app.
// `--force` builds in any case.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

const isForced = process.argv.includes('--force');
const builtAt = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
const changedAt = Math.max(...SOURCES.map((name) => newestMtime(join(WEB, name))));
if (!isForced && builtAt > changedAt) process.exit(0);

console.error('Building the web app (packages/web)...');
const result = spawnSync('npm', ['run', 'build', '--workspace', '@kinwatch/web', '--silent'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (result.status !== 0) {
  console.error('The web app did not build; see the messages above.');
  process.exit(result.status ?? 1);
}
