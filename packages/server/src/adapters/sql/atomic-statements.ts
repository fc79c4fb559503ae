import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './database.ts';
import type { CopyTarget } from './postgres-writer-thread.ts';
import type { SealedColumn } from './writer-channel.ts';

type BatchRunner = (statements: readonly CompiledQuery[]) => Promise<void>;

/** `executeAtomically`, with one column of each row sealed by the database's writer thread. */
export type SealedBatchRunner = (
  statements: readonly CompiledQuery[],
  column: SealedColumn,
) => Promise<void>;

/** Rows copied into a table, with one column of each row sealed by the database's writer thread. */
export type SealedCopyRunner = (
  target: CopyTarget,
  rows: unknown[],
  column: SealedColumn,
) => Promise<void>;

interface BatchRunners {
  readonly run?: BatchRunner;
  readonly runSealed?: SealedBatchRunner;
  readonly copySealed?: SealedCopyRunner;
}

/**
 * Databases with a writer thread: a SQLite file's runs batches of statements in one go and seals
 * them; PostgreSQL's copies sealed rows.
 */
const batchRunners = new WeakMap<Kysely<Database>, BatchRunners>();

/** Lets `executeAtomically` hand `db`'s batches to `runners.run`, and sealed batches go to its writer thread. */
export function registerBatchRunners(db: Kysely<Database>, runners: BatchRunners): void {
  batchRunners.set(db, runners);
}

/** The runner of batches sealed on `db`'s writer thread, when it has one. */
export function sealedBatchRunnerOf(db: Kysely<Database>): SealedBatchRunner | undefined {
  return batchRunners.get(db)?.runSealed;
}

/** The runner of sealed rows copied by `db`'s writer thread, when it has one. */
export function sealedCopyRunnerOf(db: Kysely<Database>): SealedCopyRunner | undefined {
  return batchRunners.get(db)?.copySealed;
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
