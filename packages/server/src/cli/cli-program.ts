import { Command, CommanderError } from 'commander';
import { ConfigError, describeSettings } from '../config.ts';
import { registerAdminCommands } from './admin.command.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './cli-errors.ts';
import type { CliContext } from './cli-context.ts';
import { registerImportCellsCommand } from './import-cells.command.ts';
import { registerStartCommand } from './start.command.ts';
import { registerWatchCommands } from './watches.command.ts';

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Runs one `kinwatch` command line (`argv` as in process.argv, node and script first) and
 * resolves with the exit code: 0 done, 1 failed, 2 bad usage or configuration. Errors are
 * written to stderr as one readable message; a stack only for unexpected ones.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('kinwatch')
    .description('Kinwatch: a self-hosted, privacy-first server for kids’ GPS watches')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const setting of describeSettings()) {
    if (setting.flag === undefined) continue;
    program.option(
      `${setting.flag} <value>`,
      `${setting.doc} [${setting.env}; default ${setting.defaultText}]`,
    );
  }
  const context: CliContext = {
    env: io.env,
    flags: () => program.opts(),
    print: (line) => {
      io.stdout(`${line}\n`);
    },
  };
  registerStartCommand(program, context, (code) => (exitCode = code));
  registerAdminCommands(program, context);
  registerWatchCommands(program, context);
  registerImportCellsCommand(program, context);
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message already. Help and version are not failures.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof ConfigError || error instanceof UsageError) {
    io.stderr(`kinwatch: ${error.message}\n`);
    return EXIT_USAGE;
  }
  io.stderr(`kinwatch: ${describeFailure(error, io.env)}\n`);
  return EXIT_FAILURE;
}

/** The message and its causes; the stack too when the log level asks for detail. */
function describeFailure(error: unknown, env: CliIo['env']): string {
  if (!(error instanceof Error)) return String(error);
  if (/^(debug|trace)$/i.test(env['KINWATCH_LOG_LEVEL'] ?? '')) return error.stack ?? error.message;
  const messages = [error.message];
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
    messages.push(cause.message);
  }
  return messages.join(': ');
}
