/**
 * Position history: one watch's last day (1,440 fixes, one a minute) returned through the API,
 * against the raw database query for the same rows, on the same store in the same run.
 *
 *   npm run bench:history                  # 7 interleaved rounds of 20 reads each, medians
 *   npm run bench:history -- --rounds 3
 *
 * The store is the API test harness's: SQLite in memory, the real gateway and API services.
 * Each read is, in turn:
 *
 * - `raw`: one kysely SELECT of the day's rows of the watch (sealed, as stored), by the
 *   (watch_id, recorded_at) index: the floor any API answer stands on;
 * - `repository`: the repository's `range` for the same rows, each opened (AES-GCM) and
 *   decoded: the data layer without the API;
 * - `inject`: the API through fastify's inject (routing, session, authorization, the page
 *   queries, opening every sealed row, the activity-log entry, JSON): two pages of at most
 *   1,000, as a client reads them;
 * - `http`: the same two requests over real HTTP on 127.0.0.1.
 *
 * The three alternate within each round; the figure is the median of the per-round medians.
 * Prints a markdown table; docs/benchmarks.md records the figures.
 */
import { performance } from 'node:perf_hooks';
import type { Position } from '../packages/core/src/index.ts';
import {
  ApiClient,
  bindWatch,
  connectWatch,
  logIn,
  startApi,
} from '../packages/server/src/integration/api-harness.ts';

const FIXES = 1440;
const READS_PER_ROUND = 20;
const roundsArgument = process.argv.indexOf('--rounds');
const ROUNDS = roundsArgument > 0 ? Number(process.argv[roundsArgument + 1]) : 7;

const api = await startApi();
const client = new ApiClient(api.app);
await logIn(api, client, '+12025550900');
const deviceId = '8800000900';
await api.gateway.provision(deviceId);
const watch = await connectWatch(api, deviceId);
const watchId = await bindWatch(client, watch, deviceId);
watch.close();

const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const from = new Date(to.getTime() - FIXES * 60_000);
const fixes: Position[] = Array.from({ length: FIXES }, (_, i) => ({
  watchId,
  recordedAt: new Date(from.getTime() + i * 60_000),
  receivedAt: new Date(from.getTime() + i * 60_000 + 1500),
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
await api.gateway.positions.appendBatch(fixes);

const db = api.gateway.database.db;
async function raw(): Promise<number> {
  const rows = await db
    .selectFrom('positions')
    .selectAll()
    .where('watch_id', '=', watchId)
    .where('recorded_at', '>=', from.getTime())
    .where('recorded_at', '<', to.getTime())
    .orderBy('recorded_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.length;
}

const firstPage = `/api/v1/watches/${watchId}/positions?from=${from.toISOString()}&to=${to.toISOString()}&limit=1000`;

interface Page {
  readonly positions: unknown[];
  readonly nextCursor: string | null;
}

/** Reads every page with `get`; returns the number of positions. */
async function allPages(get: (url: string) => Promise<Page>): Promise<number> {
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
async function viaInject(): Promise<number> {
  return allPages(async (url) => {
    const response = await api.app.inject({ method: 'GET', url, headers: { cookie } });
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    return response.json<Page>();
  });
}

const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
async function viaHttp(): Promise<number> {
  return allPages(async (url) => {
    const response = await fetch(`${address}${url}`, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
    return (await response.json()) as Page;
  });
}

/** The repository's existing range read: the same rows, opened, without the API. */
async function repository(): Promise<number> {
  return (await api.gateway.positions.range(watchId, from, to, FIXES + 1)).length;
}

const READERS = { raw, repository, inject: viaInject, http: viaHttp } as const;
type Reader = keyof typeof READERS;

async function timed(reader: Reader): Promise<number> {
  const start = performance.now();
  const count = await READERS[reader]();
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
for (let i = 0; i < 5; i++)
  for (const reader of Object.keys(READERS) as Reader[]) await timed(reader);

const medians: Record<Reader, number[]> = { raw: [], repository: [], inject: [], http: [] };
for (let round = 0; round < ROUNDS; round++) {
  const times: Record<Reader, number[]> = { raw: [], repository: [], inject: [], http: [] };
  for (let i = 0; i < READS_PER_ROUND; i++) {
    // Rotate the order so that none always runs first after the others.
    const all = Object.keys(READERS) as Reader[];
    const order = all.map((_, k) => all[(i + k) % all.length] as Reader);
    for (const reader of order) times[reader].push(await timed(reader));
  }
  for (const reader of Object.keys(READERS) as Reader[])
    medians[reader].push(median(times[reader]));
  console.error(
    `round ${round + 1}/${ROUNDS}: ` +
      (Object.keys(READERS) as Reader[])
        .map((reader) => `${reader} ${median(times[reader]).toFixed(2)} ms`)
        .join(', '),
  );
}

const rawMs = median(medians.raw);
const row = (reader: Reader) => {
  const ms = median(medians[reader]);
  const spread = `${Math.min(...medians[reader]).toFixed(2)}–${Math.max(...medians[reader]).toFixed(2)}`;
  return `| ${reader} | ${ms.toFixed(2)} | ${spread} | ${(ms / rawMs).toFixed(2)} |`;
};
console.log(
  `${FIXES} positions of one watch, ${ROUNDS} rounds x ${READS_PER_ROUND} reads, SQLite in memory\n`,
);
console.log('| read | median ms | round medians ms | x raw |');
console.log('| --- | --- | --- | --- |');
for (const reader of Object.keys(READERS) as Reader[]) console.log(row(reader));

await api.stop();
