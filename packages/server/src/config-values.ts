/**
 * Parsers for the kinds of value settings take. Each returns the value or throws an Error whose
 * message says what was expected; `loadConfig` adds the variable's name and the bad value.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A decimal integer from `min` to `max`; no exponent, no fraction, no unit. */
export function parseInteger(text: string, min: number, max: number): number {
  const trimmed = text.trim();
  const value = /^-?[0-9]+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`expected an integer from ${min} to ${max}`);
  }
  return value;
}

export function parsePath(text: string): string {
  if (text.trim() === '' || text.includes('\0')) throw new Error('expected a directory path');
  return text;
}

/** A host name, an IPv4 address or an IPv6 address (`::` for every interface). */
export function parseHost(text: string): string {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9._:%-]+$/.test(trimmed)) {
    throw new Error('expected a host name or IP address, such as 0.0.0.0, :: or 127.0.0.1');
  }
  return trimmed;
}

export function parseLogLevel(text: string): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === text.trim().toLowerCase());
  if (level === undefined) throw new Error(`expected one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** The URL forms `openDatabase` accepts; whether the database answers is checked at start. */
export function parseDatabaseUrl(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('sqlite:')) {
    if (trimmed === 'sqlite:' || trimmed === 'sqlite://') {
      throw new Error('a sqlite: URL needs a file path, as in sqlite:./data/kinwatch.db');
    }
    return trimmed;
  }
  if (/^postgres(ql)?:\/\//.test(trimmed) && URL.canParse(trimmed)) return trimmed;
  throw new Error(
    'expected sqlite:<path>, sqlite::memory: or postgres://user:password@host:5432/database',
  );
}

/**
 * `memory:`, or NATS server URLs (`nats://host:4222`, several separated by commas). NATS is
 * accepted here so that configurations can be written ahead of the scale-out work; starting
 * with it fails until the NATS bus exists.
 */
export function parseBusUrl(text: string): string {
  const trimmed = text.trim();
  if (trimmed === 'memory:') return trimmed;
  const servers = trimmed.split(',').map((server) => server.trim());
  const isNats = servers.every(
    (server) => server.startsWith('nats://') && URL.canParse(server) && new URL(server).hostname,
  );
  if (!isNats) throw new Error('expected memory: or nats://host:port[,nats://host:port...]');
  return servers.join(',');
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const MASTER_KEY_BYTES = 32;

/** Base64 (standard or URL-safe) of exactly 32 bytes. */
export function parseMasterKey(text: string): string {
  const trimmed = text.trim();
  const length = BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64').length : -1;
  if (length !== MASTER_KEY_BYTES) {
    throw new Error(
      `expected base64 of exactly ${MASTER_KEY_BYTES} bytes ` +
        `(${length < 0 ? 'not base64' : `got ${length} bytes`}); make one with: openssl rand -base64 32`,
    );
  }
  return trimmed;
}

/** A value as `kinwatch config` prints it: secrets masked, URL passwords replaced. */
export function showValue(value: unknown, isSecret: boolean): string {
  if (value === undefined) return '(unset)';
  if (isSecret) return '********';
  return maskUrlPassword(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * Replaces the password of each `scheme://user:password@host` URL in a comma-separated list
 * (NATS takes several); other text is unchanged.
 */
export function maskUrlPassword(text: string): string {
  return text.replace(/(^|,)([a-z][a-z0-9+.-]*:\/\/[^:/@,]*):[^@/,]*@/gi, '$1$2:***@');
}

export const SMS_PROVIDERS = ['file', 'http', 'twilio'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/** One of `choices`, in any letter case; returns it as the list spells it. */
export function parseOneOf<T extends string>(choices: readonly T[], text: string): T {
  const wanted = text.trim().toLowerCase();
  const found = choices.find((choice) => choice.toLowerCase() === wanted);
  if (found === undefined) throw new Error(`expected one of ${choices.join(', ')}`);
  return found;
}

/** `AC` and 32 hex digits, as Twilio's console shows it. */
export function parseTwilioAccountSid(text: string): string {
  const trimmed = text.trim();
  if (!/^AC[0-9a-f]{32}$/i.test(trimmed)) throw new Error('expected AC followed by 32 hex digits');
  return trimmed;
}

/** An absolute http: or https: URL. */
export function parseHttpUrl(text: string): string {
  const trimmed = text.trim();
  const isHttp = URL.canParse(trimmed) && /^https?:$/.test(new URL(trimmed).protocol);
  if (!isHttp) throw new Error('expected an http:// or https:// URL');
  return trimmed;
}

/** `*` for every country, or ISO 3166-1 alpha-2 codes separated by commas (`DE,AT,CH`). */
export function parseCountryList(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '*') return trimmed;
  const codes = trimmed.split(',').map((code) => code.trim().toUpperCase());
  if (!codes.every((code) => /^[A-Z]{2}$/.test(code))) {
    throw new Error('expected * or two-letter country codes separated by commas, as in DE,AT,CH');
  }
  return [...new Set(codes)].join(',');
}

/** Any text but blank, kept as given (templates, tokens, sender ids). */
export function parseNonBlank(text: string): string {
  if (text.trim() === '') throw new Error('expected a value');
  return text;
}

/**
 * A map tile URL template: http(s), with the {z}, {x} and {y} placeholders Leaflet fills in
 * (and optionally {s} for subdomains, {r} for retina).
 */
export function parseTileUrl(text: string): string {
  const trimmed = text.trim();
  const probe = trimmed.replace(/\{[a-z]\}/g, '0');
  const isHttp = URL.canParse(probe) && /^https?:$/.test(new URL(probe).protocol);
  if (!isHttp) throw new Error('expected an http:// or https:// URL template');
  for (const placeholder of ['{z}', '{x}', '{y}']) {
    if (!trimmed.includes(placeholder)) {
      throw new Error(`expected the placeholders {z}, {x} and {y}; ${placeholder} is missing`);
    }
  }
  return trimmed;
}
