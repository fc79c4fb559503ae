import type { AccountId } from '../accounts/account.model.ts';
import { ALERT_KINDS, type AlertKind } from '../alerts/alert.model.ts';
import type { AlertChangeEvent } from '../events/watch-event.model.ts';
import type { GuardianRepository } from '../families/family.ports.ts';
import type { Logger } from '../observability/logger.ports.ts';
import type { Counter, Metrics } from '../observability/metrics.ports.ts';
import {
  ALWAYS_NOTIFIED_KINDS,
  channelsFor,
  withChoices,
  type NotificationChannel,
  type PushSubscriptionRecord,
} from './notification.model.ts';
import type {
  EmailSender,
  NotificationRepository,
  PushMessage,
  PushSender,
} from './notification.ports.ts';

export interface NotificationDependencies {
  readonly notifications: NotificationRepository;
  readonly guardians: Pick<GuardianRepository, 'guardianIdsOf' | 'watchOf'>;
  /** Undefined when the server sends no Web Push. */
  readonly push: PushSender | undefined;
  /** Undefined when no mail server is configured. */
  readonly email: EmailSender | undefined;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/** How an alert kind is named in a notification. */
export const ALERT_TITLES: Readonly<Record<AlertKind, string>> = {
  sos: 'SOS',
  removed: 'Watch taken off',
  lowBattery: 'Low battery',
  fall: 'Fall detected',
  heartRateAbnormal: 'Abnormal heart rate',
  offline: 'Watch offline',
  zoneEnter: 'Arrived in a zone',
  zoneLeave: 'Left a zone',
  expectationMissed: 'Not arrived where expected',
};

const HOUR_SECONDS = 3600;

/** What every guardian of the watch is told about one alert change. */
interface Notice {
  readonly event: AlertChangeEvent;
  readonly kind: AlertKind;
  readonly childName: string | null;
}

/**
 * Sends alerts to guardians beyond the live stream: Web Push to each subscribed browser and
 * e-mail, per each guardian's preferences; SOS by every channel a guardian has set up. A raised
 * alert goes out once; a repeated SOS goes out again by push (the e-mail went with the first).
 * Messages carry the alert kind, the child's name and ids, never a location: they pass through
 * a push service or mail servers. Every failure is logged and counted and stops nothing else.
 */
export class NotificationService {
  readonly #deps: NotificationDependencies;
  readonly #sent: Counter;

  constructor(deps: NotificationDependencies) {
    this.#deps = deps;
    this.#sent = deps.metrics.counter(
      'kinwatch_notifications_total',
      'Alert notifications by channel (push, email; lookup when the settings could not be read) and outcome (sent, failed, gone).',
    );
  }

  /** Notifies the watch's guardians of a raised alert or a repeated SOS; ignores the rest. */
  async notify(event: AlertChangeEvent): Promise<void> {
    const kind = ALERT_KINDS.find((known) => known === event.alert.kind);
    if (kind === undefined || event.change === 'acknowledged') return;
    if (event.change === 'repeated' && !ALWAYS_NOTIFIED_KINDS.includes(kind)) return;
    const { guardians } = this.#deps;
    const accountIds = await guardians.guardianIdsOf(event.watchId);
    const first = accountIds[0];
    if (first === undefined) return;
    const watch = await guardians.watchOf(first, event.watchId);
    const notice: Notice = { event, kind, childName: watch?.child?.name ?? null };
    await Promise.all(accountIds.map((accountId) => this.#notifyGuardian(accountId, notice)));
  }

  async #notifyGuardian(accountId: AccountId, notice: Notice): Promise<void> {
    const { notifications, push, email } = this.#deps;
    let channels: NotificationChannel[];
    let subscriptions: PushSubscriptionRecord[] = [];
    let address: string | null = null;
    try {
      const stored = await notifications.findSettings(accountId);
      if (push !== undefined) subscriptions = await notifications.pushSubscriptionsOf(accountId);
      if (email !== undefined) address = stored?.email ?? null;
      channels = channelsFor(notice.kind, withChoices(stored?.choices ?? {}), {
        push: subscriptions.length > 0,
        email: address !== null,
      });
    } catch (error) {
      this.#deps.logger.error(
        { err: error, alertId: notice.event.alert.id },
        'notification lookup failed',
      );
      this.#sent.inc({ channel: 'lookup', outcome: 'failed' });
      return;
    }
    const sends: Promise<void>[] = [];
    if (channels.includes('push')) {
      const message = pushMessage(notice);
      for (const subscription of subscriptions) sends.push(this.#push(subscription, message));
    }
    if (channels.includes('email') && address !== null && notice.event.change === 'raised') {
      sends.push(this.#email(address, notice));
    }
    await Promise.all(sends);
  }

  async #push(subscription: PushSubscriptionRecord, message: PushMessage): Promise<void> {
    const { push, notifications, logger } = this.#deps;
    if (push === undefined) return;
    try {
      const outcome = await push.send(subscription, message);
      if (outcome === 'gone') {
        await notifications.removePushEndpoint(subscription.endpoint);
        this.#sent.inc({ channel: 'push', outcome: 'gone' });
        return;
      }
      this.#sent.inc({ channel: 'push', outcome: 'sent' });
    } catch (error) {
      this.#sent.inc({ channel: 'push', outcome: 'failed' });
      logger.warn({ err: error, topic: message.topic }, 'push notification failed');
    }
  }

  async #email(to: string, notice: Notice): Promise<void> {
    const { email, logger } = this.#deps;
    if (email === undefined) return;
    try {
      await email.send({ to, ...emailText(notice) });
      this.#sent.inc({ channel: 'email', outcome: 'sent' });
    } catch (error) {
      this.#sent.inc({ channel: 'email', outcome: 'failed' });
      logger.warn({ err: error, alertId: notice.event.alert.id }, 'e-mail notification failed');
    }
  }
}

/** The push message: kind, child's name and ids only, so the app fetches the rest signed in. */
export function pushMessage({ event, kind, childName }: Notice): PushMessage {
  const isSos = ALWAYS_NOTIFIED_KINDS.includes(kind);
  return {
    payload: {
      type: 'alert',
      change: event.change,
      alertId: event.alert.id,
      watchId: event.watchId,
      kind,
      title: ALERT_TITLES[kind],
      childName,
      raisedAt: event.alert.raisedAt,
    },
    // An SOS matters while it repeats (an hour); other alerts for a few hours.
    ttlSeconds: isSos ? HOUR_SECONDS : 6 * HOUR_SECONDS,
    urgency: isSos ? 'high' : 'normal',
    topic: `alert${String(event.alert.id)}`,
  };
}

function emailText({ event, kind, childName }: Notice): { subject: string; text: string } {
  const whose = childName === null ? "Your child's watch" : `${childName}'s watch`;
  const title = ALERT_TITLES[kind];
  const at = event.alert.raisedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  return {
    subject: `${title}: ${whose}`,
    text: [
      `${whose}: ${title}.`,
      `Raised at ${at}.`,
      '',
      'Open Kinwatch to see where and to acknowledge it.',
      'This e-mail carries no location: mail passes through servers Kinwatch does not control.',
      '',
    ].join('\n'),
  };
}
