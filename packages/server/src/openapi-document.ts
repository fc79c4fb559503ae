/**
 * The API's OpenAPI document, made from the routes' zod schemas by assembling the real HTTP
 * server on a throw-away in-memory database (nothing listens). The committed copy in
 * docs/api/openapi.json is compared with it in CI.
 */
import { randomBytes } from 'node:crypto';
import { CommandService, type Logger, type SmsSender } from '@kinwatch/core';
import { MemoryBus } from './adapters/bus-memory/memory-bus.ts';
import { KeyringCipher } from './adapters/crypto/keyring-cipher.ts';
import { SqlCommandQueueRepository } from './adapters/sql/command-queue.repository.ts';
import { migrateToLatest } from './adapters/sql/migrations.ts';
import { openDatabase } from './adapters/sql/open-database.ts';
import { SqlWrappedKeyStore } from './adapters/sql/watch-key.repository.ts';
import { SqlWatchRepository } from './adapters/sql/watch.repository.ts';
import { assembleApi } from './api-assembly.ts';
import { registerApi } from './api/api-plugin.ts';
import { createHttpServer } from './http/http-server.ts';
import { systemClock } from './observability/system-clock.ts';
import { PrometheusMetrics } from './observability/prometheus-metrics.ts';

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

const noSms: SmsSender = { send: () => Promise.resolve() };

export async function buildOpenApiDocument(): Promise<unknown> {
  const database = await openDatabase('sqlite::memory:');
  try {
    await migrateToLatest(database);
    const masterKey = { bytes: randomBytes(32), id: 'openapi', origin: 'memory', isNew: true };
    const cipher = new KeyringCipher({ masterKey, store: new SqlWrappedKeyStore(database.db) });
    const bus = new MemoryBus(silent);
    const { services } = assembleApi({
      database,
      masterKey,
      commands: new CommandService(
        new SqlCommandQueueRepository(database.db, cipher),
        bus,
        systemClock,
      ),
      watches: new SqlWatchRepository(database.db, cipher),
      sms: noSms,
      smsLimits: {
        allowedRegions: '*',
        perNumberPerHour: 1,
        perNumberPerDay: 1,
        perAddressPerHour: 1,
        perPrefixPerHour: 1,
        dailyBudget: 1,
      },
      clock: systemClock,
      logger: silent,
      bus,
    });
    const app = createHttpServer({
      logger: silent,
      metrics: new PrometheusMetrics(),
      readinessChecks: {},
    });
    await registerApi(app, services, { isCookieSecure: false });
    await app.ready();
    const document = app.swagger();
    await app.close();
    await bus.close();
    return document;
  } finally {
    await database.close();
  }
}
