/**
 * G4, durable position ingest: rows committed per second by a running Kinwatch fed `UD` GPS
 * reports over TCP from many watches, against the store's raw 100-row multi-row INSERT into the
 * same table (same migrations, same connection settings, same sealed-blob size), measured in
 * the same run, in interleaved rounds; the figure is the median of the per-round ratios.
 *
 *   npm run bench:ingest                                  # SQLite and PostgreSQL, 5 rounds
 *   npm run bench:ingest -- --stores sqlite --rounds 7
 *   npm run bench:ingest -- --cpu-prof /tmp/prof          # profile the server (.cpuprofile)
 *   npm run bench:ingest -- --server-cpu 1                # server on CPU 1, load client on 0
 *
 * PostgreSQL: `KINWATCH_BENCH_POSTGRES_URL` (default postgres://127.0.0.1:5432/test) names a
 * database to connect to; the benchmark creates and drops its own two databases next to it.
 * Loopback only; every process it starts is stopped by pid, also on failure or Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { killAllStarted } from './kinwatch-process.ts';
import { machineFacts, pinSelf } from './machine.ts';
import { runStore, type StoreSetup } from './ingest-rounds.ts';
import { printHeader, printStore } from './ingest-report.ts';

const { values: args } = parseArgs({
  options: {
    stores: { type: 'string', default: 'sqlite,postgres' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    measure: { type: 'string', default: '8' },
    watches: { type: 'string', default: '1000' },
    preload: { type: 'string', default: '1440000' },
    'in-flight': { type: 'string', default: '6000' },
    'poll-ms': { type: 'string', default: '25' },
    'no-pin': { type: 'boolean', default: false },
    'server-cpu': { type: 'string', default: '0' },
    'cpu-prof': { type: 'string' },
    'server-env': { type: 'string', multiple: true, default: [] },
    'server-node-flag': { type: 'string', multiple: true, default: [] },
    'paced-rate': { type: 'string' },
    'max-minutes': { type: 'string', default: '40' },
    help: { type: 'boolean', default: false },
  },
});

const USAGE = `Usage: node --import tsx bench/ingest/ingest.bench.ts [options]

  --stores LIST        sqlite,postgres (default both)
  --rounds N           interleaved rounds per store (default 5)
  --warmup S           seconds of warm-up before each measured phase (default 2)
  --measure S          seconds measured per phase (default 8)
  --watches N          watches, one TCP connection each (default 1000)
  --preload N          rows put in the table before the first round (default 1440000)
  --in-flight N        reports kept sent and not yet committed (default 6000)
  --poll-ms N          how often the load client reads the committed count and sends what it
                       freed (default 25); each read is a scrape of the server's /metrics
  --server-cpu N       CPU of the server and of the baseline (default 0); the client takes the other
  --no-pin             leave both to the scheduler
  --cpu-prof DIR       write the server's .cpuprofile to DIR
  --paced-rate N       reports a second in the paced phase (default half the median rate)
  --server-env K=V     a KINWATCH_* setting for the server (repeatable), e.g.
                       --server-env KINWATCH_SQLITE_WRITER_THREAD=false
  --server-node-flag F a Node flag for the server (repeatable), e.g.
                       --server-node-flag=--max-semi-space-size=128
  --max-minutes M      stop everything and fail after M minutes (default 40)

PostgreSQL: KINWATCH_BENCH_POSTGRES_URL (default postgres://127.0.0.1:5432/test).`;

if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const ADMIN_URL = withUser(
  process.env['KINWATCH_BENCH_POSTGRES_URL'] ?? 'postgres://127.0.0.1:5432/test',
);
const DATABASE = 'kinwatch_bench_ingest';

/** pg needs a user name; libpq would take the login name, as Kinwatch does. */
function withUser(text: string): string {
  const url = new URL(text);
  if (url.username === '') url.username = userInfo().username;
  return url.toString();
}

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops (when `create` is false) or recreates the benchmark's PostgreSQL database. */
async function resetPostgres(create: boolean): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${DATABASE} with (force)`);
    if (create) await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
}

function setupOf(store: string, dir: string): StoreSetup {
  if (store === 'sqlite') {
    return {
      store: 'sqlite',
      kinwatch: { dataDir: join(dir, 'sqlite-server') },
      kinwatchUrl: `sqlite:${join(dir, 'sqlite-server', 'kinwatch.db')}`,
    };
  }
  if (store === 'postgres') {
    const kinwatchUrl = databaseUrl(DATABASE);
    return {
      store: 'postgres',
      kinwatch: { dataDir: join(dir, 'postgres-server'), databaseUrl: kinwatchUrl },
      kinwatchUrl,
    };
  }
  throw new Error(`unknown store ${store}: use sqlite and/or postgres`);
}

/** Node flags for the server: each must start with `--`. */
function parseNodeFlags(flags: readonly string[]): string[] {
  for (const flag of flags) {
    if (!/^--[a-z][a-z0-9-]*(=\S+)?$/.test(flag)) {
      throw new Error(
        `--server-node-flag ${flag}: use a Node flag such as --max-semi-space-size=64`,
      );
    }
  }
  return [...flags];
}

function parseServerEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^(KINWATCH_[A-Z0-9_]+)=(.*)$/.exec(pair);
    if (match === null) throw new Error(`--server-env ${pair}: use KINWATCH_NAME=value`);
    env[match[1] as string] = match[2] as string;
  }
  return env;
}

async function main(): Promise<void> {
  const stores = args.stores.split(',').filter((s) => s !== '');
  const serverCpu = Number(args['server-cpu']);
  const clientCpu = serverCpu === 0 ? 1 : 0;
  const isPinned = !args['no-pin'] && pinSelf(clientCpu);
  const options = {
    rounds: Number(args.rounds),
    warmupMs: Number(args.warmup) * 1000,
    measureMs: Number(args.measure) * 1000,
    watches: Number(args.watches),
    preloadRows: Number(args.preload),
    inFlight: Number(args['in-flight']),
    pollMs: Number(args['poll-ms']),
    cpus: isPinned ? { server: serverCpu, client: clientCpu } : undefined,
    cpuProfileDir: args['cpu-prof'],
    serverEnv: parseServerEnv(args['server-env']),
    serverNodeFlags: parseNodeFlags(args['server-node-flag']),
    pacedRate: args['paced-rate'] === undefined ? undefined : Number(args['paced-rate']),
  };
  const dir = mkdtempSync(join(tmpdir(), 'kinwatch-ingest-bench-'));
  const cleanUp = async () => {
    rmSync(dir, { recursive: true, force: true });
    if (stores.includes('postgres')) await resetPostgres(false);
  };
  const abort = (code: number) => {
    killAllStarted();
    void cleanUp().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => {
    abort(130);
  });
  process.once('SIGTERM', () => {
    abort(143);
  });
  const maxMinutes = Number(args['max-minutes']);
  const deadline = setTimeout(() => {
    process.stderr.write(`stopped after ${maxMinutes} minutes (--max-minutes)\n`);
    abort(1);
  }, maxMinutes * 60_000);
  deadline.unref();
  printHeader({ machine: machineFacts(), isPinned, options });
  try {
    for (const store of stores) {
      const setup = setupOf(store, dir);
      if (store === 'postgres') await resetPostgres(true);
      const result = await runStore(setup, options);
      printStore(result, options);
    }
  } finally {
    clearTimeout(deadline);
    await cleanUp();
  }
}

await main();
