import type { AccountId } from '../accounts/account.model.ts';
import type { AlertKind } from '../alerts/alert.model.ts';
import type { ChannelChoice, PushSubscriptionRecord } from './notification.model.ts';
import type {
  EmailMessage,
  EmailSender,
  NewPendingEmail,
  NotificationRepository,
  PendingEmail,
  PushMessage,
  PushOutcome,
  PushSender,
  StoredNotificationSettings,
} from './notification.ports.ts';

/** A NotificationRepository in memory, for unit tests. */
export class MemoryNotificationRepository implements NotificationRepository {
  readonly settings = new Map<AccountId, StoredNotificationSettings>();
  readonly subscriptions: PushSubscriptionRecord[] = [];
  readonly pending = new Map<AccountId, PendingEmail>();
  /** When each save happened. */
  readonly savedAt: Date[] = [];

  findSettings(accountId: AccountId): Promise<StoredNotificationSettings | undefined> {
    return Promise.resolve(this.settings.get(accountId));
  }

  saveChoices(
    accountId: AccountId,
    choices: Readonly<Partial<Record<AlertKind, ChannelChoice>>>,
    at: Date,
  ): Promise<void> {
    this.savedAt.push(at);
    const email = this.settings.get(accountId)?.email ?? null;
    this.settings.set(accountId, { choices: { ...choices }, email });
    return Promise.resolve();
  }

  saveEmail(accountId: AccountId, email: string | null, at: Date): Promise<void> {
    this.savedAt.push(at);
    this.pending.delete(accountId);
    const choices = this.settings.get(accountId)?.choices ?? {};
    this.settings.set(accountId, { choices, email });
    return Promise.resolve();
  }

  savePendingEmail(accountId: AccountId, pending: NewPendingEmail, at: Date): Promise<void> {
    this.savedAt.push(at);
    this.pending.set(accountId, { ...pending, failedAttempts: 0 });
    return Promise.resolve();
  }

  findPendingEmail(accountId: AccountId): Promise<PendingEmail | undefined> {
    return Promise.resolve(this.pending.get(accountId));
  }

  recordEmailCodeFailure(accountId: AccountId): Promise<number> {
    const pending = this.pending.get(accountId);
    if (pending === undefined) return Promise.resolve(0);
    const failedAttempts = pending.failedAttempts + 1;
    this.pending.set(accountId, { ...pending, failedAttempts });
    return Promise.resolve(failedAttempts);
  }

  async savePushSubscription(subscription: PushSubscriptionRecord): Promise<void> {
    await this.removePushEndpoint(subscription.endpoint);
    this.subscriptions.push(subscription);
  }

  pushSubscriptionsOf(accountId: AccountId): Promise<PushSubscriptionRecord[]> {
    return Promise.resolve(this.subscriptions.filter((s) => s.accountId === accountId));
  }

  removePushSubscription(accountId: AccountId, endpoint: string): Promise<boolean> {
    const index = this.subscriptions.findIndex(
      (s) => s.accountId === accountId && s.endpoint === endpoint,
    );
    if (index >= 0) this.subscriptions.splice(index, 1);
    return Promise.resolve(index >= 0);
  }

  removePushEndpoint(endpoint: string): Promise<void> {
    const index = this.subscriptions.findIndex((s) => s.endpoint === endpoint);
    if (index >= 0) this.subscriptions.splice(index, 1);
    return Promise.resolve();
  }
}

/** Keeps what it was asked to push; answers per endpoint as told (`gone`, or an Error). */
export class RecordingPushSender implements PushSender {
  readonly applicationServerKey = 'BTestApplicationServerKey';
  readonly sent: { readonly endpoint: string; readonly message: PushMessage }[] = [];
  readonly answers = new Map<string, PushOutcome | Error>();

  send(subscription: PushSubscriptionRecord, message: PushMessage): Promise<PushOutcome> {
    const answer = this.answers.get(subscription.endpoint) ?? 'delivered';
    if (answer instanceof Error) return Promise.reject(answer);
    this.sent.push({ endpoint: subscription.endpoint, message });
    return Promise.resolve(answer);
  }
}

export class RecordingEmailSender implements EmailSender {
  readonly sent: EmailMessage[] = [];
  failFor = new Set<string>();

  send(message: EmailMessage): Promise<void> {
    if (this.failFor.has(message.to)) return Promise.reject(new Error('mailbox unavailable'));
    this.sent.push(message);
    return Promise.resolve();
  }
}
