import type { Db } from './database.ts';
import { toMillis } from './epoch-millis.ts';

/** Rows whose use is over: expired sessions, spent one-time codes, old watch claims. */
export class SqlExpiredRows {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Deletes what expired before `before`; returns how many rows went. */
  async prune(before: Date): Promise<number> {
    const at = toMillis(before);
    const sessions = await this.#db
      .deleteFrom('sessions')
      .where('expires_at', '<', at)
      .executeTakeFirst();
    const codes = await this.#db
      .deleteFrom('one_time_codes')
      .where('expires_at', '<', at)
      .executeTakeFirst();
    const claims = await this.#db
      .deleteFrom('watch_claims')
      .where('expires_at', '<', at)
      .executeTakeFirst();
    return Number(sessions.numDeletedRows + codes.numDeletedRows + claims.numDeletedRows);
  }
}
