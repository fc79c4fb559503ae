import type { AccountId } from '../accounts/account.model.ts';
import type { SecretSource } from '../accounts/account.ports.ts';
import type { AlertKind } from '../alerts/alert.model.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { Clock } from '../observability/clock.ports.ts';
import {
  ALWAYS_NOTIFIED_KINDS,
  MAX_PUSH_SUBSCRIPTIONS_PER_ACCOUNT,
  normalizeEmail,
  pushEndpointProblem,
  pushKeysProblem,
  withChoices,
  type ChannelChoice,
  type NotificationPreferences,
} from './notification.model.ts';
import type { RateCounterStore } from '../sms/sms.ports.ts';
import type { EmailSender, NotificationRepository, PushSender } from './notification.ports.ts';

export interface NotificationSettingsDependencies {
  readonly notifications: NotificationRepository;
  /** Undefined when the server sends no Web Push. */
  readonly push: Pick<PushSender, 'applicationServerKey'> | undefined;
  /** Undefined when no mail server is configured. */
  readonly email: EmailSender | undefined;
  /** Makes and hashes the codes that confirm an address. */
  readonly secrets: SecretSource;
  /** Limits the codes an account may have sent. */
  readonly counters: RateCounterStore;
  readonly clock: Clock;
}

const CODE_TTL_SECONDS = 600;
const MAX_CODE_ATTEMPTS = 5;
const MAX_CODES_PER_DAY = 5;
const DAY_SECONDS = 86_400;

/** A guardian's notification settings as the app shows them. */
export interface NotificationSettingsView {
  /** In effect: SOS is always on every channel. */
  readonly preferences: NotificationPreferences;
  /** Confirmed: alert e-mails go there. */
  readonly email: string | null;
  /** Given but not confirmed with its code yet. */
  readonly pendingEmail: string | null;
  /** Browsers of this account subscribed to Web Push. */
  readonly pushSubscriptions: number;
  /** The channels this server offers. */
  readonly available: Readonly<Record<'push' | 'email', boolean>>;
}

export interface NewPushSubscription {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

/**
 * Each guardian's own notification settings: which alert kinds reach them by which channel,
 * their e-mail address, and their browsers' push subscriptions. SOS cannot be switched off:
 * a choice for it is ignored here and again when notifying.
 */
export class NotificationSettingsService {
  readonly #deps: NotificationSettingsDependencies;

  constructor(deps: NotificationSettingsDependencies) {
    this.#deps = deps;
  }

  async view(accountId: AccountId): Promise<NotificationSettingsView> {
    const { notifications, push, email, clock } = this.#deps;
    const stored = await notifications.findSettings(accountId);
    const pending = await notifications.findPendingEmail(accountId);
    const subscriptions = await notifications.pushSubscriptionsOf(accountId);
    const isPending = pending !== undefined && pending.expiresAt > clock.now();
    return {
      preferences: withChoices(stored?.choices ?? {}),
      email: stored?.email ?? null,
      pendingEmail: isPending ? pending.email : null,
      pushSubscriptions: subscriptions.length,
      available: { push: push !== undefined, email: email !== undefined },
    };
  }

  /** Changes the kinds given; the others keep their choice. */
  async setPreferences(
    accountId: AccountId,
    changes: Readonly<Partial<Record<AlertKind, ChannelChoice>>>,
  ): Promise<NotificationSettingsView> {
    const { notifications, clock } = this.#deps;
    const stored = await notifications.findSettings(accountId);
    const choices: Partial<Record<AlertKind, ChannelChoice>> = { ...stored?.choices };
    for (const [kind, choice] of Object.entries(changes) as [AlertKind, ChannelChoice][]) {
      if (ALWAYS_NOTIFIED_KINDS.includes(kind)) continue;
      choices[kind] = { push: choice.push, email: choice.email };
    }
    await notifications.saveChoices(accountId, choices, clock.now());
    return this.view(accountId);
  }

