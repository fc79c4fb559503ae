import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './database.ts';

/** How a database runs statements in one go (SQLite files with a writer thread). */
export interface BatchRunner {
  batch(statements: readonly CompiledQuery[]): Promise<void>;
  linked(statements: readonly CompiledQuery[], urgent: boolean): Promise<number[]>;
}

const batchRunners = new WeakMap<Kysely<Database>, BatchRunner>();

/** Lets `executeAtomically` and `executeLinked` hand `db`'s statements to `runner`. */
export function registerBatchRunner(db: Kysely<Database>, runner: BatchRunner): void {
  batchRunners.set(db, runner);
}

/** A parameter of `executeLinked`: the id that statement `step` of the same call returned. */
export interface InsertedIdOf {
  readonly insertedIdOf: number;
}

/**
 * Stands, as a value of a statement given to `executeLinked`, for the id returned by its
 * statement number `step` (counted from 0, earlier in the list). Typed as a number so that it
 * goes where the id will.
 */
export function insertedIdOf(step: number): number {
  const marker: InsertedIdOf = { insertedIdOf: step };
  return marker as unknown as number;
}

function isInsertedIdOf(value: unknown): value is InsertedIdOf {
  return typeof value === 'object' && value !== null && 'insertedIdOf' in value;
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
    await runner.batch(statements);
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

/**
 * Runs statements that each insert one row and return its `id` (`... returning id`), in order,
 * all or none, in one transaction; a later statement may use an earlier one's id through
 * `insertedIdOf`. Resolves to the ids, in order. On a SQLite file the transaction runs in one
 * go, on the main thread's connection when the writer thread is idle, else on the writer
 * thread in one exchange; `urgent` puts it there before the bulk the thread has queued (an
 * alarm before position batches). It still waits for the transaction running, if any: SQLite
 * has one writer at a time.
 */
export async function executeLinked(
  db: Kysely<Database>,
  statements: readonly CompiledQuery[],
  options: { readonly urgent?: boolean } = {},
): Promise<number[]> {
  if (statements.length === 0) return [];
  const runner = batchRunners.get(db);
  if (runner !== undefined) return runner.linked(statements, options.urgent === true);
  return db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    for (const statement of statements) {
      const { rows } = await trx.executeQuery<{ id: number }>({
        ...statement,
        parameters: linkedParameters(statement.parameters, ids),
      });
      ids.push(idOf(rows[0], statement.sql));
    }
    return ids;
  });
}

/** The parameters with each `insertedIdOf` replaced by the id it stands for. */
export function linkedParameters(
  parameters: readonly unknown[],
  ids: readonly number[],
): unknown[] {
  return parameters.map((value) => {
    if (!isInsertedIdOf(value)) return value;
    const id = ids[value.insertedIdOf];
    if (id === undefined) {
      throw new RangeError(
        `insertedIdOf(${String(value.insertedIdOf)}) names no earlier statement`,
      );
    }
    return id;
  });
}

/** The id a linked statement returned; throws when it returned none. */
export function idOf(row: { readonly id?: unknown } | undefined, sql: string): number {
  const id = row?.id;
  if (typeof id !== 'number') throw new Error(`a linked statement returned no id: ${sql}`);
  return id;
}
