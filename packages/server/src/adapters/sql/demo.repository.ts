import type { Db } from './database.ts';
import { toMillis } from './epoch-millis.ts';

/** Marks demo watches and finds what a finished demo leaves behind. */
export class SqlDemoRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async markDemoWatch(watchId: string, expiresAt: Date): Promise<void> {
    await this.#db
      .updateTable('watches')
      .set({ demo_expires_at: toMillis(expiresAt) })
      .where('id', '=', watchId)
      .execute();
  }

  /** Demo watches whose time is up. */
  async expiredWatches(at: Date): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('watches')
      .select('id')
      .where('demo_expires_at', '<=', toMillis(at))
      .execute();
    return rows.map((row) => row.id);
  }

  async countLiveDemos(at: Date): Promise<number> {
    const row = await this.#db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('is_demo', '=', 1)
      .where('expires_at', '>', toMillis(at))
      .executeTakeFirst();
    return row?.count ?? 0;
  }
}
