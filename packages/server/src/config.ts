/**
 * Every setting of Kinwatch in one place: its name, environment variable, CLI flag, type,
 * default and one line of documentation. `loadConfig` is pure (the caller passes the
 * environment and the flags), so tests and the documentation generator use it as is.
 * Precedence: CLI flag, then environment variable, then default. An empty (or blank) variable
 * counts as unset.
 */
import { join } from 'node:path';
import { DEFAULT_SMS_LIMITS } from '@kinwatch/core';
import {
  DEFAULT_HTTP_SMS_TEMPLATE,
  HTTP_SMS_CONTENT_TYPES,
  HTTP_SMS_METHODS,
  type HttpSmsContentType,
  type HttpSmsMethod,
} from './adapters/sms/http-sms-sender.ts';
import { TWILIO_API_BASE_URL } from './adapters/sms/twilio-sms-sender.ts';
import {
  parseBusUrl,
  parseCountryList,
  parseDatabaseUrl,
  parseHost,
  parseHttpUrl,
  parseTileUrl,
  parseInteger,
  parseLogLevel,
  parseMasterKey,
  parseNonBlank,
  parseOneOf,
  parsePath,
  parseTwilioAccountSid,
  showValue,
  SMS_PROVIDERS,
  type LogLevel,
  type SmsProviderName,
} from './config-values.ts';

export type { LogLevel } from './config-values.ts';

interface SettingSpec<T> {
  /** For the documentation: `integer`, `host`, `URL`... */
  readonly type: string;
  readonly doc: string;
  /** False for settings that must not appear on a command line. */
  readonly hasFlag: boolean;
  readonly isSecret: boolean;
  /** The default as the documentation shows it. */
  readonly defaultText: string;
  readonly defaultOf: (context: { readonly dataDir: string }) => T;
  /** Returns the value, or throws an Error whose message says what is expected. */
  readonly parse: (text: string) => T;
}

function setting<T>(
  spec: Omit<SettingSpec<T>, 'hasFlag' | 'isSecret' | 'defaultText' | 'defaultOf'> & {
    readonly defaultValue: T;
    readonly hasFlag?: boolean;
    readonly isSecret?: boolean;
  },
): SettingSpec<T> {
  const { defaultValue, ...rest } = spec;
  return {
    hasFlag: true,
    isSecret: false,
    ...rest,
    defaultText: defaultValue === undefined ? '' : String(defaultValue),
    defaultOf: () => defaultValue,
  };
}

function integer(doc: string, defaultValue: number, min: number, max: number) {
  return setting({
    type: `integer ${min}..${max}`,
    doc,
    defaultValue,
    parse: (text) => parseInteger(text, min, max),
  });
}

const PORT_MAX = 65_535;
const DAY_SECONDS = 86_400;
const SMS_LIMIT_MAX = 10_000_000;

