/**
 * Builds the watch gateway and the services behind it from a database, a master key, a bus and
 * the observability ports. Used by main.ts and by the tests that run the real gateway over TCP.
 */
import {
  AlarmService,
  CommandService,
  LocalGeoResolver,
  PositionService,
  PublishingAlarms,
  PublishingPositionSink,
  statusEvent,
  subjects,
  type Bus,
  type Clock,
  type Logger,
  type Metrics,
  type Unsubscribe,
} from '@kinwatch/core';
import type { AddressInfo } from 'node:net';
import type { MasterKey } from './adapters/crypto/master-key.ts';
import { KeyringCipher } from './adapters/crypto/keyring-cipher.ts';
import { SqlAlarmRepository } from './adapters/sql/alarm.repository.ts';
import { SqlCellTowerRepository } from './adapters/sql/cell-tower.repository.ts';
import { SqlCommandQueueRepository } from './adapters/sql/command-queue.repository.ts';
import type { SqlDatabase } from './adapters/sql/open-database.ts';
import { SqlPositionRepository } from './adapters/sql/position.repository.ts';
import { SqlWrappedKeyStore } from './adapters/sql/watch-key.repository.ts';
import { SqlWatchRepository } from './adapters/sql/watch.repository.ts';
import { SqlWifiRepository } from './adapters/sql/wifi.repository.ts';
import { CommandDelivery } from './gateway/command-delivery.ts';
import { WatchGateway } from './gateway/gateway.ts';
import type { GatewayOptions } from './gateway/gateway-options.ts';
import { IdentityHandler } from './gateway/handlers/identity.handler.ts';
import { KnownWatches } from './gateway/known-watches.ts';
import { StatusBuffer } from './gateway/status-buffer.ts';
import { WatchFrameDispatcher } from './gateway/watch-frame.dispatcher.ts';
import { PositionBatchWriter } from './ingest/position-batch-writer.ts';
import { WifiLearningBuffer } from './ingest/wifi-learning-buffer.ts';

export interface GatewayAssemblyInput {
  readonly database: SqlDatabase;
  readonly masterKey: MasterKey;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly options: GatewayOptions;
  readonly positionBatchWindowMs: number;
  readonly positionBatchMaxRows: number;
  /** How long a command waits for an offline watch before it expires. */
  readonly commandTtlSeconds: number;
  /** Watches in zone-only mode: their positions are not stored (see PublishingPositionSink). */
  readonly isZoneOnly?: (watchId: string) => boolean;
}

export interface AssembledGateway {
  readonly gateway: WatchGateway;
  readonly commands: CommandService;
  readonly watches: SqlWatchRepository;
  readonly positions: SqlPositionRepository;
  readonly alarms: SqlAlarmRepository;
  readonly commandQueue: SqlCommandQueueRepository;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, finishes queued frames, closes sockets, commits pending positions. */
  close(): Promise<void>;
}

export function assembleGateway(input: GatewayAssemblyInput): AssembledGateway {
  const { database, logger, metrics, clock } = input;
  const db = database.db;
  const cipher = new KeyringCipher({
    masterKey: input.masterKey,
    store: new SqlWrappedKeyStore(db),
  });
  const watches = new SqlWatchRepository(db, cipher);
  const positions = new SqlPositionRepository(db, cipher);
  const alarms = new SqlAlarmRepository(db, cipher);
  const commandQueue = new SqlCommandQueueRepository(db, cipher);
  const wifi = new SqlWifiRepository(db);
  const resolver = new LocalGeoResolver({ cells: new SqlCellTowerRepository(db), wifi });
  const writer = new PositionBatchWriter({
    repository: positions,
    logger: logger.child({ component: 'position-writer' }),
    metrics,
    windowMs: input.positionBatchWindowMs,
    maxBatchRows: input.positionBatchMaxRows,
    // Batches at once: the next ones are sealed and queued while one commits (on the writer
    // threads behind it in their queues). A single SQLite connection on this thread commits
    // one at a time anyway.
    maxConcurrentBatches: database.positionBatchesAtOnce,
  });
  const gatewayLogger = logger.child({ component: 'gateway' });
  const known = new KnownWatches(watches);
  const status = new StatusBuffer(watches, gatewayLogger);
  // At most one status event per watch per flush: what the live streams and alerts need.
  status.onWritten((written) => {
    for (const activity of written) {
      if (activity.status === undefined) continue;
      void input.bus
        .publish(
          subjects.watchEvent(activity.watchId, 'status'),
          statusEvent(activity.watchId, activity.status),
        )
        .catch((error: unknown) => {
          gatewayLogger.warn({ err: String(error) }, 'status event not published');
        });
    }
  });
  const delivery = new CommandDelivery(
    { commands: commandQueue, bus: input.bus, clock, logger: gatewayLogger, metrics },
    input.options.ackTimeoutSeconds,
    input.options.maxPendingWriteBytes,
  );
  // Access points learned from GPS fixes are written in batches, not one commit each.
  const wifiLearning = new WifiLearningBuffer(wifi, logger.child({ component: 'wifi-learning' }));
  const dispatcher = new WatchFrameDispatcher({
    watches,
    locations: new PositionService({
      resolver,
      // Stored first, then announced to the live streams and the alert pipeline.
      sink: new PublishingPositionSink(writer, input.bus, logger, input.isZoneOnly),
      wifi: wifiLearning,
      watches: status,
      logger,
      metrics,
    }),
    alarms: new PublishingAlarms(
      new AlarmService({ resolver, alarms, logger, metrics }),
      input.bus,
      logger,
    ),
    delivery,
    identity: new IdentityHandler(watches, known, clock, gatewayLogger),
    status,
    clock,
    logger: gatewayLogger,
    metrics,
    maxPendingWriteBytes: input.options.maxPendingWriteBytes,
    unknownSightingIntervalSeconds: input.options.unknownSightingIntervalSeconds,
  });
  const gateway = new WatchGateway(
    { watches, known, dispatcher, delivery, status, clock, logger: gatewayLogger, metrics },
    input.options,
  );
  let unsubscribe: Unsubscribe | undefined;
  let unsubscribeProvisioning: Unsubscribe | undefined;
  return {
    gateway,
    commands: new CommandService(commandQueue, input.bus, clock, input.commandTtlSeconds),
    watches,
    positions,
    alarms,
    commandQueue,
    listen: async (port, host) => {
      unsubscribe = gateway.subscribeToCommands(input.bus);
      unsubscribeProvisioning = gateway.subscribeToProvisioning(input.bus);
      return gateway.listen(port, host);
    },
    close: async () => {
      unsubscribe?.();
      unsubscribeProvisioning?.();
      await gateway.close();
      await writer.close();
      await wifiLearning.flush();
    },
  };
}
