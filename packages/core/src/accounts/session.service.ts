import type { Clock } from '../observability/clock.ports.ts';
import type { Account, AccountId, SessionRecord } from './account.model.ts';
import type { AccountRepository, SecretSource, SessionRepository } from './account.ports.ts';

/** Who is asking: kept with a session so the guardian can recognise their devices. */
export interface ClientInfo {
  readonly userAgent: string;
  readonly address: string;
}

export interface ResolvedSession {
  readonly account: Account;
  readonly session: SessionRecord;
  readonly tokenHash: string;
}

export const SESSION_TTL_SECONDS = 30 * 86_400;
/** Re-authentication stays valid this long for actions that need it (unbind, hand over...). */
export const REAUTH_WINDOW_SECONDS = 600;
/** Last seen is written at most this often per session. */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_USER_AGENT = 200;

/**
 * Server-side sessions. The cookie holds a random token; the database holds only its keyed
 * hash, so neither a database copy nor a log can be turned into a login. A session expires
 * after 30 days without use.
 */
export class SessionService {
  readonly #sessions: SessionRepository;
  readonly #accounts: AccountRepository;
  readonly #secrets: SecretSource;
  readonly #clock: Clock;

  constructor(
    sessions: SessionRepository,
    accounts: AccountRepository,
    secrets: SecretSource,
    clock: Clock,
  ) {
    this.#sessions = sessions;
    this.#accounts = accounts;
    this.#secrets = secrets;
    this.#clock = clock;
  }

  /** A new session for a guardian who just proved who they are; returns the cookie token. */
  async start(accountId: AccountId, client: ClientInfo): Promise<string> {
    const token = this.#secrets.token();
    const now = this.#clock.now();
    await this.#sessions.create({
      tokenHash: this.#secrets.hash(token),
      id: this.#secrets.id(),
      accountId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
      authenticatedAt: now,
      userAgent: client.userAgent.slice(0, MAX_USER_AGENT),
      address: client.address,
    });
    return token;
  }

  /** The account behind a cookie token, or undefined for an unknown or expired one. */
  async resolve(token: string): Promise<ResolvedSession | undefined> {
    const tokenHash = this.#secrets.hash(token);
    const now = this.#clock.now();
    const session = await this.#sessions.findActive(tokenHash, now);
    if (session === undefined) return undefined;
    const account = await this.#accounts.findById(session.accountId);
    if (account === undefined) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
      await this.#sessions.touch(tokenHash, now, expiresAt);
    }
    return { account, session, tokenHash };
  }

  /** True when the session's guardian logged in or re-authenticated within the window. */
  isRecentlyAuthenticated(session: SessionRecord): boolean {
    const age = this.#clock.now().getTime() - session.authenticatedAt.getTime();
    return age <= REAUTH_WINDOW_SECONDS * 1000;
  }

  async markAuthenticated(tokenHash: string): Promise<void> {
    await this.#sessions.markAuthenticated(tokenHash, this.#clock.now());
  }

  async end(tokenHash: string): Promise<void> {
    await this.#sessions.removeByToken(tokenHash);
  }

  /** Ends every session of the account but the caller's; returns how many ended. */
  async endAllOthers(accountId: AccountId, keepTokenHash: string): Promise<number> {
    return this.#sessions.removeAll(accountId, keepTokenHash);
  }

  async endEverywhere(accountId: AccountId): Promise<number> {
    return this.#sessions.removeAll(accountId);
  }

  list(accountId: AccountId): Promise<SessionRecord[]> {
    return this.#sessions.listForAccount(accountId, this.#clock.now());
  }

  /** Ends one of the account's sessions by its public id; false when there is none. */
  endOne(accountId: AccountId, sessionId: string): Promise<boolean> {
    return this.#sessions.remove(accountId, sessionId);
  }
}
