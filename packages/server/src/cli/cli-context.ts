import { mkdir } from 'node:fs/promises';
import type { Logger } from '@kinwatch/core';
import { migrateToLatest } from '../adapters/sql/migrations.ts';
import { openDatabase, type SqlDatabase } from '../adapters/sql/open-database.ts';
import { loadConfig, type ConfigFlags, type KinwatchConfig } from '../config.ts';
import { createPinoLogger } from '../observability/pino-logger.ts';

/** What every command gets: the process's environment and output, passed in for clarity. */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The settings flags given on the command line (commander's parsed global options). */
  readonly flags: () => ConfigFlags;
  /** Writes a line of the command's result to stdout. */
  readonly print: (line: string) => void;
}

/** The effective configuration; throws ConfigError (exit code 2) on an invalid setting. */
export function configOf(context: CliContext): KinwatchConfig {
  return loadConfig(context.env, context.flags());
}

/** The logger of a one-shot command: stderr, so that stdout carries only the result. */
export function commandLogger(config: KinwatchConfig): Logger {
  return createPinoLogger({ level: config.logLevel, destination: 2 });
}

/**
 * Opens the configured database, brings its schema up to date, runs `work` with the names of
 * the migrations that ran, and closes it. The data directory is created first, readable by its
 * owner only: it holds the master key.
 */
export async function withMigratedDatabase<T>(
  config: KinwatchConfig,
  logger: Logger,
  work: (database: SqlDatabase, applied: readonly string[]) => Promise<T>,
): Promise<T> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const database = await openDatabase(config.databaseUrl, {
    writerThread: config.sqliteWriterThread === 'true',
    postgresWriterThread: config.postgresWriterThread === 'true',
  });
  try {
    const applied = await migrateToLatest(database);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database schema updated');
    return await work(database, applied);
  } finally {
    await database.close();
  }
}
