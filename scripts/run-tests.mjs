#!/usr/bin/env node
// Runs the test suites with node:test through tsx. Node 20 does not expand globs itself,
// so the files are collected here. `fast` runs the unit tests next to the code; `all` adds
// the slower suites (database contract tests, real TCP, end-to-end).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mode = process.argv[2] ?? 'all';
const roots = ['packages', 'e2e', 'scripts'];
const skip = new Set(['node_modules', 'dist']);

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = roots.flatMap((root) => collect(root, [])).sort();
const slow = (file) => file.endsWith('.slow.test.ts') || file.startsWith('e2e');
const selected = mode === 'fast' ? files.filter((f) => !slow(f)) : files;
if (selected.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// The browser tests drive Debian's Chromium (with a CJK and an emoji font). On a fresh Debian
// machine run as root, install them here; elsewhere say what is missing.
const CHROMIUM = process.env.KINWATCH_CHROMIUM ?? '/usr/bin/chromium';
const BROWSER_PACKAGES = ['chromium', 'fonts-wqy-microhei', 'fonts-noto-color-emoji'];
if (mode !== 'fast' && !existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    console.error(`Installing ${BROWSER_PACKAGES.join(', ')} for the browser tests...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...BROWSER_PACKAGES], {
      stdio: 'inherit',
      env,
    });
  }
  if (!existsSync(CHROMIUM)) {
    console.error(
      `The browser tests need Chromium at ${CHROMIUM}: apt-get install ${BROWSER_PACKAGES.join(' ')}, or set KINWATCH_CHROMIUM to a Chromium binary.`,
    );
    process.exit(1);
  }
}

// TAP on the terminal, as usual; the failed tests also go to a file, printed at the end.
const summaryDir = mkdtempSync(join(tmpdir(), 'kinwatch-tests-'));
const failures = join(summaryDir, 'failures.txt');
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=tap',
    '--test-reporter-destination=stdout',
    `--test-reporter=${new URL('./failure-summary.reporter.mjs', import.meta.url).href}`,
    `--test-reporter-destination=${failures}`,
    ...selected,
  ],
  { stdio: 'inherit' },
);
const failed = existsSync(failures) ? readFileSync(failures, 'utf8').trim() : '';
rmSync(summaryDir, { recursive: true, force: true });
if (failed !== '') console.log(`\n# Failed tests\n${failed}`);
process.exit(result.status ?? 1);
