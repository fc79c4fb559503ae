/**
 * Structured logging as a port, so the domain and the gateway log without knowing the logging
 * library, and tests can read what was logged. Fields are plain data; never put coordinates,
 * phone numbers or audio in them (logs are not encrypted).
 */
export interface Logger {
  debug(fields: Readonly<Record<string, unknown>>, message: string): void;
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Readonly<Record<string, unknown>>): Logger;
}
