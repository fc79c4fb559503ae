import { DomainError } from '../errors/domain-error.ts';
import type { Clock } from '../observability/clock.ports.ts';
import type { Account } from './account.model.ts';
import {
  AccountExistsError,
  type AccountRepository,
  type ImageRepository,
  type NoticeRepository,
  type PasswordHasher,
  type SecretSource,
} from './account.ports.ts';
import { invalidCodeError, type AuthService, type PhoneRequest } from './auth.service.ts';
import type { OneTimeCodes } from './one-time-code.service.ts';
import type { ResolvedSession, SessionService } from './session.service.ts';

export interface AccountServiceDependencies {
  readonly accounts: AccountRepository;
  readonly images: ImageRepository;
  readonly notices: NoticeRepository;
  readonly passwords: PasswordHasher;
  readonly secrets: SecretSource;
  readonly codes: OneTimeCodes;
  readonly auth: AuthService;
  readonly sessions: SessionService;
  readonly clock: Clock;
}

/** An avatar already checked by its bytes and stripped of metadata. */
export interface CleanImage {
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

export function reauthenticationRequired(): DomainError {
  return new DomainError(
    'reauthenticationRequired',
    'reauthenticationRequired',
    'Confirm it is you first (POST /api/v1/auth/reauth), then try again within 10 minutes.',
  );
}

/** A guardian's own profile: nickname, avatar, password, registration number. */
export class AccountService {
  readonly #deps: AccountServiceDependencies;

  constructor(deps: AccountServiceDependencies) {
    this.#deps = deps;
  }

  async setNickname(account: Account, nickname: string | null): Promise<Account> {
    await this.#deps.accounts.update(account.id, { nickname }, this.#deps.clock.now());
    return this.#reload(account);
  }

  /**
   * Sets or replaces the password (argon2id). Replacing one, or adding one to an account
   * that logs in by code, needs a recent login or re-authentication.
   */
  async setPassword(caller: ResolvedSession, password: string): Promise<void> {
    const { accounts, passwords, sessions, clock } = this.#deps;
    if (!sessions.isRecentlyAuthenticated(caller.session)) throw reauthenticationRequired();
    const passwordHash = await passwords.hash(password);
    await accounts.update(caller.account.id, { passwordHash }, clock.now());
    // Whoever knew the old password loses the sessions it opened.
    await sessions.endAllOthers(caller.account.id, caller.tokenHash);
  }

  async setAvatar(account: Account, image: CleanImage): Promise<Account> {
    const { accounts, images, secrets, clock } = this.#deps;
    const id = secrets.id();
    await images.save({ id, mediaType: image.mediaType, bytes: image.bytes }, clock.now());
    await accounts.update(account.id, { avatarImageId: id }, clock.now());
    if (account.avatarImageId !== null) await images.remove(account.avatarImageId);
    return this.#reload(account);
  }

  async removeAvatar(account: Account): Promise<Account> {
    const { accounts, images, clock } = this.#deps;
    await accounts.update(account.id, { avatarImageId: null }, clock.now());
    if (account.avatarImageId !== null) await images.remove(account.avatarImageId);
    return this.#reload(account);
  }

  /** Sends one code to the current number and one to the new number. */
  async requestPhoneChange(account: Account, next: PhoneRequest): Promise<void> {
    const { auth } = this.#deps;
    if (next.phone === account.phone) {
      throw new DomainError('invalid', 'samePhone', 'This is already the number of your account.');
    }
    await auth.sendCode({ ...next, phone: account.phone }, 'changePhoneOld');
    await auth.sendCode(next, 'changePhoneNew');
  }

  /** Moves the account to `phone` when both codes are right; ends the other sessions. */
  async confirmPhoneChange(
    caller: ResolvedSession,
    phone: string,
    codes: { readonly currentCode: string; readonly newCode: string },
  ): Promise<Account> {
    const { accounts, notices, sessions, clock } = this.#deps;
    const { account } = caller;
    const isOldRight = await this.#deps.codes.verify(
      account.phone,
      'changePhoneOld',
      codes.currentCode,
    );
    const isNewRight = await this.#deps.codes.verify(phone, 'changePhoneNew', codes.newCode);
    if (!isOldRight || !isNewRight) throw invalidCodeError();
    try {
      await accounts.update(account.id, { phone }, clock.now());
    } catch (error) {
      if (error instanceof AccountExistsError) {
        throw new DomainError('conflict', 'phoneInUse', 'Another account uses this number.');
      }
      throw error;
    }
    await sessions.endAllOthers(account.id, caller.tokenHash);
    await notices.add(
      [account.id],
      { watchId: null, kind: 'phoneChanged', details: { phone } },
      clock.now(),
    );
    return this.#reload(account);
  }

  async #reload(account: Account): Promise<Account> {
    const fresh = await this.#deps.accounts.findById(account.id);
    if (fresh === undefined)
      throw new DomainError('unauthenticated', 'accountGone', 'The account no longer exists.');
    return fresh;
  }
}
