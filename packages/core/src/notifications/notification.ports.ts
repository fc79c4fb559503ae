import type { AccountId } from '../accounts/account.model.ts';
import type { AlertKind } from '../alerts/alert.model.ts';
import type { JsonObject } from '../json/json-value.ts';
import type { ChannelChoice, PushSubscriptionRecord } from './notification.model.ts';

/** What a guardian stored: the kinds they chose for (others take the default) and an e-mail. */
export interface StoredNotificationSettings {
  readonly choices: Readonly<Partial<Record<AlertKind, ChannelChoice>>>;
  readonly email: string | null;
}

/** An address the guardian gave, waiting for the code sent to it. */
export interface NewPendingEmail {
  readonly email: string;
  /** SecretSource.hash of the code. */
  readonly codeHash: string;
  readonly expiresAt: Date;
}

export interface PendingEmail extends NewPendingEmail {
  readonly failedAttempts: number;
}

/**
 * A guardian's notification settings and their browsers' push subscriptions. Both are the
 * guardian's own data, not a child's, and are stored in plain text.
 */
export interface NotificationRepository {
  /** Undefined when the guardian never changed anything. */
  findSettings(accountId: AccountId): Promise<StoredNotificationSettings | undefined>;
  /** Replaces the stored choices; the e-mail address is kept. */
  saveChoices(
    accountId: AccountId,
    choices: Readonly<Partial<Record<AlertKind, ChannelChoice>>>,
    at: Date,
  ): Promise<void>;
  /**
   * Sets or (null) removes the confirmed e-mail address and drops any pending one; the choices
   * are kept.
   */
  saveEmail(accountId: AccountId, email: string | null, at: Date): Promise<void>;
  /** Stores an address waiting for its code, replacing any other pending one. */
  savePendingEmail(accountId: AccountId, pending: NewPendingEmail, at: Date): Promise<void>;
  findPendingEmail(accountId: AccountId): Promise<PendingEmail | undefined>;
  /** Counts a wrong code for the pending address; returns the failures so far. */
  recordEmailCodeFailure(accountId: AccountId): Promise<number>;
  /**
   * Stores the subscription. One browser has one endpoint: subscribing it again replaces its
   * keys, and an endpoint another account had moves to this one (whoever subscribed last on
   * that browser gets its notifications).
   */
  savePushSubscription(subscription: PushSubscriptionRecord): Promise<void>;
  /** The account's subscriptions, oldest first. */
  pushSubscriptionsOf(accountId: AccountId): Promise<PushSubscriptionRecord[]>;
  /** Removes the account's subscription with this endpoint; false when it had none. */
  removePushSubscription(accountId: AccountId, endpoint: string): Promise<boolean>;
  /** Removes the endpoint whoever holds it (the push service said it is gone). */
  removePushEndpoint(endpoint: string): Promise<void>;
}

/** One Web Push message. */
export interface PushMessage {
  /** Small JSON, encrypted for the browser; never coordinates (it crosses a push service). */
  readonly payload: JsonObject;
  /** How long the push service keeps it for a browser that is offline. */
  readonly ttlSeconds: number;
  readonly urgency: 'normal' | 'high';
  /** An undelivered message with the same topic is replaced (up to 32 base64url characters). */
  readonly topic: string;
}

/** `gone`: the push service no longer knows the subscription (404 or 410); drop it. */
export type PushOutcome = 'delivered' | 'gone';

export interface PushSender {
  /** The VAPID public key, base64url: the applicationServerKey browsers subscribe with. */
  readonly applicationServerKey: string;
  /** Throws when the push service refuses the message for another reason or cannot be reached. */
  send(subscription: PushSubscriptionRecord, message: PushMessage): Promise<PushOutcome>;
}

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface EmailSender {
  /** Resolves once the mail server accepted the message; throws otherwise. */
  send(message: EmailMessage): Promise<void>;
}
