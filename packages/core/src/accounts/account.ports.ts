import type {
  Account,
  AccountId,
  CodePurpose,
  Notice,
  NoticeKind,
  SessionRecord,
  StoredImage,
} from './account.model.ts';

export interface NewAccount {
  readonly id: AccountId;
  readonly phone: string;
  readonly nickname?: string | null;
  readonly isDemo?: boolean;
  readonly expiresAt?: Date | null;
  readonly createdAt: Date;
}

export interface AccountChanges {
  readonly nickname?: string | null;
  readonly passwordHash?: string | null;
  readonly avatarImageId?: string | null;
  readonly phone?: string;
}

export interface AccountRepository {
  /** Throws AccountExistsError when the phone number already has an account. */
  create(account: NewAccount): Promise<Account>;
  findById(id: AccountId): Promise<Account | undefined>;
  findByPhone(phone: string): Promise<Account | undefined>;
  /** The argon2id hash, or null when the account has no password or does not exist. */
  passwordHashOf(id: AccountId): Promise<string | null>;
  /** Throws AccountExistsError when a new phone number belongs to another account. */
  update(id: AccountId, changes: AccountChanges, at: Date): Promise<void>;
  /** Deletes the account with its sessions, guardianships and notices. */
  remove(id: AccountId): Promise<boolean>;
  /** Demo accounts whose time is up. */
  listExpiredDemos(at: Date): Promise<AccountId[]>;
}

export class AccountExistsError extends Error {
  readonly code = 'accountExists';
}

export interface NewSession extends Omit<SessionRecord, 'lastSeenAt'> {
  readonly tokenHash: string;
}

export interface SessionRepository {
  create(session: NewSession): Promise<void>;
  /** The session of this token hash, unless it has expired at `at`. */
  findActive(tokenHash: string, at: Date): Promise<SessionRecord | undefined>;
  /** Moves last seen and the sliding expiry. */
  touch(tokenHash: string, at: Date, expiresAt: Date): Promise<void>;
  markAuthenticated(tokenHash: string, at: Date): Promise<void>;
  listForAccount(accountId: AccountId, at: Date): Promise<SessionRecord[]>;
  /** Ends one session by its public id; false when it is not the account's. */
  remove(accountId: AccountId, sessionId: string): Promise<boolean>;
  removeByToken(tokenHash: string): Promise<void>;
  /** Ends every session of the account except the one given; returns how many ended. */
  removeAll(accountId: AccountId, exceptTokenHash?: string): Promise<number>;
}

export interface ActiveCode {
  readonly id: number;
  readonly codeHash: string;
  readonly failedAttempts: number;
}

export interface OneTimeCodeRepository {
  /** Stores a new code and voids every earlier unused code of the same phone and purpose. */
  issue(code: {
    readonly phone: string;
    readonly purpose: CodePurpose;
    readonly codeHash: string;
    readonly createdAt: Date;
    readonly expiresAt: Date;
  }): Promise<void>;
  /** The newest unused, unexpired code of this phone and purpose. */
  findActive(phone: string, purpose: CodePurpose, at: Date): Promise<ActiveCode | undefined>;
  /** Counts a wrong try and returns the new count. */
  recordFailure(id: number): Promise<number>;
  /** Uses the code up; false when it was already used (a replay or a race). */
  consume(id: number, at: Date): Promise<boolean>;
}

export interface ImageRepository {
  save(image: StoredImage, at: Date): Promise<void>;
  find(id: string): Promise<StoredImage | undefined>;
  remove(id: string): Promise<void>;
}

export interface NoticeRepository {
  add(
    accountIds: readonly AccountId[],
    notice: {
      readonly watchId: string | null;
      readonly kind: NoticeKind;
      readonly details: Readonly<Record<string, string | null>>;
    },
    at: Date,
  ): Promise<void>;
  /** Newest first. */
  list(accountId: AccountId, limit: number): Promise<Notice[]>;
  markRead(accountId: AccountId, upToId: number, at: Date): Promise<void>;
}

/** Randomness and keyed hashing, from the platform. */
export interface SecretSource {
  /** `length` decimal digits from a CSPRNG, uniformly distributed. */
  digits(length: number): string;
  /** 32 random bytes, base64url: session tokens, invitation links. */
  token(): string;
  /** 16 random bytes, base64url: ids that appear in URLs. */
  id(): string;
  /**
   * A keyed hash (HMAC with a server secret) of a code or token, as stored: a copy of the
   * database does not let anyone try codes offline or use tokens.
   */
  hash(secret: string): string;
  /** Compares two hashes in constant time. */
  isSameHash(a: string, b: string): boolean;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}
