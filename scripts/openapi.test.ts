import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { OPENAPI_FILE, renderOpenApi } from './generate-openapi.ts';

test('docs/api/openapi.json is up to date with the API (run npm run docs:openapi)', async () => {
  const committed = await readFile(OPENAPI_FILE, 'utf8');
  assert.equal(await renderOpenApi(), committed);
});

test('the document describes the public contract of accounts and binding', async () => {
  const document = JSON.parse(await renderOpenApi()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  for (const [path, method] of [
    ['/api/v1/auth/otp', 'post'],
    ['/api/v1/auth/login', 'post'],
    ['/api/v1/auth/logout', 'post'],
    ['/api/v1/me', 'get'],
    ['/api/v1/watches/claims', 'post'],
    ['/api/v1/watches/claims/{claimId}/confirm', 'post'],
    ['/api/v1/watches', 'get'],
    ['/api/v1/watches/{watchId}', 'get'],
  ] as const) {
    assert.ok(document.paths[path]?.[method] !== undefined, `${method.toUpperCase()} ${path}`);
  }
});