  /**
   * Sends a code to the address; the address takes effect when the code comes back
   * (`confirmEmail`) within 10 minutes. Throws invalid `invalidEmail` for text that is not an
   * address, unavailable `emailUnavailable` when the server sends no e-mail, tooManyRequests
   * `tooManyCodes` after 5 codes in a day (UTC), and the sender's error when the mail server
   * refuses it.
   */
  async requestEmail(accountId: AccountId, text: string): Promise<{ readonly expiresAt: Date }> {
    const { email: sender, secrets, counters, notifications, clock } = this.#deps;
    const email = normalizeEmail(text);
    if (email === undefined) {
      throw new DomainError('invalid', 'invalidEmail', 'This is not an e-mail address.');
    }
    if (sender === undefined) {
      throw new DomainError('unavailable', 'emailUnavailable', 'This server sends no e-mail.');
    }
    const now = clock.now();
    if ((await counters.hit(`email-code:${accountId}`, DAY_SECONDS, now)) > MAX_CODES_PER_DAY) {
      throw new DomainError('tooManyRequests', 'tooManyCodes', 'Too many codes today.', {
        retryAfterSeconds: DAY_SECONDS - (Math.floor(now.getTime() / 1000) % DAY_SECONDS),
      });
    }
    const code = secrets.digits(6);
    const expiresAt = new Date(now.getTime() + CODE_TTL_SECONDS * 1000);
    await notifications.savePendingEmail(
      accountId,
      { email, codeHash: secrets.hash(code), expiresAt },
      now,
    );
    await sender.send({
      to: email,
      subject: `Kinwatch code ${code}`,
      text: `${code} confirms this address for Kinwatch alert e-mails. It is valid for 10 minutes.\nIf you did not ask for it, ignore this e-mail.\n`,
    });
    return { expiresAt };
  }

  /**
   * Makes the pending address the one alert e-mails go to. Throws invalid `invalidCode` when
   * there is none, it expired, the code is wrong, or 5 wrong codes voided it.
   */
  async confirmEmail(accountId: AccountId, code: string): Promise<NotificationSettingsView> {
    const { notifications, secrets, clock } = this.#deps;
    const now = clock.now();
    const pending = await notifications.findPendingEmail(accountId);
    const isUsable =
      pending !== undefined &&
      pending.expiresAt > now &&
      pending.failedAttempts < MAX_CODE_ATTEMPTS;
    if (!isUsable || !secrets.isSameHash(secrets.hash(code), pending.codeHash)) {
      if (isUsable) await notifications.recordEmailCodeFailure(accountId);
      throw new DomainError('invalid', 'invalidCode', 'The code is wrong, used or expired.');
    }
    await notifications.saveEmail(accountId, pending.email, now);
    return this.view(accountId);
  }

  async removeEmail(accountId: AccountId): Promise<NotificationSettingsView> {
    await this.#deps.notifications.saveEmail(accountId, null, this.#deps.clock.now());
    return this.view(accountId);
  }

  /** The VAPID public key; throws unavailable `pushUnavailable` when push is off. */
  applicationServerKey(): string {
    return this.#requirePush().applicationServerKey;
  }

  #requirePush(): Pick<PushSender, 'applicationServerKey'> {
    const { push } = this.#deps;
    if (push === undefined) {
      throw new DomainError(
        'unavailable',
        'pushUnavailable',
        'This server sends no push messages.',
      );
    }
    return push;
  }

  /**
   * Stores a browser's subscription. Throws invalid `invalidPushSubscription` for an endpoint
   * that is not https (http only on loopback) or keys of the wrong size, and unavailable
   * `pushUnavailable` when push is off. An account keeps at
   * most 20 browsers: the oldest subscription makes room for a new one.
   */
  async subscribePush(
    accountId: AccountId,
    subscription: NewPushSubscription,
  ): Promise<{ readonly endpoint: string; readonly createdAt: Date }> {
    this.#requirePush();
    const problem =
      pushEndpointProblem(subscription.endpoint) ?? pushKeysProblem(subscription.keys);
    if (problem !== undefined) {
      throw new DomainError('invalid', 'invalidPushSubscription', `${problem}.`);
    }
    const { notifications, clock } = this.#deps;
    const existing = await notifications.pushSubscriptionsOf(accountId);
    const others = existing.filter((s) => s.endpoint !== subscription.endpoint);
    const surplus = others.length - (MAX_PUSH_SUBSCRIPTIONS_PER_ACCOUNT - 1);
    for (const old of others.slice(0, Math.max(0, surplus))) {
      await notifications.removePushSubscription(accountId, old.endpoint);
    }
    const createdAt = clock.now();
    await notifications.savePushSubscription({
      accountId,
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      createdAt,
    });
    return { endpoint: subscription.endpoint, createdAt };
  }

  /** Forgets the account's subscription with this endpoint, if it had one. */
  async unsubscribePush(accountId: AccountId, endpoint: string): Promise<void> {
    await this.#deps.notifications.removePushSubscription(accountId, endpoint);
  }
}
