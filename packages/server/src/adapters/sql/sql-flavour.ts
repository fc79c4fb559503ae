import type { ColumnDefinitionBuilder } from 'kysely';

/**
 * Everything that differs between SQLite and PostgreSQL for Kinwatch's schema. Queries are the
 * same on both (kysely's `onConflict` covers upserts); only column types in migrations differ.
 * Timestamps are epoch milliseconds in `bigint` columns on both: SQLite gives the declared
 * type `bigint` integer affinity.
 */
export interface SqlFlavour {
  readonly name: 'sqlite' | 'postgres';
  /** Column type of sealed blobs. */
  readonly binaryType: 'blob' | 'bytea';
  /** Column type of an auto-increment primary key. */
  readonly idType: 'integer' | 'bigint';
  /** Makes the column an auto-increment primary key. */
  readonly idColumn: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

export const SQLITE: SqlFlavour = {
  name: 'sqlite',
  binaryType: 'blob',
  // Only `integer primary key` aliases the rowid; AUTOINCREMENT keeps ids from being reused
  // after the newest row is deleted.
  idType: 'integer',
  idColumn: (column) => column.primaryKey().autoIncrement(),
};

export const POSTGRES: SqlFlavour = {
  name: 'postgres',
  binaryType: 'bytea',
  idType: 'bigint',
  idColumn: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
};

/**
 * Bound parameters one statement may carry on both databases: SQLite's default
 * SQLITE_MAX_VARIABLE_NUMBER (32766), below PostgreSQL's 65535.
 */
export const MAX_BIND_PARAMETERS = 32_766;

/** Rows of a multi-row INSERT that stay within `MAX_BIND_PARAMETERS`. */
export function rowsPerInsert(columnsPerRow: number): number {
  return Math.floor(MAX_BIND_PARAMETERS / columnsPerRow);
}

/** Consecutive slices of at most `size` items. */
export function* chunks<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += size) {
    yield items.slice(start, start + size);
  }
}
