/**
 * Builds the guardian API's services from the database, the master key, the command service
 * and the configuration. Used by main.ts and by the API tests, which run it on real databases.
 */
import {
  AccountService,
  AuthService,
  FamilyService,
  OneTimeCodes,
  SessionService,
  SmsGuard,
  WatchClaimService,
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
import { SqlClaimRepository } from './adapters/sql/claim.repository.ts';
import { SqlGuardianRepository } from './adapters/sql/guardian.repository.ts';
import { SqlImageRepository } from './adapters/sql/image.repository.ts';
import { SqlInvitationRepository } from './adapters/sql/invitation.repository.ts';
import { SqlNoticeRepository } from './adapters/sql/notice.repository.ts';
import { SqlOneTimeCodeRepository } from './adapters/sql/one-time-code.repository.ts';
import type { SqlDatabase } from './adapters/sql/open-database.ts';
import { SqlRateCounterStore } from './adapters/sql/rate-counter.repository.ts';
import { SqlSessionRepository } from './adapters/sql/session.repository.ts';
import { SqlWrappedKeyStore } from './adapters/sql/watch-key.repository.ts';
import { SqlDemoRepository } from './adapters/sql/demo.repository.ts';
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
  readonly clock: Clock;
  /** "Try the demo"; absent or a lifetime of 0 minutes switches it off. */
  readonly demo?: {
    readonly lifetimeMinutes: number;
    readonly gatewayPort: () => number | undefined;
    readonly logger: Logger;
    readonly reportIntervalSeconds?: number;
  };
}

export interface AssembledApi {
  readonly services: ApiServices;
  /** Running demos and their sweep; undefined when the demo is off. */
  readonly demo: DemoFamilies | undefined;
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
  const counters = new SqlRateCounterStore(db);
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
    secrets,
    counters,
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
  });
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
  const services = {
    auth,
    sessions,
    accounts,
    accountRepository,
    images,
    notices,
    claims,
    family,
    clock,
    demo,
  };
  return { services, demo };
}
