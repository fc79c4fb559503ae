import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SqlWatchRepository } from '../adapters/sql/watch.repository.ts';
import { UsageError } from './cli-errors.ts';
import { commandLogger, configOf, withMigratedDatabase, type CliContext } from './cli-context.ts';
import {
  parseDeviceIdArguments,
  parseDeviceIdFile,
  type InvalidDeviceId,
} from './device-id-list.ts';

/**
 * Provisioning and unknown sightings never remove a watch, so they need no data keys: this
 * stands in for the cipher rather than loading (or creating) a master key they do not use.
 */
const NO_KEY_DESTRUCTION = {
  destroyKey: (): Promise<void> =>
    Promise.reject(new Error('removing watches is not a watches command')),
};

/** `kinwatch watches provision` and `kinwatch watches list-unknown`. */
export function registerWatchCommands(program: Command, context: CliContext): void {
  const watches = program.command('watches').description('manage the watch registry');
  watches
    .command('provision')
    .description('make device ids known, so that their watches may store data')
    .argument('[ids...]', 'device ids (5 to 20 digits)')
    .option('--from-file <file>', 'read ids from a file: one per line, # comments allowed')
    .action(async (ids: string[], options: { fromFile?: string }) => {
      await provision(context, ids, options.fromFile);
    });
  watches
    .command('list-unknown')
    .description('list device ids that connected without being provisioned, latest first')
    .option('--limit <count>', 'at most this many', '100')
    .action(async (options: { limit: string }) => {
      await listUnknown(context, options.limit);
    });
}

async function provision(context: CliContext, args: string[], file: string | undefined) {
  const config = configOf(context);
  const fromArgs = parseDeviceIdArguments(args);
  const fromFile = file === undefined ? undefined : parseDeviceIdFile(await readIdFile(file));
  const invalid = [...fromArgs.invalid, ...(fromFile?.invalid ?? [])];
  if (invalid.length > 0) throw new UsageError(invalidIdsMessage(invalid, file));
  const ids = [...fromArgs.ids, ...(fromFile?.ids ?? [])];
  if (ids.length === 0) throw new UsageError('no device ids given: pass ids or --from-file FILE');
  const logger = commandLogger(config);
  const result = await withMigratedDatabase(config, logger, (database) =>
    new SqlWatchRepository(database.db, NO_KEY_DESTRUCTION).provision(ids, new Date()),
  );
  context.print(`created ${result.created}, already provisioned ${result.existing}`);
}

async function readIdFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function invalidIdsMessage(invalid: readonly InvalidDeviceId[], file: string | undefined) {
  const lines = invalid.map((entry) => {
    const where =
      entry.where.startsWith('line') && file !== undefined ? `${file} ${entry.where}` : entry.where;
    return `  ${where}: ${JSON.stringify(entry.text)}`;
  });
  return (
    `${invalid.length} invalid device id(s); a device id is 5 to 20 digits. Nothing was stored.\n` +
    lines.join('\n')
  );
}

async function listUnknown(context: CliContext, limitText: string): Promise<void> {
  const limit = Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new UsageError(`--limit ${JSON.stringify(limitText)}: expected a positive integer`);
  }
  const config = configOf(context);
  const logger = commandLogger(config);
  const sightings = await withMigratedDatabase(config, logger, (database) =>
    new SqlWatchRepository(database.db, NO_KEY_DESTRUCTION).listUnknownSightings(limit),
  );
  if (sightings.length === 0) {
    context.print('no unknown device ids seen');
    return;
  }
  const rows = sightings.map((s) => [
    s.deviceId,
    s.firstSeenAt.toISOString(),
    s.lastSeenAt.toISOString(),
    s.lastAddress,
    String(s.sightings),
  ]);
  const header = ['DEVICE ID', 'FIRST SEEN', 'LAST SEEN', 'LAST ADDRESS', 'SIGHTINGS'];
  for (const line of alignColumns([header, ...rows])) context.print(line);
}

function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
