import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './database.ts';
import type { SealedColumn } from './sqlite-writer-thread.ts';

type BatchRunner = (statements: readonly CompiledQuery[]) => Promise<void>;

/** `executeAtomically`, with one column of each row sealed by the database's writer thread. */
export type SealedBatchRunner = (
  statements: readonly CompiledQuery[],
  column: SealedColumn,
) => Promise<void>;

interface BatchRunners {
  readonly run: BatchRunner;
  readonly runSealed: SealedBatchRunner;
}

/** Databases that run a batch of statements in one go (SQLite files with a writer thread). */
const batchRunners = new WeakMap<Kysely<Database>, BatchRunners>();

/** Lets `executeAtomically` hand `db`'s batches to `runners.run`. */
export function registerBatchRunners(db: Kysely<Database>, runners: BatchRunners): void {
  batchRunners.set(db, runners);
}

/** The runner of batches sealed on `db`'s writer thread, when it has one. */
export function sealedBatchRunnerOf(db: Kysely<Database>): SealedBatchRunner | undefined {
  return batchRunners.get(db)?.runSealed;
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
  const runner = batchRunners.get(db)?.run;
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
