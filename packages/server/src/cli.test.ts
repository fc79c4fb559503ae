import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { migrateToLatest } from './adapters/sql/migrations.ts';
import { openDatabase } from './adapters/sql/open-database.ts';
import { SqlWatchRepository } from './adapters/sql/watch.repository.ts';

const BIN = resolve(import.meta.dirname, '../../../bin/kinwatch.mjs');

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of this process without any KINWATCH_ setting, plus `settings`. */
function environment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('KINWATCH_')),
  );
  return { ...clean, ...settings };
}

function kinwatch(args: string[], settings: Record<string, string>) {
  return spawn(process.execPath, [BIN, ...args], {
    env: environment(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function run(args: string[], settings: Record<string, string>): Promise<Finished> {
  const child = kinwatch(args, settings);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) => {
    child.on('close', (code) => {
      done({ code, stdout, stderr });
    });
  });
}

describe('kinwatch CLI', () => {
  let directory = '';
  let settings: Record<string, string> = {};
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kinwatch-cli-'));
    settings = { KINWATCH_DATA_DIR: join(directory, 'data'), KINWATCH_LOG_LEVEL: 'warn' };
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test('provision from a file: known ids leave the unknown list, a rerun creates nothing', async () => {
    await recordSightings(join(directory, 'data', 'kinwatch.db'), ['8800000015', '8800000099']);
    const file = join(directory, 'batch.txt');
    await writeFile(file, '# batch 7\n8800000015\n\n8800000016  # spare\n');

    const first = await run(['watches', 'provision', '--from-file', file], settings);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /created 2, already provisioned 0/);

    const listed = await run(['watches', 'list-unknown'], settings);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^DEVICE ID\s+FIRST SEEN\s+LAST SEEN\s+LAST ADDRESS\s+SIGHTINGS$/m);
    assert.match(listed.stdout, /^8800000099 .* 10\.0\.0\.1:5000\s+1$/m);
    assert.doesNotMatch(listed.stdout, /8800000015/);

    const again = await run(['watches', 'provision', '--from-file', file, '8800000017'], settings);
    assert.match(again.stdout, /created 1, already provisioned 2/);
  });

  test('an invalid id anywhere in the file stores nothing and names each bad line', async () => {
    const file = join(directory, 'bad.txt');
    await writeFile(file, '8800000020\n88000-00021\n123\n');
    const result = await run(['watches', 'provision', '--from-file', file], settings);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.txt line 2: "88000-00021"/);
    assert.match(result.stderr, /bad\.txt line 3: "123"/);
    assert.match(result.stderr, /Nothing was stored/);
    const retry = await run(['watches', 'provision', '8800000020'], settings);
    assert.match(retry.stdout, /created 1, already provisioned 0/);
  });

  test('a bad setting exits 2 naming the variable and the value', async () => {
    const result = await run(['migrate'], { ...settings, KINWATCH_HTTP_PORT: 'eighty' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /KINWATCH_HTTP_PORT="eighty": expected an integer from 0 to 65535/);
  });

  test('config prints every setting with its source, the master key masked', async () => {
    const key = Buffer.alloc(32, 3).toString('base64');
    const result = await run(['config', '--http-port', '9999'], {
      ...settings,
      KINWATCH_MASTER_KEY: key,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^KINWATCH_HTTP_PORT=9999\s+# flag$/m);
    assert.match(result.stdout, /^KINWATCH_MASTER_KEY=\*{8}\s+# environment$/m);
    assert.match(result.stdout, /^KINWATCH_BUS_URL=memory:\s+# default$/m);
    assert.ok(!result.stdout.includes(key));
  });

  test('import-cells loads a CSV and reports the rows it skipped', async () => {
    const file = join(directory, 'cells.csv');
    const header =
      'radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal';
    const row = 'GSM,262,2,801,86355,,13.2855,52.5222,1000,7,1,1282569574,1300155341,0';
    await writeFile(file, `${header}\n${row}\nnot,a,row\n`);
    const result = await run(['import-cells', file], settings);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /imported 1 cells, skipped 1 bad rows/);
    const missing = await run(['import-cells', join(directory, 'absent.csv')], settings);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /absent\.csv: no such file/);
  });

  test('start with a NATS bus URL is refused until the NATS bus exists', async () => {
    const result = await run(['start'], { ...settings, KINWATCH_BUS_URL: 'nats://127.0.0.1:4222' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /KINWATCH_BUS_URL.*not available yet/);
  });

  test('start on port 0 logs the bound port, answers /health, and exits 0 on SIGTERM', async () => {
    const dataDir = join(directory, 'fresh-data');
    const child = kinwatch(['start', '--http-port', '0', '--gateway-port', '0'], {
      KINWATCH_DATA_DIR: dataDir,
      KINWATCH_LOG_LEVEL: 'info',
    });
    const exited = new Promise<number | null>((done) => child.on('close', done));
    const lines = readJsonLines(child.stdout);
    const listening = await lines.waitFor((line) => line['msg'] === 'HTTP server listening');
    const port = Number(listening['port']);
    assert.ok(port > 0);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    assert.equal(ready.status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(lines.all().some((line) => line['msg'] === 'stopped'));
    // The data directory and the master key made at the first start are the owner's only.
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(dataDir, 'master.key'))).mode & 0o777, 0o600);
  });
});

async function recordSightings(path: string, deviceIds: string[]): Promise<void> {
  const database = await openDatabase(`sqlite:${path}`);
  try {
    await migrateToLatest(database);
    const noKeys = { destroyKey: () => Promise.resolve() };
    const watches = new SqlWatchRepository(database.db, noKeys);
    for (const deviceId of deviceIds) {
      await watches.recordSighting(deviceId, '10.0.0.1:5000', new Date());
    }
  } finally {
    await database.close();
  }
}

function readJsonLines(stream: NodeJS.ReadableStream) {
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) {
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    all: () => lines,
    async waitFor(matches: (line: Record<string, unknown>) => boolean) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const found = lines.find(matches);
        if (found !== undefined) return found;
        if (Date.now() > deadline) assert.fail(`log line not seen; got ${JSON.stringify(lines)}`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 200);
        });
      }
    },
  };
}
