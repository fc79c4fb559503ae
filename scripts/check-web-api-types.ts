/**
 * Fails when packages/web/src/api/openapi.gen.ts (the web app's API types) no longer matches
 * docs/api/openapi.json. Regenerate with `npm run web:api-types`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMMITTED = join(ROOT, 'packages/web/src/api/openapi.gen.ts');
const scratch = mkdtempSync(join(tmpdir(), 'kinwatch-api-types-'));
try {
  const fresh = join(scratch, 'openapi.gen.ts');
  const result = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'),
      join(ROOT, 'docs/api/openapi.json'),
      '-o',
      fresh,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
  if (readFileSync(fresh, 'utf8') !== readFileSync(COMMITTED, 'utf8')) {
    console.error(
      'packages/web/src/api/openapi.gen.ts is out of date with docs/api/openapi.json: run npm run web:api-types',
    );
    process.exit(1);
  }
  console.log('web API types match docs/api/openapi.json');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
