import type { Command } from 'commander';
import { describeEffectiveSettings } from '../config.ts';
import { commandLogger, configOf, withMigratedDatabase, type CliContext } from './cli-context.ts';

/** `kinwatch migrate` and `kinwatch config`. */
export function registerAdminCommands(program: Command, context: CliContext): void {
  program
    .command('migrate')
    .description('create or update the database schema, then exit (start does it too)')
    .action(async () => {
      const config = configOf(context);
      const logger = commandLogger(config);
      const applied = await withMigratedDatabase(config, logger, (_database, names) =>
        Promise.resolve(names),
      );
      for (const name of applied) context.print(`applied ${name}`);
      context.print('the database schema is up to date');
    });
  program
    .command('config')
    .description('print the effective settings and where each comes from; secrets are masked')
    .action(() => {
      const rows = describeEffectiveSettings(context.env, context.flags());
      const width = Math.max(...rows.map((row) => row.env.length + row.shownValue.length + 1));
      for (const row of rows) {
        context.print(`${`${row.env}=${row.shownValue}`.padEnd(width)}  # ${row.source}`);
      }
    });
}
