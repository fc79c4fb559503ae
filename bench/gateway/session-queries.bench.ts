/**
 * What the gateway's database work costs per watch on the default store (SQLite, WAL,
 * synchronous=FULL, through the same repositories and `openDatabase` Kinwatch uses). Every
 * (re)connecting watch costs the gateway `findByDeviceId`, `recordConnection` and
 * `commands.pending`, and the status buffer writes `updateStatus` once per watch that changed,
 * one autocommit statement each (the gateway before the batching). better-sqlite3 runs them on
 * the event loop: while they run, no socket is read. Measured here one call at a time, for
 * contrast the same status writes in one transaction, and what the gateway now does instead:
 * `recordActivity` (status and connection of each watch), one transaction per chunk of
 * `STATUS_ROWS_PER_CHUNK` watches with multi-row statements. Interleaved rounds, medians.
 *
 *   node --import tsx bench/gateway/session-queries.bench.ts [--watches 2000] [--rounds 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FieldCipher, WatchId } from '@kinwatch/core';
import { SqlCommandQueueRepository } from '../../packages/server/src/adapters/sql/command-queue.repository.ts';
import { migrateToLatest } from '../../packages/server/src/adapters/sql/migrations.ts';
import { openDatabase } from '../../packages/server/src/adapters/sql/open-database.ts';
import { SqlWatchRepository } from '../../packages/server/src/adapters/sql/watch.repository.ts';
import { STATUS_ROWS_PER_CHUNK } from '../../packages/server/src/gateway/status-buffer.ts';
import { machineFacts } from './proc-stats.ts';
import { count, machineLine, median, numericOptions, table, writeResults } from './report.ts';

const options = numericOptions({ watches: 2000, rounds: 3 });
const FIRST_DEVICE_ID = 8_840_000_000;
const STORM_WATCHES = 19_000;

/** Pending commands are never read here (no command is queued), so no key is ever needed. */
const noCipher = {
  destroyKey: () => Promise.resolve(),
  seal: () => Promise.reject(new Error('not used')),
  open: () => Promise.reject(new Error('not used')),
  openMany: () => Promise.reject(new Error('not used')),
} satisfies FieldCipher;

type Step = (watchId: WatchId, deviceId: string, at: Date) => Promise<unknown>;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kinwatch-queries-'));
  const database = await openDatabase(`sqlite:${join(dir, 'kinwatch.db')}`);
  try {
    await migrateToLatest(database);
    const watches = new SqlWatchRepository(database.db, noCipher);
    const commands = new SqlCommandQueueRepository(database.db, noCipher);
    const deviceIds = Array.from({ length: options.watches }, (_, i) =>
      String(FIRST_DEVICE_ID + i),
    );
    await watches.provision(deviceIds, new Date());
    const ids: WatchId[] = [];
    for (const deviceId of deviceIds) {
      const watch = await watches.findByDeviceId(deviceId);
      if (watch !== undefined) ids.push(watch.id);
    }
    const steps: Record<string, Step> = {
      findByDeviceId: (_id, deviceId) => watches.findByDeviceId(deviceId),
      recordConnection: (id, _d, at) =>
        watches.recordConnection(id, { at, address: '127.0.0.2', vendor: '3G' }),
      'commands.pending': (id) => commands.pending(id),
      'updateStatus (autocommit)': (id, _d, at) =>
        watches.updateStatus(id, { isOnline: true, updatedAt: at }),
    };
    const perCall = new Map<string, number[]>();
    const batched: number[] = [];
    const chunked: number[] = [];
    const chunkMs: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (const [name, step] of Object.entries(steps)) {
        const started = performance.now();
        for (const [i, id] of ids.entries()) await step(id, deviceIds[i] as string, new Date());
        const us = ((performance.now() - started) * 1000) / ids.length;
        perCall.set(name, [...(perCall.get(name) ?? []), us]);
      }
      const started = performance.now();
      await database.db.transaction().execute(async (trx) => {
        const inTransaction = new SqlWatchRepository(trx, noCipher);
        for (const id of ids)
          await inTransaction.updateStatus(id, { isOnline: false, updatedAt: new Date() });
      });
      batched.push(((performance.now() - started) * 1000) / ids.length);
      const chunksStarted = performance.now();
      for (let from = 0; from < ids.length; from += STATUS_ROWS_PER_CHUNK) {
        const at = new Date();
        const chunkStarted = performance.now();
        await watches.recordActivity(
          ids.slice(from, from + STATUS_ROWS_PER_CHUNK).map((watchId) => ({
            watchId,
            status: { isOnline: true, updatedAt: at },
            connection: { at, address: '127.0.0.2', vendor: '3G' },
          })),
        );
        chunkMs.push(performance.now() - chunkStarted);
      }
      chunked.push(((performance.now() - chunksStarted) * 1000) / ids.length);
    }
    report(perCall, batched, chunked, chunkMs);
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function report(
  perCall: Map<string, number[]>,
  batched: number[],
  chunked: number[],
  chunkMs: number[],
): void {
  console.log(`Machine: ${machineLine(machineFacts())}`);
  console.log(
    `${count(options.watches)} watches, ${options.rounds} rounds, µs per call (median)\n`,
  );
  const rows = [...perCall.entries()].map(([name, values]) => [
    name,
    median(values).toFixed(0),
    `${((median(values) * STORM_WATCHES) / 1e6).toFixed(1)} s`,
  ]);
  rows.push([
    'updateStatus, all in one transaction',
    median(batched).toFixed(0),
    `${((median(batched) * STORM_WATCHES) / 1e6).toFixed(1)} s`,
  ]);
  rows.push([
    `recordActivity (status + connection), ${STATUS_ROWS_PER_CHUNK} watches per call`,
    median(chunked).toFixed(0),
    `${((median(chunked) * STORM_WATCHES) / 1e6).toFixed(1)} s`,
  ]);
  console.log(
    table(['call', 'µs per watch', `× ${count(STORM_WATCHES)} watches (event loop blocked)`], rows),
  );
  console.log(
    `\nrecordActivity: one call (one transaction) blocks the event loop for ${median(chunkMs).toFixed(1)} ms (median), ${Math.max(...chunkMs).toFixed(1)} ms at most`,
  );
  void writeResults('session-queries', {
    options,
    perCall: Object.fromEntries(perCall),
    batchedStatus: batched,
    recordActivityPerWatch: chunked,
    recordActivityCallMs: chunkMs,
  }).then((file) => {
    console.log(`\nJSON: ${file}`);
  });
}

await main();
