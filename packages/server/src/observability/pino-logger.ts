import type { Logger } from '@kinwatch/core';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { LogLevel } from '../config.ts';

export interface PinoLoggerOptions {
  readonly level: LogLevel;
  /**
   * Where JSON lines go: a file descriptor (default 1, stdout) or a stream. Commands whose
   * stdout is their result log to 2.
   */
  readonly destination?: number | DestinationStream;
}

/**
 * The Logger port over pino: one JSON object per line with `level`, `time` (epoch ms), `msg`
 * and the fields. Put an Error in the `err` field to get its type, message and stack. Writes
 * synchronously, so the last lines before an exit are not lost.
 */
export function createPinoLogger(options: PinoLoggerOptions): Logger {
  const destination =
    typeof options.destination === 'object'
      ? options.destination
      : pino.destination({ dest: options.destination ?? 1, sync: true });
  return new PinoLogger(pino({ level: options.level, base: { pid: process.pid } }, destination));
}

class PinoLogger implements Logger {
  readonly #pino: Pino;

  constructor(logger: Pino) {
    this.#pino = logger;
  }

  debug(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.#pino.debug(fields, message);
  }

  info(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.#pino.info(fields, message);
  }

  warn(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.#pino.warn(fields, message);
  }

  error(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.#pino.error(fields, message);
  }

  child(fields: Readonly<Record<string, unknown>>): Logger {
    return new PinoLogger(this.#pino.child(fields));
  }
}
