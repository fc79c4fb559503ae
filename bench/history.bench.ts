/**
 * Position history: one watch's last day (1,440 fixes, one a minute) returned through the API,
 * against the raw database query for the same rows, on the same store in the same run.
 *
 *   npm run bench:history                  # 7 interleaved rounds of 20 reads each, medians
 *   npm run bench:history -- --rounds 3
 *
 * The store is the API test harness's: SQLite in memory, the real gateway and API services.
 * Two watches each have a day of history:
 *
 * - `blocks`: as the server keeps it once its block job has run (the job itself, run with its
 *   clock at the end of the day): each hour also sealed as one block, except the last 59
 *   minutes, which the job leaves until their hour is over. The worst case of the job's
 *   schedule;
 * - `loose`: the day as the position writer stores it, each fix sealed on its own (the job has
 *   not run yet, or the history was just uploaded).
 *
 * Each read is, in turn:
 *
 * - `raw`: the kysely SELECT of the day's rows (the columns the repository reads, by the
 *   (watch_id, recorded_at) index), plus, when the day has blocks, the SELECT of the blocks of
 *   its hours: what is stored for those positions, sealed, as stored. The floor any API answer
 *   stands on;
 * - `repository`: the repository's `listRange` of the same rows, opened and decoded: the data
 *   layer without the API;
 * - `inject`: `GET /api/v1/watches/{id}/positions?limit=2000` through fastify's inject (routing,
 *   session, authorization, the page query, opening, the activity-log entry, JSON, and the
 *   client's parse of it): the day in one page;
 * - `http`: the same request over real HTTP on 127.0.0.1 (`fetch`, `response.json()`), as the
 *   web app makes it: the figure issue 5 sets its target on;
 * - `http-unparsed`: the same, the body read as bytes and not parsed: what the server and the
 *   socket take, without the client's decoding and parsing of the 377 KB (which the web app
 *   does too, on the phone).
 *
 * The readers alternate within each round, in rotated order; the figure is the median of the
 * per-round medians. Prints markdown tables; docs/benchmarks.md records the figures.
 */
import { performance } from 'node:perf_hooks';
import type { Position, WatchId } from '../packages/core/src/index.ts';
import { RecordingLogger } from '../packages/core/src/testing/recording-observability.ts';
import { KeyringCipher } from '../packages/server/src/adapters/crypto/keyring-cipher.ts';
import {
  SqlPositionBlocks,
  hourStart,
  withPositionBlocks,
} from '../packages/server/src/adapters/sql/position-blocks.ts';
import { SqlWrappedKeyStore } from '../packages/server/src/adapters/sql/watch-key.repository.ts';
import {
  ApiClient,
  bindWatch,
  connectWatch,
  logIn,
  startApi,
} from '../packages/server/src/integration/api-harness.ts';
import { PositionBlockBuilder } from '../packages/server/src/jobs/position-blocks.job.ts';

const FIXES = 1440;
const PAGE_LIMIT = 2000;
const READS_PER_ROUND = 20;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const roundsArgument = process.argv.indexOf('--rounds');
const ROUNDS = roundsArgument > 0 ? Number(process.argv[roundsArgument + 1]) : 7;

const api = await startApi();
const client = new ApiClient(api.app);
await logIn(api, client, '+12025550900');

async function newWatch(deviceId: string): Promise<WatchId> {
  await api.gateway.provision(deviceId);
  const watch = await connectWatch(api, deviceId);
  const watchId = await bindWatch(client, watch, deviceId);
  watch.close();
  return watchId;
}

// The day ends at 59 minutes past the last full hour: the job then leaves 59 fixes without a block.
const to = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - MINUTE_MS);
const from = new Date(to.getTime() - FIXES * MINUTE_MS);

function day(watchId: WatchId): Position[] {
  return Array.from({ length: FIXES }, (_, i) => ({
    watchId,
    recordedAt: new Date(from.getTime() + i * MINUTE_MS),
    receivedAt: new Date(from.getTime() + i * MINUTE_MS + 1500),
    source: i % 10 === 0 ? 'wifi' : 'gps',
    latitude: 52.52 + Math.sin(i / 100) * 0.01,
    longitude: 13.405 + Math.cos(i / 100) * 0.01,
    accuracyMeters: 12,
    speedKmh: i % 10 === 0 ? null : 4.2,
    courseDegrees: i % 10 === 0 ? null : 90,
    altitudeMeters: i % 10 === 0 ? null : 35,
    isBuffered: false,
    flags: [],
  }));
}

const db = api.gateway.database.db;
const blockWatch = await newWatch('8800000900');
await api.gateway.positions.appendBatch(day(blockWatch));
const job = new PositionBlockBuilder(
  new SqlPositionBlocks(
    db,
    new KeyringCipher({ masterKey: api.gateway.masterKey, store: new SqlWrappedKeyStore(db) }),
  ),
  { now: () => to },
  new RecordingLogger(),
);
const blocksMade = await job.runOnce();
const looseWatch = await newWatch('8800000901');
await api.gateway.positions.appendBatch(day(looseWatch));

