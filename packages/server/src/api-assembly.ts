/**
 * Builds the guardian API's services from the database, the master key, the command service
 * and the configuration. Used by main.ts and by the API tests, which run it on real databases.
 */
import {
  AccountService,
  ActivityLog,
  AlertService,
  AuthService,
  FamilyService,
  LocationQueryService,
  OneTimeCodes,
  SessionService,
  SmsGuard,
  HashedRateCounters,
  WatchClaimService,
  ZoneService,
  NotificationService,
  NotificationSettingsService,
  type EmailSender,
  type Metrics,
  type PushSender,
  type AlertOptions,
  type Bus,
  type Clock,
  type Logger,
  type CommandService,
  type SmsLimits,
  type SmsSender,
  type WatchRepository,
} from '@kinwatch/core';
import { Argon2PasswordHasher } from './adapters/crypto/argon2-password-hasher.ts';
import { KeyringCipher } from './adapters/crypto/keyring-cipher.ts';
import type { MasterKey } from './adapters/crypto/master-key.ts';
import { NodeSecretSource } from './adapters/crypto/secret-source.ts';
import { SqlAccountRepository } from './adapters/sql/account.repository.ts';
import { SqlActivityRepository } from './adapters/sql/activity.repository.ts';
import { SqlZoneRepository } from './adapters/sql/zone.repository.ts';
import { SqlClaimRepository } from './adapters/sql/claim.repository.ts';
import { SqlGuardianRepository } from './adapters/sql/guardian.repository.ts';
import { SqlImageRepository } from './adapters/sql/image.repository.ts';
import { SqlInvitationRepository } from './adapters/sql/invitation.repository.ts';
import { SqlNoticeRepository } from './adapters/sql/notice.repository.ts';
import { SqlOneTimeCodeRepository } from './adapters/sql/one-time-code.repository.ts';
import type { SqlDatabase } from './adapters/sql/open-database.ts';
import { SqlPositionBlocks } from './adapters/sql/position-blocks.ts';
import { SqlPositionRepository } from './adapters/sql/position.repository.ts';
import { SqlRateCounterStore } from './adapters/sql/rate-counter.repository.ts';
import { SqlSessionRepository } from './adapters/sql/session.repository.ts';
import { SqlWrappedKeyStore } from './adapters/sql/watch-key.repository.ts';
import { SqlAlertRepository } from './adapters/sql/alert.repository.ts';
import { SqlDemoRepository } from './adapters/sql/demo.repository.ts';
import { SqlExpiredRows } from './adapters/sql/expired-rows.repository.ts';
import { AlertPipeline } from './jobs/alert-pipeline.job.ts';
import { ZoneAlerts } from './jobs/zone-alerts.job.ts';
import { NotificationDispatch } from './jobs/notification-dispatch.job.ts';
import { SqlNotificationRepository } from './adapters/sql/notification.repository.ts';
import { PrometheusMetrics } from './observability/prometheus-metrics.ts';
import { Housekeeping } from './jobs/housekeeping.job.ts';
import { PositionBlockBuilder } from './jobs/position-blocks.job.ts';
import type { ApiServices } from './api/api-services.ts';
import { DemoFamilies } from './demo/demo-families.ts';

export interface ApiAssemblyInput {
  readonly database: SqlDatabase;
  readonly masterKey: MasterKey;
  /** The gateway's: a binding code goes to the watch as a command. */
  readonly commands: CommandService;
  /** The gateway's, so that what binding provisions or unbinding removes is seen at once. */
  readonly watches: WatchRepository;
  readonly sms: SmsSender;
  readonly smsLimits: SmsLimits;
  /** A latest position older than this is shown as stale; 15 minutes when absent. */
  readonly locationStaleAfterSeconds?: number;
  /** Offline threshold, SOS repeat period...; the defaults of AlertService otherwise. */
  readonly alertOptions?: Partial<AlertOptions>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Watch events: alerts are announced on it, the live stream reads it. */
  readonly bus: Bus;
  /** "Try the demo"; absent or a lifetime of 0 minutes switches it off. */
  /** Alert channels beyond the live stream; an absent channel is off. */
  readonly notifications?: {
    readonly push?: PushSender | undefined;
    readonly email?: EmailSender | undefined;
    /** Where the notification counters go. */
    readonly metrics: Metrics;
  };
  readonly demo?: {
    readonly lifetimeMinutes: number;
    readonly gatewayPort: () => number | undefined;
    readonly logger: Logger;
    readonly reportIntervalSeconds?: number;
  };
}

export interface AssembledApi {
  readonly services: ApiServices;
  /** The hourly clean-up of expired sessions, codes, claims and rate-limit windows. */
  readonly housekeeping: Housekeeping;
  /** Seals each watch's positions again in a block per hour, for fast history reads. */
  readonly positionBlocks: PositionBlockBuilder;
  /** Running demos and their sweep; undefined when the demo is off. */
  readonly demo: DemoFamilies | undefined;
  /** Alarms, status and positions to alerts; SOS repeats; offline checks. */
  readonly alertPipeline: AlertPipeline;
  /** Zone transitions and missed expectations to alerts. */
  readonly zoneAlerts: ZoneAlerts;
  /** Alerts to guardians by Web Push and e-mail. */
  readonly notificationDispatch: NotificationDispatch;
}

