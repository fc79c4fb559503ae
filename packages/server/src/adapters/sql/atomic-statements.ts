import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './database.ts';

type BatchRunner = (statements: readonly CompiledQuery[]) => Promise<void>;

/** Databases that run a batch of statements in one go (SQLite files with a writer thread). */
const batchRunners = new WeakMap<Kysely<Database>, BatchRunner>();

/** Lets `executeAtomically` hand `db`'s batches to `runner`. */
export function registerBatchRunner(db: Kysely<Database>, runner: BatchRunner): void {
  batchRunners.set(db, runner);
}

/**
 * Runs the statements, in order, all or none: one statement on its own, several in one
 * transaction. On a SQLite file the whole transaction goes to the writer thread in one message
 * (`SqliteWriterThread.executeBatch`) instead of one exchange per statement, so that a
 * transaction of many small statements (learning Wi-Fi access points, say) does not keep other
 * writes waiting for as many exchanges. For statements whose results are not needed.
 */
export async function executeAtomically(
  db: Kysely<Database>,
  statements: readonly CompiledQuery[],
): Promise<void> {
  const [only] = statements;
  if (only === undefined) return;
  const runner = batchRunners.get(db);
  if (runner !== undefined) {
    await runner(statements);
    return;
  }
  if (statements.length === 1) {
    await db.executeQuery(only);
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (const statement of statements) await trx.executeQuery(statement);
  });
}