const blockDb = withPositionBlocks(db);
/** The rows of the day as the repository selects them, and the blocks of their hours. */
async function raw(watchId: WatchId): Promise<number> {
  const rows = await blockDb
    .selectFrom('positions')
    .select(['id', 'recorded_at', 'received_at', 'source', 'is_buffered', 'flags', 'sealed'])
    .where('watch_id', '=', watchId)
    .where('recorded_at', '>=', from.getTime())
    .where('recorded_at', '<', to.getTime())
    .orderBy('recorded_at', 'asc')
    .orderBy('id', 'asc')
    .limit(PAGE_LIMIT + 1)
    .execute();
  if (watchId === blockWatch) {
    await blockDb
      .selectFrom('position_blocks')
      .select(['hour_start', 'sealed'])
      .where('watch_id', '=', watchId)
      .where('hour_start', '>=', hourStart(from.getTime()))
      .where('hour_start', '<=', hourStart(to.getTime() - 1))
      .execute();
  }
  return rows.length;
}

async function repository(watchId: WatchId): Promise<number> {
  const page = await api.gateway.positions.listRange(watchId, from, to, undefined, PAGE_LIMIT);
  return page.positions.length;
}

interface Page {
  readonly positions: unknown[];
  readonly nextCursor: string | null;
}

function firstPageUrl(watchId: WatchId): string {
  return `/api/v1/watches/${watchId}/positions?from=${from.toISOString()}&to=${to.toISOString()}&limit=${PAGE_LIMIT}`;
}

/** Reads every page with `get` (one for a day); returns the number of positions. */
async function allPages(watchId: WatchId, get: (url: string) => Promise<Page>): Promise<number> {
  const firstPage = firstPageUrl(watchId);
  let count = 0;
  let url: string | null = firstPage;
  while (url !== null) {
    const page: Page = await get(url);
    count += page.positions.length;
    url = page.nextCursor === null ? null : `${firstPage}&cursor=${page.nextCursor}`;
  }
  return count;
}

const cookie = `kinwatch_session=${client.cookie ?? ''}`;
async function viaInject(watchId: WatchId): Promise<number> {
  return allPages(watchId, async (url) => {
    const response = await api.app.inject({ method: 'GET', url, headers: { cookie } });
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    return response.json<Page>();
  });
}

const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
async function viaHttp(watchId: WatchId): Promise<number> {
  return allPages(watchId, async (url) => {
    const response = await fetch(`${address}${url}`, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
    return (await response.json()) as Page;
  });
}

async function viaHttpUnparsed(watchId: WatchId): Promise<number> {
  const response = await fetch(`${address}${firstPageUrl(watchId)}`, { headers: { cookie } });
  if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
  const body = Buffer.from(await response.arrayBuffer());
  // The day is one page (no next cursor): its count is checked by the other readers.
  const isWholeDay = body.subarray(-18).toString('latin1') === '"nextCursor":null}';
  return isWholeDay ? FIXES : 0;
}

const WAYS = {
  raw,
  repository,
  inject: viaInject,
  http: viaHttp,
  'http-unparsed': viaHttpUnparsed,
} as const;
type Way = keyof typeof WAYS;
const DAYS = { blocks: blockWatch, loose: looseWatch } as const;
type Day = keyof typeof DAYS;
const READERS = (Object.keys(DAYS) as Day[]).flatMap((dayName) =>
  (Object.keys(WAYS) as Way[]).map((way) => `${dayName} ${way}`),
);

async function timed(reader: string): Promise<number> {
  const [dayName, way] = reader.split(' ') as [Day, Way];
  const start = performance.now();
  const count = await WAYS[way](DAYS[dayName]);
  const elapsed = performance.now() - start;
  if (count !== FIXES) throw new Error(`${reader} returned ${count} positions, not ${FIXES}`);
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

// Warm-up: JIT, statement caches, the data key cache.
for (let i = 0; i < 5; i++) for (const reader of READERS) await timed(reader);

const medians = new Map<string, number[]>(READERS.map((reader) => [reader, []]));
for (let round = 0; round < ROUNDS; round++) {
  const times = new Map<string, number[]>(READERS.map((reader) => [reader, []]));
  for (let i = 0; i < READS_PER_ROUND; i++) {
    // Rotate the order so that none always runs first after the others.
    const order = READERS.map((_, k) => READERS[(i + k) % READERS.length] as string);
    for (const reader of order) times.get(reader)?.push(await timed(reader));
  }
  for (const reader of READERS) medians.get(reader)?.push(median(times.get(reader) ?? []));
  console.error(
    `round ${round + 1}/${ROUNDS}: ` +
      READERS.map((reader) => `${reader} ${median(times.get(reader) ?? []).toFixed(2)}`).join(', '),
  );
}

const blockCount = await blockDb
  .selectFrom('position_blocks')
  .select((eb) => eb.fn.countAll<number>().as('count'))
  .where('watch_id', '=', blockWatch)
  .executeTakeFirstOrThrow();
console.log(
  `${FIXES} positions of one watch, ${ROUNDS} rounds x ${READS_PER_ROUND} reads, SQLite in memory;` +
    ` the job made ${blocksMade} blocks (${blockCount.count} of the watch with blocks)\n`,
);
for (const dayName of Object.keys(DAYS) as Day[]) {
  const rawMs = median(medians.get(`${dayName} raw`) ?? []);
  console.log(`${dayName} day\n`);
  console.log('| read | median ms | round medians ms | x raw |');
  console.log('| --- | --- | --- | --- |');
  for (const way of Object.keys(WAYS) as Way[]) {
    const rounds = medians.get(`${dayName} ${way}`) ?? [];
    const ms = median(rounds);
    const spread = `${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)}`;
    console.log(`| ${way} | ${ms.toFixed(2)} | ${spread} | ${(ms / rawMs).toFixed(2)} |`);
  }
  console.log('');
}

await api.stop();
