import type { AccountId } from '../accounts/account.model.ts';
import { subjects, type Bus } from '../bus/bus.ports.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { AlertChangeEvent, AlertJson, StatusEvent } from '../events/watch-event.model.ts';
import type { Clock } from '../observability/clock.ports.ts';
import type { Logger } from '../observability/logger.ports.ts';
import type { WatchId } from '../watches/watch.model.ts';
import type { Alert, AlertEvent, NewAlert } from './alert.model.ts';
import type { AlertRepository } from './alert.ports.ts';

export interface AlertOptions {
  /** An unacknowledged SOS is sent again this often. */
  readonly sosRepeatSeconds: number;
  /** ...for this long after it was raised. */
  readonly sosRepeatMinutes: number;
  /** A watch silent this long raises an offline alert. */
  readonly offlineAfterMinutes: number;
  /** A battery at or below this raises a low-battery alert (once until acknowledged). */
  readonly lowBatteryPercent: number;
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = {
  sosRepeatSeconds: 30,
  sosRepeatMinutes: 60,
  offlineAfterMinutes: 30,
  lowBatteryPercent: 15,
};

export interface AlertDependencies {
  readonly alerts: AlertRepository;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Authorizes guardians: throws notFound for a watch the account does not guard. */
  readonly guardianWatch: (accountId: AccountId, watchId: WatchId) => Promise<unknown>;
  readonly options?: Partial<AlertOptions>;
}

/**
 * Alerts: raised from status and zone transitions (and stored with the alarm for the watch's own
 * alarms: `alertsOfAlarm`, `AlarmService`), each with an ordered event log, announced on the bus
 * to every guardian's live stream. An SOS is sent again until one guardian acknowledges it; the
 * acknowledgement is announced to the others. Buffered history never raises an alert.
 */
export class AlertService {
  readonly #deps: AlertDependencies;
  readonly #options: AlertOptions;

  constructor(deps: AlertDependencies) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_ALERT_OPTIONS, ...deps.options };
  }

  get options(): AlertOptions {
    return this.#options;
  }

  /** A low battery reported in the status raises one alert until it is acknowledged. */
  async fromStatus(event: StatusEvent): Promise<Alert | undefined> {
    const battery = event.batteryPercent;
    if (battery === undefined || battery === null || battery > this.#options.lowBatteryPercent) {
      return undefined;
    }
    if ((await this.#deps.alerts.findOpen(event.watchId, 'lowBattery')) !== undefined)
      return undefined;
    return this.raise({
      watchId: event.watchId,
      kind: 'lowBattery',
      raisedAt: this.#deps.clock.now(),
      recordedAt: new Date(event.at),
      location: null,
      details: { batteryPercent: battery },
    });
  }

  /** Stores an alert and announces it. */
  async raise(alert: NewAlert): Promise<Alert> {
    const event = await this.#deps.alerts.create(alert);
    await this.#announce(event);
    this.#deps.logger.info(
      { watchId: alert.watchId, alertId: event.alert.id, kind: alert.kind },
      'alert raised',
    );
    return event.alert;
  }

  async list(
    accountId: AccountId,
    watchId: WatchId,
    query: { readonly beforeId?: number; readonly limit: number },
  ): Promise<Alert[]> {
    await this.#deps.guardianWatch(accountId, watchId);
    return this.#deps.alerts.list(watchId, query);
  }

  /** The first guardian to acknowledge wins; the others are told who did. */
  async acknowledge(accountId: AccountId, watchId: WatchId, alertId: number): Promise<Alert> {
    await this.#deps.guardianWatch(accountId, watchId);
    const event = await this.#deps.alerts.acknowledge(
      watchId,
      alertId,
      accountId,
      this.#deps.clock.now(),
    );
    if (event !== undefined) {
      await this.#announce(event);
      return event.alert;
    }
    const alert = await this.#deps.alerts.find(watchId, alertId);
    if (alert === undefined) {
      throw new DomainError('notFound', 'alertNotFound', 'There is no such alert for this watch.');
    }
    return alert;
  }

  /** Sends every unacknowledged SOS of the repeat period again; returns how many. */
  async repeatOpenSos(): Promise<number> {
    const now = this.#deps.clock.now();
    const since = new Date(now.getTime() - this.#options.sosRepeatMinutes * 60_000);
    const open = await this.#deps.alerts.listOpen(['sos'], since);
    for (const alert of open)
      await this.#announce(await this.#deps.alerts.recordRepeat(alert, now));
    return open.length;
  }

  /** Raises an offline alert for each bound watch silent too long that has none open. */
  async checkOffline(): Promise<number> {
    const now = this.#deps.clock.now();
    const before = new Date(now.getTime() - this.#options.offlineAfterMinutes * 60_000);
    let raised = 0;
    for (const silent of await this.#deps.alerts.silentWatches(before)) {
      if ((await this.#deps.alerts.findOpen(silent.watchId, 'offline')) !== undefined) continue;
      const minutes = Math.floor((now.getTime() - silent.lastSeenAt.getTime()) / 60_000);
      await this.raise({
        watchId: silent.watchId,
        kind: 'offline',
        raisedAt: now,
        recordedAt: null,
        location: null,
        details: { lastSeenAt: silent.lastSeenAt.toISOString(), minutesSilent: minutes },
      });
      raised += 1;
    }
    return raised;
  }

  /** Alert events after `afterEventId` for these watches: what a resuming stream replays. */
  eventsAfter(
    watchIds: readonly WatchId[],
    afterEventId: number,
    limit: number,
  ): Promise<AlertEvent[]> {
    return this.#deps.alerts.eventsAfter(watchIds, afterEventId, limit);
  }

  /** Where a stream client starts: the newest alert event id of these watches. */
  lastEventId(watchIds: readonly WatchId[]): Promise<number> {
    return this.#deps.alerts.lastEventId(watchIds);
  }

  async #announce(event: AlertEvent): Promise<void> {
    await this.#deps.bus.publish(
      subjects.watchEvent(event.alert.watchId, 'alert'),
      alertChangeEvent(event),
    );
  }
}

export function alertJson(alert: Alert): AlertJson {
  return {
    id: alert.id,
    kind: alert.kind,
    raisedAt: alert.raisedAt.toISOString(),
    recordedAt: alert.recordedAt?.toISOString() ?? null,
    location: alert.location,
    details: alert.details,
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: alert.acknowledgedBy,
  };
}

export function alertChangeEvent(event: AlertEvent): AlertChangeEvent {
  return {
    type: 'alert',
    watchId: event.alert.watchId,
    eventId: event.eventId,
    change: event.type,
    alert: alertJson(event.alert),
  };
}
