/**
 * The composition root: the one place that chooses adapters from the configuration and wires
 * them together.
 */
import { mkdir } from 'node:fs/promises';
import type { Logger } from '@kinwatch/core';
import { sql } from 'kysely';
import { MemoryBus } from './adapters/bus-memory/memory-bus.ts';
import { loadMasterKey, type MasterKey } from './adapters/crypto/master-key.ts';
import { migrateToLatest } from './adapters/sql/migrations.ts';
import { openDatabase, type SqlDatabase } from './adapters/sql/open-database.ts';
import { ConfigError, type KinwatchConfig } from './config.ts';
import { assembleGateway } from './gateway-assembly.ts';
import { DEFAULT_GATEWAY_OPTIONS, type GatewayOptions } from './gateway/gateway-options.ts';
import { assembleApi } from './api-assembly.ts';
import { registerApi } from './api/api-plugin.ts';
import { createHttpServer, listenHttpServer } from './http/http-server.ts';
import { registerWebApp } from './http/web-app.ts';
import { ZoneOnlyWatches } from './jobs/zone-only-watches.ts';
import { createSmsSender, smsLimits } from './sms-assembly.ts';
import { createEmailSender, createPushSender } from './notification-assembly.ts';
import { systemClock } from './observability/system-clock.ts';
import {
  HeapSettler,
  processHeapReadings,
  v8CollectGarbage,
} from './observability/heap-settler.ts';
import { registerProcessMetrics } from './observability/process-metrics.ts';
import { PrometheusMetrics } from './observability/prometheus-metrics.ts';

/** A started Kinwatch. */
export interface RunningKinwatch {
  /** The HTTP port bound (the one chosen by the system when 0 was configured). */
  readonly httpPort: number;
  /** The watch gateway's TCP port bound. */
  readonly gatewayPort: number;
  /** Stops accepting, finishes pending work, closes connections and the database. */
  stop(): Promise<void>;
}

/**
 * Starts Kinwatch as configured: data directory, master key, database (migrated), bus, HTTP
 * server. Throws ConfigError for a setting that cannot be used yet (a NATS bus URL), and the
 * adapter's error when the master key, the database or a port is unusable; whatever was
 * opened before the failure is closed again.
 */
