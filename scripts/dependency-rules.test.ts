import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findViolations, zoneOf } from './dependency-rules.ts';

function check(path: string, text: string): string[] {
  return findViolations([{ path, text }]);
}

test('files are placed in the zones of the architecture', () => {
  assert.equal(zoneOf('packages/protocol/src/frame/frame-splitter.ts'), 'protocol');
  assert.equal(zoneOf('packages/server/src/gateway/session.ts'), 'gateway');
  assert.equal(zoneOf('packages/server/src/adapters/sql/x.ts'), 'adapter:sql');
  assert.equal(zoneOf('packages/server/src/main.ts'), 'composition');
  assert.equal(zoneOf('packages/web/src/app/App.tsx'), 'web');
  assert.equal(zoneOf('packages/web/vite.config.ts'), 'tooling');
  assert.equal(zoneOf('bench/codec.bench.ts'), 'tooling');
});

test('core importing node:net is refused', () => {
  const found = check(
    'packages/core/src/positions/position.service.ts',
    "import net from 'node:net';",
  );
  assert.equal(found.length, 1);
  assert.match(found[0] ?? '', /core may not import the built-in node:net/);
});

test('protocol importing anything of ours is refused', () => {
  assert.equal(
    check('packages/protocol/src/a.ts', "import { x } from '@kinwatch/core';").length,
    1,
  );
  assert.equal(
    check('packages/protocol/src/a.ts', "import { x } from '../../core/src/b.ts';").length,
    1,
  );
  assert.equal(check('packages/protocol/src/a.ts', "export * from './b.ts';").length, 0);
});

test('protocol may not touch sockets, files or timers, but its tests may read files', () => {
  assert.equal(check('packages/protocol/src/a.ts', "import { readFileSync } from 'fs';").length, 1);
  assert.equal(
    check('packages/protocol/src/a.ts', "import { setTimeout } from 'node:timers';").length,
    1,
  );
  assert.equal(
    check('packages/protocol/src/a.test.ts', "import { readFileSync } from 'node:fs';").length,
    0,
  );
  assert.equal(check('packages/protocol/src/a.ts', "import pg from 'pg';").length, 1);
});

test('the gateway gets adapters passed in and never imports them or the API', () => {
  const path = 'packages/server/src/gateway/session.ts';
  assert.equal(check(path, "import { Db } from '../adapters/sql/database.ts';").length, 1);
  assert.equal(check(path, "import { routes } from '../api/routes.ts';").length, 1);
  assert.equal(check(path, "import { decodeFrame } from '@kinwatch/protocol';").length, 0);
});

test('adapters never import each other; the composition root imports everything', () => {
  const adapter = 'packages/server/src/adapters/crypto/keyring.ts';
  assert.equal(check(adapter, "import { x } from '../sql/watch.repository.ts';").length, 1);
  assert.equal(check(adapter, "import { x } from './master-key.ts';").length, 0);
  const main = 'packages/server/src/main.ts';
  assert.equal(check(main, "import { x } from './adapters/sql/database.ts';").length, 0);
});

test('the simulator speaks the protocol but knows nothing of the server', () => {
  const path = 'packages/simulator/src/watch.ts';
  assert.equal(check(path, "import { encodeFrame } from '@kinwatch/protocol';").length, 0);
  assert.equal(check(path, "import { x } from '@kinwatch/core';").length, 1);
});

test('the real repository passes', async () => {
  const { execFileSync } = await import('node:child_process');
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/check-dependencies.ts'],
    {
      encoding: 'utf8',
    },
  );
  assert.match(output, /Dependency rules hold/);
});

test('the web app imports none of the server packages and no Node built-in', () => {
  assert.equal(
    check('packages/web/src/app/a.tsx', "import { x } from '@kinwatch/core';").length,
    1,
  );
  assert.equal(check('packages/web/src/app/a.tsx', "import fs from 'node:fs';").length, 1);
  assert.equal(check('packages/web/vite.config.ts', "import fs from 'node:fs';").length, 0);
});
