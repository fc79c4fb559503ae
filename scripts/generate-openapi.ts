/**
 * Writes docs/api/openapi.json from the API's schemas. `--check` writes nothing and exits 1
 * when the committed document is out of date (scripts/openapi.test.ts does the same in CI).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { buildOpenApiDocument } from '../packages/server/src/openapi-document.ts';
import { REPO_ROOT } from './dependency-rules.ts';

export const OPENAPI_FILE = join(REPO_ROOT, 'docs', 'api', 'openapi.json');

/** The document as committed: JSON formatted the way Prettier formats the repository. */
export async function renderOpenApi(): Promise<string> {
  const options = (await resolveConfig(OPENAPI_FILE)) ?? {};
  return format(JSON.stringify(await buildOpenApiDocument()), {
    ...options,
    filepath: OPENAPI_FILE,
  });
}

async function main(): Promise<void> {
  const rendered = await renderOpenApi();
  if (process.argv.includes('--check')) {
    const committed = await readFile(OPENAPI_FILE, 'utf8').catch(() => '');
    if (committed !== rendered) {
      console.error('docs/api/openapi.json is out of date: run npm run docs:openapi');
      process.exitCode = 1;
    }
    return;
  }
  await mkdir(dirname(OPENAPI_FILE), { recursive: true });
  await writeFile(OPENAPI_FILE, rendered);
  console.log(`wrote ${OPENAPI_FILE}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