/** The settings, in the order the documentation and `kinwatch config` list them. */
const SETTINGS = {
  dataDir: setting({
    type: 'path',
    doc: 'Directory for the SQLite database, the master key and media files.',
    defaultValue: './data',
    parse: parsePath,
  }),
  httpHost: setting({
    type: 'host',
    doc: 'Address the HTTP server (web app, API, health, metrics) listens on.',
    defaultValue: '0.0.0.0',
    parse: parseHost,
  }),
  httpPort: integer('HTTP port; 0 picks a free port and logs it.', 8080, 0, PORT_MAX),
  gatewayHost: setting({
    type: 'host',
    doc: 'Address the watch gateway (TCP) listens on.',
    defaultValue: '0.0.0.0',
    parse: parseHost,
  }),
  gatewayPort: integer(
    'Watch gateway TCP port; 0 picks a free port and logs it.',
    8001,
    0,
    PORT_MAX,
  ),
  databaseUrl: {
    type: 'URL',
    doc: 'Database: sqlite:<path>, sqlite::memory: or postgres://user:password@host/db.',
    hasFlag: true,
    isSecret: false,
    defaultText: 'sqlite:<data dir>/kinwatch.db',
    defaultOf: ({ dataDir }) => `sqlite:${join(dataDir, 'kinwatch.db')}`,
    parse: parseDatabaseUrl,
  } satisfies SettingSpec<string>,
  sqliteWriterThread: setting<'true' | 'false'>({
    type: 'true|false',
    doc: 'SQLite files: run the statements that write, and their commits, on a thread of their own so that the main thread never waits for the disk. false runs them on the main thread.',
    defaultValue: 'true',
    parse: (text) => parseOneOf(['true', 'false'], text),
  }),
  postgresWriterThread: setting<'true' | 'false'>({
    type: 'true|false',
    doc: 'PostgreSQL: seal position batches and copy them into the database (COPY) on a thread of their own, with a connection of its own. false seals them on the main thread and inserts them through the pool.',
    defaultValue: 'true',
    parse: (text) => parseOneOf(['true', 'false'], text),
  }),
  heapSettle: setting<'true' | 'false'>({
    type: 'true|false',
    doc: 'After a burst (thousands of watches connecting at once), ask V8 for one full collection once the server has gone quiet, so that it gives back the memory the burst left. false leaves it to V8.',
    defaultValue: 'true',
    parse: (text) => parseOneOf(['true', 'false'], text),
  }),
  busUrl: setting({
    type: 'URL',
    doc: 'Message bus: memory: (in-process) or nats://host:port (scale-out, not available yet).',
    defaultValue: 'memory:',
    parse: parseBusUrl,
  }),
  masterKey: setting<string | undefined>({
    type: 'base64, 32 bytes',
    doc: 'Master key (make one with: openssl rand -base64 32). Unset: <data dir>/master.key. No flag: command lines are visible to other users.',
    defaultValue: undefined,
    hasFlag: false,
    isSecret: true,
    parse: parseMasterKey,
  }),
  logLevel: setting<LogLevel>({
    type: 'fatal|error|warn|info|debug|trace|silent',
    doc: 'Least severe level written to the log.',
    defaultValue: 'info',
    parse: parseLogLevel,
  }),
  gatewayMaxConnections: integer(
    'Watch connections held at once; more are refused. Keep it below the open-file limit (ulimit -n).',
    19_000,
    1,
    10_000_000,
  ),
  gatewayMaxConnectionsPerIp: integer(
    'Watch connections from one IP address; carrier NAT puts many real watches behind one.',
    1_000,
    1,
    10_000_000,
  ),
  gatewayMaxFrameBytes: integer(
    'Largest frame a watch may send (voice and photo chunks are the big ones); larger closes the connection.',
    262_144,
    64,
    16 * 1024 * 1024,
  ),
  gatewayMaxFramesPerSecond: integer(
    'Frames per second one connection may send (a watch back in coverage bursts its buffered history); a flood closes it.',
    200,
    1,
    100_000,
  ),
  gatewayIdleTimeoutSeconds: integer(
    'A connection silent this long is closed; watches send a keep-alive every few minutes.',
    1_200,
    10,
    DAY_SECONDS,
  ),
  gatewayHeaderTimeoutSeconds: integer(
    'A new connection must send its first complete frame within this time or is closed.',
    60,
    1,
    3_600,
  ),
  positionBatchWindowMs: integer(
    'Positions are written in one transaction per window of this many milliseconds.',
    20,
    0,
    10_000,
  ),
  positionBatchMaxRows: integer(
    'A position batch is written early when it holds this many rows.',
    1000,
    1,
    100_000,
  ),
  commandTtlSeconds: integer(
    'A command not delivered to its watch within this time expires.',
    DAY_SECONDS,
    1,
    365 * DAY_SECONDS,
  ),
  unknownSightingIntervalSeconds: integer(
    'An unprovisioned watch id is recorded at most once per this many seconds.',
    300,
    0,
    DAY_SECONDS,
  ),
  smsProvider: setting<SmsProviderName>({
    type: SMS_PROVIDERS.join('|'),
    doc: 'Where SMS (login codes) go: file appends them to <data dir>/sms-outbox.jsonl, http posts them to a gateway, twilio uses Twilio (docs/sms.md).',
    defaultValue: 'file',
    parse: (text) => parseOneOf(SMS_PROVIDERS, text),
  }),
  smsHttpUrl: setting<string | undefined>({
    type: 'URL',
    doc: 'With the http provider: the gateway URL; {to} and {text} in it are replaced, URL-encoded. Shown masked: some gateways take their key in it.',
    defaultValue: undefined,
    isSecret: true,
    parse: parseHttpUrl,
  }),
  smsHttpMethod: setting<HttpSmsMethod>({
    type: HTTP_SMS_METHODS.join('|'),
    doc: 'With the http provider: the request method; GET sends no body.',
    defaultValue: 'POST',
    parse: (text) => parseOneOf(HTTP_SMS_METHODS, text),
  }),
  smsHttpTemplate: setting({
    type: 'text',
    doc: 'With the http provider: the request body; {to} and {text} are replaced, escaped for the content type.',
    defaultValue: DEFAULT_HTTP_SMS_TEMPLATE,
    parse: parseNonBlank,
  }),
  smsHttpContentType: setting<HttpSmsContentType>({
    type: HTTP_SMS_CONTENT_TYPES.join('|'),
    doc: 'With the http provider: the content type of the body, which decides how {to} and {text} are escaped.',
    defaultValue: 'application/json',
    parse: (text) => parseOneOf(HTTP_SMS_CONTENT_TYPES, text),
  }),
  smsHttpAuthorization: setting<string | undefined>({
    type: 'text',
    doc: 'With the http provider: the Authorization header value, as in Bearer <token>. No flag: command lines are visible to other users.',
    defaultValue: undefined,
    hasFlag: false,
    isSecret: true,
    parse: parseNonBlank,
  }),
  smsTwilioAccountSid: setting<string | undefined>({
    type: 'AC + 32 hex digits',
    doc: 'With the twilio provider: the account SID.',
    defaultValue: undefined,
    parse: parseTwilioAccountSid,
  }),
  smsTwilioAuthToken: setting<string | undefined>({
    type: 'text',
    doc: 'With the twilio provider: the auth token. No flag: command lines are visible to other users.',
    defaultValue: undefined,
    hasFlag: false,
    isSecret: true,
    parse: parseNonBlank,
  }),
  smsTwilioFrom: setting<string | undefined>({
    type: 'text',
    doc: 'With the twilio provider: the sender, a Twilio number (E.164), an alphanumeric sender id or a Messaging Service SID (MG...).',
    defaultValue: undefined,
    parse: parseNonBlank,
  }),
  smsTwilioBaseUrl: setting({
    type: 'URL',
    doc: 'With the twilio provider: the API address; change it only to point at a test double.',
    defaultValue: TWILIO_API_BASE_URL,
    parse: parseHttpUrl,
  }),
  smsCountries: setting({
    type: '* or country codes',
    doc: 'Countries whose numbers may get SMS, as ISO 3166 codes separated by commas (DE,AT,CH); * allows all. Limit it to where your guardians live, against toll fraud.',
    defaultValue: '*',
    parse: parseCountryList,
  }),
  smsLimitPerNumberHour: integer(
    'SMS to one number per hour (clock hour, UTC).',
    DEFAULT_SMS_LIMITS.perNumberPerHour,
    1,
    SMS_LIMIT_MAX,
  ),
  smsLimitPerNumberDay: integer(
    'SMS to one number per day (UTC).',
    DEFAULT_SMS_LIMITS.perNumberPerDay,
    1,
    SMS_LIMIT_MAX,
  ),
  smsLimitPerAddressHour: integer(
    'SMS requested from one IPv4 address or IPv6 /64 per hour.',
    DEFAULT_SMS_LIMITS.perAddressPerHour,
    1,
    SMS_LIMIT_MAX,
  ),
  smsLimitPerPrefixHour: integer(
    'SMS per hour to one number range (the number without its last 3 digits), against SMS pumping.',
    DEFAULT_SMS_LIMITS.perPrefixPerHour,
    1,
    SMS_LIMIT_MAX,
  ),
  smsDailyBudget: integer(
    'SMS per day (UTC) to anyone; the ceiling of the provider bill.',
    DEFAULT_SMS_LIMITS.dailyBudget,
    1,
    SMS_LIMIT_MAX,
  ),
  shutdownTimeoutSeconds: integer(
    'On SIGTERM/SIGINT, the time allowed to finish work before the process exits anyway.',
    30,
    1,
    3_600,
  ),
  cookieSecure: setting<'true' | 'false'>({
    type: 'true|false',
    doc: 'Mark the session cookie Secure (sent over HTTPS only). Set true whenever Kinwatch is served over HTTPS, as it must be on the internet.',
    defaultValue: 'false',
    parse: (text) => parseOneOf(['true', 'false'], text),
  }),
  demoMinutes: integer(
    'How long a "try the demo" family lives before it is deleted; 0 switches the demo off.',
    120,
    0,
    7 * 24 * 60,
  ),
  alertOfflineMinutes: integer(
    'A bound watch not heard from for this many minutes raises an offline alert.',
    30,
    5,
    7 * 24 * 60,
  ),
  alertSosRepeatSeconds: integer(
    'An SOS nobody has acknowledged is sent to the guardians again this often (for an hour).',
    30,
    10,
    600,
  ),
  locationStaleMinutes: integer(
    'A latest position older than this is shown as stale.',
    15,
    1,
    24 * 60,
  ),
  mapTileUrl: setting<string | undefined>({
    type: 'URL template',
    doc: 'Street map tiles for the web app, e.g. https://tile.example.org/{z}/{x}/{y}.png. Unset: the bundled offline world map only. Guardians\' browsers then ask that server for tiles around the child\'s position (see docs/operations.md, "Maps").',
    defaultValue: undefined,
    parse: parseTileUrl,
  }),
  mapTileAttribution: setting<string | undefined>({
    type: 'text',
    doc: 'The credit line the tile provider requires, shown on the map (plain text).',
    defaultValue: undefined,
    parse: (text) => {
      const trimmed = text.trim();
      if (trimmed.length === 0 || trimmed.length > 300) {
        throw new Error('expected 1 to 300 characters');
      }
      return trimmed;
    },
  }),
  smtpUrl: setting<string | undefined>({
    type: 'URL',
    doc: 'Mail server for alert e-mails: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465. Unset: no e-mail. No flag: it holds a password.',
    defaultValue: undefined,
    hasFlag: false,
    isSecret: true,
    parse: (text) => {
      const trimmed = text.trim();
      if (!URL.canParse(trimmed) || !/^smtps?:$/.test(new URL(trimmed).protocol)) {
        throw new Error('expected an smtp:// or smtps:// URL');
      }
      return trimmed;
    },
  }),
  smtpFrom: setting<string | undefined>({
    type: 'text',
    doc: 'With KINWATCH_SMTP_URL: the From of alert e-mails, as in Kinwatch <kinwatch@example.org>.',
    defaultValue: undefined,
    parse: (text) => {
      if (/[\r\n]/.test(text) || !text.includes('@')) {
        throw new Error('expected one e-mail address');
      }
      return text.trim();
    },
  }),
  pushContact: setting({
    type: 'mailto: or https URL',
    doc: 'Sent to Web Push services with every message (VAPID subject) so they can reach the operator; set your own address.',
    defaultValue: 'mailto:kinwatch@localhost',
    parse: (text) => {
      const trimmed = text.trim();
      if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(trimmed)) {
        throw new Error('expected mailto:you@example.org or an https:// URL');
      }
      return trimmed;
    },
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;

type ValueOf<S> = S extends SettingSpec<infer T> ? T : never;

/** The effective settings. Built only by `loadConfig`, so every value has been validated. */
export type KinwatchConfig = {
  readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]>;
};

/**
 * Values of CLI flags as given, by setting key (commander's camelCase of the flag). Only string
 * values count: other options of the command line may share the object.
 */
export type ConfigFlags = Readonly<Partial<Record<string, unknown>>>;

export type ConfigSource = 'flag' | 'environment' | 'default';

/** One setting, for the documentation table and `--help`. */
export interface SettingDescription {
  readonly key: SettingKey;
  readonly env: string;
  /** `--http-port`, or undefined when the setting is environment-only. */
  readonly flag: string | undefined;
  readonly type: string;
  readonly defaultText: string;
  readonly doc: string;
  readonly isSecret: boolean;
}

/** A setting with the value in effect and where it came from; secrets are masked. */
export interface EffectiveSetting extends SettingDescription {
  readonly shownValue: string;
  readonly source: ConfigSource;
}

/** Thrown by `loadConfig`; lists every bad value, each naming its variable or flag. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

const KEYS = Object.keys(SETTINGS) as SettingKey[];

/** `gatewayMaxConnectionsPerIp` -> `GATEWAY_MAX_CONNECTIONS_PER_IP`. */
function snake(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Every setting with its variable, flag, type, default and documentation, in order. */
export function describeSettings(): SettingDescription[] {
  return KEYS.map((key) => {
    const spec: SettingSpec<unknown> = SETTINGS[key];
    return {
      key,
      env: `KINWATCH_${snake(key)}`,
      flag: spec.hasFlag ? `--${kebab(key)}` : undefined,
      type: spec.type,
      defaultText: spec.defaultText,
      doc: spec.doc,
      isSecret: spec.isSecret,
    };
  });
}

interface Resolved {
  readonly values: Record<string, unknown>;
  readonly sources: Record<string, ConfigSource>;
}

function resolve(env: Readonly<Record<string, string | undefined>>, flags: ConfigFlags): Resolved {
  const values: Record<string, unknown> = {};
  const sources: Record<string, ConfigSource> = {};
  const problems: string[] = [];
  // dataDir first: other defaults are derived from it.
  for (const description of describeSettings()) {
    const spec: SettingSpec<unknown> = SETTINGS[description.key];
    const given = givenText(description, env, flags);
    if (given === undefined) {
      values[description.key] = spec.defaultOf({ dataDir: String(values['dataDir']) });
      sources[description.key] = 'default';
      continue;
    }
    try {
      values[description.key] = spec.parse(given.text);
      sources[description.key] = given.source;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const shown = spec.isSecret ? '(value hidden)' : JSON.stringify(given.text);
      problems.push(`${given.name}=${shown}: ${reason}`);
    }
  }
  if (problems.length === 0) problems.push(...combinationProblems(values));
  if (problems.length > 0) throw new ConfigError(problems);
  return { values, sources };
}

/** Settings that are valid alone but not together: the chosen SMS provider needs its own. */
function combinationProblems(values: Readonly<Record<string, unknown>>): string[] {
  const needs: Partial<Record<SmsProviderName, readonly SettingKey[]>> = {
    http: ['smsHttpUrl'],
    twilio: ['smsTwilioAccountSid', 'smsTwilioAuthToken', 'smsTwilioFrom'],
  };
  const provider = values['smsProvider'] as SmsProviderName;
  const missing = (needs[provider] ?? []).filter((key) => values[key] === undefined);
  if (missing.length === 0) return [];
  const names = missing.map((key) => `KINWATCH_${snake(key)}`).join(', ');
  return [`KINWATCH_SMS_PROVIDER=${provider} needs ${names}; see docs/sms.md`];
}

function givenText(
  description: SettingDescription,
  env: Readonly<Record<string, string | undefined>>,
  flags: ConfigFlags,
): { text: string; source: ConfigSource; name: string } | undefined {
  const flagValue = description.flag === undefined ? undefined : flags[description.key];
  if (typeof flagValue === 'string') {
    return { text: flagValue, source: 'flag', name: description.flag ?? description.key };
  }
  const envValue = env[description.env];
  if (envValue !== undefined && envValue.trim() !== '') {
    return { text: envValue, source: 'environment', name: description.env };
  }
  return undefined;
}

/**
 * The effective configuration from the environment (`process.env` in production) and the
 * CLI flags. Reads nothing else. Throws ConfigError listing every invalid value.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  flags: ConfigFlags = {},
): KinwatchConfig {
  return Object.freeze(resolve(env, flags).values) as KinwatchConfig;
}

/** What `kinwatch config` prints: each setting's value and source, secrets masked. */
export function describeEffectiveSettings(
  env: Readonly<Record<string, string | undefined>>,
  flags: ConfigFlags = {},
): EffectiveSetting[] {
  const { values, sources } = resolve(env, flags);
  return describeSettings().map((description) => {
    const value = values[description.key];
    return {
      ...description,
      shownValue: showValue(value, description.isSecret),
      source: sources[description.key] ?? 'default',
    };
  });
}
