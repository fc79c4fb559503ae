import type { Command } from 'commander';
import { SqlCellTowerRepository } from '../adapters/sql/cell-tower.repository.ts';
import { UsageError } from './cli-errors.ts';
import { commandLogger, configOf, withMigratedDatabase, type CliContext } from './cli-context.ts';
import { importCells } from './import-cells.ts';

/** `kinwatch import-cells FILE`: loads an OpenCelliD-format cell table, with a progress bar. */
export function registerImportCellsCommand(program: Command, context: CliContext): void {
  program
    .command('import-cells')
    .description('import cell towers from an OpenCelliD-format CSV (.csv or .csv.gz)')
    .argument('<file>', 'the CSV file, gzipped when its name ends in .gz')
    .action(async (file: string) => {
      const config = configOf(context);
      const logger = commandLogger(config);
      const result = await withMigratedDatabase(config, logger, (database) =>
        // The progress bar goes to stderr (importCells' default), the summary to stdout.
        importCells({ file, repository: new SqlCellTowerRepository(database.db) }).catch(
          (error: unknown) => {
            throw isMissingFile(error)
              ? new UsageError(`cannot read ${file}: no such file`)
              : error;
          },
        ),
      );
      context.print(`imported ${result.imported} cells, skipped ${result.skipped} bad rows`);
      for (const problem of result.problems) context.print(`  ${problem}`);
    });
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
