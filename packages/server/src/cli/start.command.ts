import type { Command } from 'commander';
import type { Logger } from '@kinwatch/core';
import type { KinwatchConfig } from '../config.ts';
import { startKinwatch } from '../main.ts';
import { createPinoLogger } from '../observability/pino-logger.ts';
import { EXIT_FAILURE, EXIT_OK } from './cli-errors.ts';
import { configOf, type CliContext } from './cli-context.ts';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * `kinwatch start`: runs until SIGINT or SIGTERM, then stops gracefully and resolves with exit
 * code 0, or 1 when stopping failed or took longer than the shutdown timeout. A second signal
 * while stopping exits at once with 1.
 */
export function registerStartCommand(
  program: Command,
  context: CliContext,
  setExitCode: (code: number) => void,
): void {
  program
    .command('start')
    .description('run Kinwatch: watch gateway, HTTP server, jobs')
    .action(async () => {
      const config = configOf(context);
      const logger = createPinoLogger({ level: config.logLevel });
      const running = await startKinwatch(config, logger);
      const signal = await nextStopSignal();
      logger.info({ signal }, 'stopping');
      const forceExit = () => {
        logger.error({}, 'second stop signal: exiting without finishing the shutdown');
        process.exit(EXIT_FAILURE);
      };
      for (const name of STOP_SIGNALS) process.once(name, forceExit);
      setExitCode(await stopWithin(running, config, logger));
      for (const name of STOP_SIGNALS) process.off(name, forceExit);
    });
}

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const name of STOP_SIGNALS) process.off(name, onSignal);
      resolve(signal);
    };
    for (const name of STOP_SIGNALS) process.on(name, onSignal);
  });
}

async function stopWithin(
  running: { stop(): Promise<void> },
  config: KinwatchConfig,
  logger: Logger,
): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = config.shutdownTimeoutSeconds * 1000;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout');
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([running.stop().then(() => 'stopped' as const), timedOut]);
    if (outcome === 'timeout') {
      logger.error({ timeoutSeconds: config.shutdownTimeoutSeconds }, 'shutdown timed out');
      return EXIT_FAILURE;
    }
    logger.info({}, 'stopped');
    return EXIT_OK;
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    return EXIT_FAILURE;
  } finally {
    clearTimeout(timer);
  }
}