export function assembleApi(input: ApiAssemblyInput): AssembledApi {
  const { database, clock, watches } = input;
  const db = database.db;
  const cipher = new KeyringCipher({
    masterKey: input.masterKey,
    store: new SqlWrappedKeyStore(db),
  });
  const secrets = new NodeSecretSource(input.masterKey.bytes);
  const accountRepository = new SqlAccountRepository(db);
  // Limits count per number and address; the table keeps only keyed hashes of those.
  const counters = new HashedRateCounters(new SqlRateCounterStore(db), secrets);
  const images = new SqlImageRepository(db);
  const notices = new SqlNoticeRepository(db);
  const guardians = new SqlGuardianRepository(db, cipher);
  const passwords = new Argon2PasswordHasher();
  const codes = new OneTimeCodes(new SqlOneTimeCodeRepository(db), secrets, clock);
  const sessions = new SessionService(
    new SqlSessionRepository(db),
    accountRepository,
    secrets,
    clock,
  );
  const auth = new AuthService({
    accounts: accountRepository,
    sessions,
    codes,
    sms: input.sms,
    smsAdmission: new SmsGuard(input.smsLimits, counters, clock),
    passwords,
    secrets,
    counters,
    clock,
  });
  const accounts = new AccountService({
    accounts: accountRepository,
    images,
    notices,
    passwords,
    secrets,
    codes,
    auth,
    sessions,
    clock,
  });
  const claims = new WatchClaimService({
    watches,
    guardians,
    claims: new SqlClaimRepository(db),
    commands: input.commands,
    bus: input.bus,
    secrets,
    counters,
    clock,
  });
  const activity = new ActivityLog({
    entries: new SqlActivityRepository(db, cipher),
    accounts: accountRepository,
    guardians,
    clock,
  });
  const family = new FamilyService({
    watches,
    guardians,
    invitations: new SqlInvitationRepository(db),
    notices,
    images,
    cipher,
    secrets,
    clock,
    activity,
    bus: input.bus,
  });
  const locations = new LocationQueryService(
    {
      positions: new SqlPositionRepository(db, cipher),
      family,
      commands: input.commands,
      activity,
      counters,
      clock,
    },
    input.locationStaleAfterSeconds === undefined
      ? {}
      : { staleAfterSeconds: input.locationStaleAfterSeconds },
  );
  const demo =
    input.demo === undefined || input.demo.lifetimeMinutes === 0
      ? undefined
      : new DemoFamilies({
          ...input.demo,
          accounts: accountRepository,
          guardians,
          watches,
          demos: new SqlDemoRepository(db),
          sessions,
          secrets,
          counters,
          clock,
        });
  const alerts = new AlertService({
    alerts: new SqlAlertRepository(db, cipher),
    bus: input.bus,
    clock,
    logger: input.logger.child({ component: 'alerts' }),
    guardianWatch: (accountId, watchId) => family.watchFor(accountId, watchId),
    ...(input.alertOptions === undefined ? {} : { options: input.alertOptions }),
  });
  const zones = new ZoneService({
    zones: new SqlZoneRepository(db, cipher),
    access: family,
    ids: secrets,
    clock,
  });
  const notificationRepository = new SqlNotificationRepository(db);
  const { push, email, metrics = new PrometheusMetrics() } = input.notifications ?? {};
  const notificationSettings = new NotificationSettingsService({
    notifications: notificationRepository,
    push,
    email,
    secrets,
    counters,
    clock,
  });
  const notificationDispatch = new NotificationDispatch(
    input.bus,
    new NotificationService({
      notifications: notificationRepository,
      guardians,
      push,
      email,
      metrics,
      logger: input.logger.child({ component: 'notifications' }),
    }),
    input.logger.child({ component: 'notifications' }),
  );
  const services = {
    notificationSettings,
    alerts,
    bus: input.bus,
    logger: input.logger,
    auth,
    sessions,
    accounts,
    accountRepository,
    images,
    notices,
    claims,
    family,
    activity,
    locations,
    zones,
    clock,
    demo,
  };
  const expiredRows = new SqlExpiredRows(db);
  const housekeeping = new Housekeeping(
    [
      { name: 'rateCounters', prune: (before) => counters.prune(before) },
      { name: 'expiredRows', prune: (before) => expiredRows.prune(before) },
    ],
    clock,
    input.logger,
  );
  const positionBlocks = new PositionBlockBuilder(
    new SqlPositionBlocks(db, cipher),
    clock,
    input.logger.child({ component: 'position-blocks' }),
  );
  const alertPipeline = new AlertPipeline(
    input.bus,
    alerts,
    input.logger.child({ component: 'alerts' }),
  );
  const zoneAlerts = new ZoneAlerts(
    zones,
    alerts,
    input.logger.child({ component: 'zones' }),
    clock,
  );
  alertPipeline.addPositionStep(zoneAlerts.onPosition);
  return {
    services,
    demo,
    housekeeping,
    positionBlocks,
    alertPipeline,
    zoneAlerts,
    notificationDispatch,
  };
}
