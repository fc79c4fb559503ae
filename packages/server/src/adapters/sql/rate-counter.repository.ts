import type { RateCounterStore } from '@kinwatch/core';
import { sql } from 'kysely';
import type { Db } from './database.ts';
import { toMillis } from './epoch-millis.ts';

/**
 * Digits of the window length at the start of each stored key. The table has no column for it,
 * yet an hour and a day window of one key may start at the same instant (00:00 UTC) and
 * `prune` must know when each window ends; a fixed width lets both databases read it back with
 * the same `substr`.
 */
const WINDOW_DIGITS = 10;
const MAX_WINDOW_SECONDS = 10 ** WINDOW_DIGITS - 1;

/**
 * Counters of fixed windows in the `rate_counters` table, shared by every server process.
 * Stored keys are `<window seconds, 10 digits>:<key>`; `window_start` is epoch milliseconds.
 */
export class SqlRateCounterStore implements RateCounterStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async hit(key: string, windowSeconds: number, at: Date): Promise<number> {
    const row = windowRow(key, windowSeconds, at);
    // One statement: concurrent hits from several processes each get their own count.
    const result = await this.#db
      .insertInto('rate_counters')
      .values({ ...row, count: 1 })
      .onConflict((oc) =>
        oc
          .columns(['key', 'window_start'])
          .doUpdateSet({ count: sql<number>`${sql.ref('rate_counters.count')} + 1` }),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return result.count;
  }

  async count(key: string, windowSeconds: number, at: Date): Promise<number> {
    const row = windowRow(key, windowSeconds, at);
    const found = await this.#db
      .selectFrom('rate_counters')
      .select('count')
      .where('key', '=', row.key)
      .where('window_start', '=', row.window_start)
      .executeTakeFirst();
    return found?.count ?? 0;
  }

  async prune(before: Date): Promise<number> {
    const windowEnd = sql<number>`${sql.ref('window_start')} + cast(substr(${sql.ref('key')}, 1, ${sql.lit(WINDOW_DIGITS)}) as bigint) * 1000`;
    const result = await this.#db
      .deleteFrom('rate_counters')
      .where(windowEnd, '<=', toMillis(before))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function windowRow(key: string, windowSeconds: number, at: Date) {
  if (!Number.isSafeInteger(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError('windowSeconds must be a positive integer');
  }
  if (windowSeconds > MAX_WINDOW_SECONDS) throw new RangeError('windowSeconds is too long');
  const windowMs = windowSeconds * 1000;
  return {
    key: `${String(windowSeconds).padStart(WINDOW_DIGITS, '0')}:${key}`,
    window_start: Math.floor(toMillis(at) / windowMs) * windowMs,
  };
}