export async function startKinwatch(
  config: KinwatchConfig,
  logger: Logger,
): Promise<RunningKinwatch> {
  if (config.busUrl !== 'memory:') {
    throw new ConfigError([
      `KINWATCH_BUS_URL=${JSON.stringify(config.busUrl)}: the NATS bus is not available yet; use memory:`,
    ]);
  }
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const masterKey = await loadMasterKey({ dataDir: config.dataDir, envValue: config.masterKey });
  if (masterKey.isNew) {
    logger.warn({ path: masterKey.origin }, 'created a new master key: back it up now');
  }
  const database = await openDatabase(config.databaseUrl, {
    writerThread: config.sqliteWriterThread === 'true',
    postgresWriterThread: config.postgresWriterThread === 'true',
  });
  try {
    const applied = await migrateToLatest(database);
    logger.info({ migrations: applied }, 'database schema up to date');
    return await startServices(config, logger, database, masterKey);
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** The gateway's limits from the configuration; the rest keep their defaults. */
function gatewayOptions(config: KinwatchConfig): GatewayOptions {
  return {
    ...DEFAULT_GATEWAY_OPTIONS,
    maxConnections: config.gatewayMaxConnections,
    maxConnectionsPerAddress: config.gatewayMaxConnectionsPerIp,
    maxFrameBytes: config.gatewayMaxFrameBytes,
    maxFramesPerSecond: config.gatewayMaxFramesPerSecond,
    idleTimeoutSeconds: config.gatewayIdleTimeoutSeconds,
    headerTimeoutSeconds: config.gatewayHeaderTimeoutSeconds,
    unknownSightingIntervalSeconds: config.unknownSightingIntervalSeconds,
  };
}

async function startServices(
  config: KinwatchConfig,
  logger: Logger,
  database: SqlDatabase,
  masterKey: MasterKey,
): Promise<RunningKinwatch> {
  const push = await createPushSender(config, logger);
  const email = createEmailSender(config);
  const metrics = new PrometheusMetrics();
  const stopProcessMetrics = registerProcessMetrics(metrics);
  const bus = new MemoryBus(logger.child({ component: 'bus' }));
  // Read through the API's zone service once it exists (below); asked for every position.
  let listZoneOnly: () => Promise<readonly string[]> = () => Promise.resolve([]);
  const zoneOnly = new ZoneOnlyWatches(() => listZoneOnly());
  const watchGateway = assembleGateway({
    database,
    masterKey,
    bus,
    clock: systemClock,
    logger,
    metrics,
    options: gatewayOptions(config),
    positionBatchWindowMs: config.positionBatchWindowMs,
    positionBatchMaxRows: config.positionBatchMaxRows,
    commandTtlSeconds: config.commandTtlSeconds,
    isZoneOnly: (watchId) => zoneOnly.has(watchId),
  });
  let isGatewayListening = false;
  const http = createHttpServer({
    logger: logger.child({ component: 'http' }),
    metrics,
    readinessChecks: {
      database: async () => {
        await sql`select 1`.execute(database.db);
        return true;
      },
      gateway: () => isGatewayListening,
    },
  });
  let gatewayPort: number | undefined;
  const api = assembleApi({
    database,
    masterKey,
    commands: watchGateway.commands,
    watches: watchGateway.watches,
    sms: createSmsSender(config),
    smsLimits: smsLimits(config),
    clock: systemClock,
    logger: logger.child({ component: 'api' }),
    bus,
    notifications: { push, email, metrics },
    locationStaleAfterSeconds: config.locationStaleMinutes * 60,
    alertOptions: {
      offlineAfterMinutes: config.alertOfflineMinutes,
      sosRepeatSeconds: config.alertSosRepeatSeconds,
    },
    demo: {
      lifetimeMinutes: config.demoMinutes,
      gatewayPort: () => gatewayPort,
      logger: logger.child({ component: 'demo' }),
    },
  });
  listZoneOnly = () => api.services.zones.zoneOnlyWatches();
  try {
    await zoneOnly.start();
    await registerApi(http, api.services, {
      isCookieSecure: config.cookieSecure === 'true',
      mapTileUrl: config.mapTileUrl,
      mapTileAttribution: config.mapTileAttribution,
    });
    await registerWebApp(http, {
      logger: logger.child({ component: 'web' }),
      mapTileUrl: config.mapTileUrl,
    });
    const gateway = await watchGateway.listen(config.gatewayPort, config.gatewayHost);
    gatewayPort = gateway.port;
    api.demo?.startSweeping();
    api.housekeeping.start();
    api.positionBlocks.start();
    api.alertPipeline.start();
    api.zoneAlerts.start();
    api.notificationDispatch.start();
    isGatewayListening = true;
    logger.info({ gatewayPort: gateway.port }, 'watch gateway listening');
    const httpPort = await listenHttpServer(
      http,
      { host: config.httpHost, port: config.httpPort },
      logger,
    );
    const heapSettler = startHeapSettler(config, logger, metrics);
    logger.info({ httpPort, gatewayPort: gateway.port }, 'Kinwatch started');
    return {
      httpPort,
      gatewayPort: gateway.port,
      stop: async () => {
        // Stop taking work first, then let what was accepted finish and reach the database.
        isGatewayListening = false;
        heapSettler?.stop();
        api.demo?.stop();
        api.housekeeping.stop();
        await api.positionBlocks.stop();
        api.alertPipeline.stop();
        api.zoneAlerts.stop();
        zoneOnly.stop();
        await api.notificationDispatch.stop();
        email?.close();
        await http.close();
        await watchGateway.close();
        await bus.close();
        await database.close();
        stopProcessMetrics();
      },
    };
  } catch (error) {
    zoneOnly.stop();
    api.demo?.stop();
    await api.notificationDispatch.stop();
    email?.close();
    stopProcessMetrics();
    await http.close();
    await watchGateway.close();
    throw error;
  }
}

/** The heap settler, unless turned off or this V8 cannot collect on request (logged). */
function startHeapSettler(
  config: KinwatchConfig,
  logger: Logger,
  metrics: PrometheusMetrics,
): HeapSettler | undefined {
  if (config.heapSettle !== 'true') return undefined;
  const collect = v8CollectGarbage();
  if (collect === undefined) {
    logger.warn({}, 'the heap settler is off: this runtime does not collect garbage on request');
    return undefined;
  }
  const settler = new HeapSettler(
    collect,
    processHeapReadings(),
    logger.child({ component: 'heap' }),
    metrics,
  );
  settler.start();
  return settler;
}
