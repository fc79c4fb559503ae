/**
 * The `kinwatch` command (bin/kinwatch.mjs loads this file). Everything but the process itself
 * (argv, environment, output, exit) is in cli/cli-program.ts.
 */
import { runCli } from './cli/cli-program.ts';

const exitCode = await runCli(process.argv, {
  env: process.env,
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
});
process.exitCode = exitCode;
// Once the command is done, a handle someone forgot to close must not keep the process alive.
setTimeout(() => process.exit(exitCode), 2_000).unref();
