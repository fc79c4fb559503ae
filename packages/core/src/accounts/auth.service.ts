import { DomainError } from '../errors/domain-error.ts';
import type { Clock } from '../observability/clock.ports.ts';
import { SmsDeliveryError, type RateCounterStore, type SmsSender } from '../sms/sms.ports.ts';
import type { Account, CodePurpose } from './account.model.ts';
import type { AccountRepository, PasswordHasher, SecretSource } from './account.ports.ts';
import type { OneTimeCodes } from './one-time-code.service.ts';
import type { ClientInfo, SessionService } from './session.service.ts';

/** A number to send a code to, as the API parsed it. */
export interface PhoneRequest {
  /** E.164. */
  readonly phone: string;
  /** ISO 3166 alpha-2 region of the number, when known. */
  readonly region: string | undefined;
  readonly clientAddress: string;
}

/** The SMS limits (per number, address, prefix, country, daily budget); see SmsGuard. */
export interface SmsAdmission {
  admit(request: {
    readonly to: string;
    readonly region: string | undefined;
    readonly clientAddress: string;
  }): Promise<void>;
}

export interface AuthDependencies {
  readonly accounts: AccountRepository;
  readonly sessions: SessionService;
  readonly codes: OneTimeCodes;
  readonly sms: SmsSender;
  readonly smsAdmission: SmsAdmission;
  readonly passwords: PasswordHasher;
  readonly secrets: SecretSource;
  readonly counters: RateCounterStore;
  readonly clock: Clock;
}

export interface LoginResult {
  readonly account: Account;
  /** The new session's cookie token. */
  readonly token: string;
  readonly isNewAccount: boolean;
}

/** Password tries per number per window, whatever the outcome. */
const PASSWORD_TRIES = 10;
const PASSWORD_WINDOW_SECONDS = 900;

const CODE_TEXT: Readonly<Record<CodePurpose, string>> = {
  login: 'Your Kinwatch login code is {code}. It expires in 10 minutes. Never share it.',
  reauth: 'Your Kinwatch confirmation code is {code}. It expires in 10 minutes.',
  changePhoneOld:
    'Kinwatch: {code} confirms moving your account to a new number. Ignore this if it was not you.',
  changePhoneNew: 'Kinwatch: {code} confirms this number for your account.',
};

export function invalidCodeError(): DomainError {
  return new DomainError(
    'unauthenticated',
    'invalidCode',
    'The code is wrong, used or expired. Request a new code.',
  );
}

/**
 * Logging in and registering. Registration is the first login with an SMS code: the account
 * is made when the code is right. Every answer is the same whether or not the number has an
 * account, so the API cannot be used to find out who uses Kinwatch.
 */
export class AuthService {
  readonly #deps: AuthDependencies;

  constructor(deps: AuthDependencies) {
    this.#deps = deps;
  }

  /** Sends a code for `purpose` to the number, within the SMS limits. */
  async sendCode(request: PhoneRequest, purpose: CodePurpose): Promise<void> {
    const { smsAdmission, codes, sms } = this.#deps;
    try {
      await smsAdmission.admit({
        to: request.phone,
        region: request.region,
        clientAddress: request.clientAddress,
      });
    } catch (error) {
      throw smsRefusal(error);
    }
    const code = await codes.issue(request.phone, purpose);
    try {
      await sms.send({ to: request.phone, text: CODE_TEXT[purpose].replace('{code}', code) });
    } catch (error) {
      if (error instanceof SmsDeliveryError) {
        throw new DomainError(
          'unavailable',
          'smsUnavailable',
          'The SMS could not be sent. Try again later.',
        );
      }
      throw error;
    }
  }

  /** Logs in with a code sent by `sendCode(…, 'login')`, making the account on first login. */
  async loginWithCode(phone: string, code: string, client: ClientInfo): Promise<LoginResult> {
    const { accounts, codes, secrets, sessions, clock } = this.#deps;
    if (!(await codes.verify(phone, 'login', code))) throw invalidCodeError();
    let account = await accounts.findByPhone(phone);
    const isNewAccount = account === undefined;
    account ??= await accounts.create({ id: secrets.id(), phone, createdAt: clock.now() });
    return { account, token: await sessions.start(account.id, client), isNewAccount };
  }

  /**
   * Logs in with a password. A wrong password, an unknown number and an account without a
   * password get the same answer after the same work (a hash is verified in every case).
   */
  async loginWithPassword(
    phone: string,
    password: string,
    client: ClientInfo,
  ): Promise<LoginResult> {
    const { accounts, passwords, sessions } = this.#deps;
    await this.#countPasswordTry(phone);
    const account = await accounts.findByPhone(phone);
    const hash = account === undefined ? null : await accounts.passwordHashOf(account.id);
    const isRight = await passwords.verify(hash ?? (await this.#decoyHash()), password);
    if (account === undefined || hash === null || !isRight) {
      throw new DomainError(
        'unauthenticated',
        'invalidCredentials',
        'The number or the password is wrong.',
      );
    }
    return { account, token: await sessions.start(account.id, client), isNewAccount: false };
  }

  /** Confirms it is still the guardian (password or a `reauth` code) for sensitive actions. */
  async reauthenticate(
    account: Account,
    tokenHash: string,
    proof: { readonly password: string } | { readonly code: string },
  ): Promise<void> {
    const { accounts, passwords, codes, sessions } = this.#deps;
    if ('password' in proof) {
      await this.#countPasswordTry(account.phone);
      const hash = await accounts.passwordHashOf(account.id);
      if (hash === null || !(await passwords.verify(hash, proof.password))) {
        throw new DomainError('unauthenticated', 'invalidCredentials', 'The password is wrong.');
      }
    } else if (!(await codes.verify(account.phone, 'reauth', proof.code))) {
      throw invalidCodeError();
    }
    await sessions.markAuthenticated(tokenHash);
  }

  async #countPasswordTry(phone: string): Promise<void> {
    const { counters, clock } = this.#deps;
    const tries = await counters.hit(`password:${phone}`, PASSWORD_WINDOW_SECONDS, clock.now());
    if (tries > PASSWORD_TRIES) {
      throw new DomainError(
        'tooManyRequests',
        'tooManyAttempts',
        'Too many password attempts for this number. Wait 15 minutes or log in with an SMS code.',
        { retryAfterSeconds: PASSWORD_WINDOW_SECONDS },
      );
    }
  }

  #decoy: Promise<string> | undefined;

  /** A hash of a random password, verified when there is no real one to keep timing equal. */
  #decoyHash(): Promise<string> {
    this.#decoy ??= this.#deps.passwords.hash(this.#deps.secrets.token());
    return this.#decoy;
  }
}

/** Maps the SMS guard's refusal to the API's error; anything else is rethrown. */
function smsRefusal(error: unknown): unknown {
  const refusal = error as { code?: unknown; reason?: unknown; retryAfterSeconds?: unknown } | null;
  if (refusal?.code !== 'smsRefused') return error;
  if (refusal.reason === 'countryNotAllowed') {
    return new DomainError(
      'invalid',
      'countryNotAllowed',
      'This server does not send SMS to numbers of that country.',
    );
  }
  const retryAfterSeconds =
    typeof refusal.retryAfterSeconds === 'number' ? refusal.retryAfterSeconds : 3600;
  return new DomainError(
    'tooManyRequests',
    'tooManyCodes',
    'Too many codes were requested. Try again later.',
    {
      retryAfterSeconds,
    },
  );
}
