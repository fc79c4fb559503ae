/**
 * Fails (exit 1) when a source file imports what ARCHITECTURE.md forbids, e.g. `core`
 * importing `node:net`, or `protocol` importing anything of ours. Run by `npm run check`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, findViolations, repoPath, type SourceFile } from './dependency-rules.ts';

const SKIP = new Set(['node_modules', 'dist', 'coverage', 'data', 'test-data']);

function collect(dir: string, out: SourceFile[]): SourceFile[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) {
      out.push({ path: repoPath(REPO_ROOT, path), text: readFileSync(path, 'utf8') });
    }
  }
  return out;
}

const files = ['packages', 'bench', 'e2e', 'scripts'].flatMap((dir) => {
  try {
    return collect(join(REPO_ROOT, dir), []);
  } catch {
    return [];
  }
});
const violations = findViolations(files);
if (violations.length > 0) {
  console.error(`Dependency rules broken (${violations.length}):`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log(`Dependency rules hold for ${files.length} files.`);
