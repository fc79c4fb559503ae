import { alertsOfAlarm } from '../alerts/alert.model.ts';
import type { AlertEvent, NewAlert } from '../alerts/alert.model.ts';
import type { Logger } from '../observability/logger.ports.ts';
import type { Counter, Metrics } from '../observability/metrics.ports.ts';
import type { AlarmKind, AlarmRecord, NewAlarm } from './alarm.model.ts';
import type { AlarmRepository } from './alarm.ports.ts';
import type { GeoResolver } from './geo-resolver.ports.ts';
import type { LocationObservation } from './location-observation.model.ts';
import { PositionLocator } from './position-locator.ts';
import { isValidDate } from './position.model.ts';

export interface AlarmServicePorts {
  /**
   * The watch's acknowledgement waits for the lookup, so give the alarm service a fast
   * resolver: the local one, not a chain with online services.
   */
  readonly resolver: GeoResolver;
  readonly alarms: Pick<AlarmRepository, 'record'>;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** An alarm placed and ready to store, with the alerts it raises (none for buffered history). */
export interface PlacedAlarm {
  readonly alarm: NewAlarm;
  readonly alerts: readonly NewAlert[];
  /** False for an alarm from buffered history, see `RaisedAlarm.isLive`. */
  readonly isLive: boolean;
}

/** An alarm as stored, its alerts, and whether anything may be done about it now. */
export interface RaisedAlarm {
  readonly alarm: AlarmRecord;
  /** The alerts stored with the alarm, for the caller to announce: none for buffered history. */
  readonly alerts: readonly AlertEvent[];
  /**
   * False for an alarm from buffered history: it is stored for the record, but no live alert,
   * call or notification may ever be raised from it. The stored alarm itself does not carry
   * this mark yet (see docs/positions.md), so it must travel with the event the caller publishes.
   */
  readonly isLive: boolean;
}

/**
 * Records alarms (SOS, fall, removed from the wrist...) at once, each in its own commit together
 * with the alerts a live alarm raises: the gateway acknowledges the watch's alarm only after
 * `raise` resolves, so an acknowledged alarm is never lost, nor stored without its alerts.
 */
export class AlarmService {
  readonly #alarms: Pick<AlarmRepository, 'record'>;
  readonly #logger: Logger;
  readonly #locator: PositionLocator;
  readonly #recorded: Counter;

  constructor(ports: AlarmServicePorts) {
    this.#alarms = ports.alarms;
    this.#logger = ports.logger;
    this.#locator = new PositionLocator(ports);
    this.#recorded = ports.metrics.counter('kinwatch_alarms_recorded_total', 'Alarms stored');
  }

  /**
   * Places the alarm as well as the report allows (GNSS, else cells/Wi-Fi, else nowhere; a
   * failed lookup never stops the alarm) and stores it with its alerts: `place`, then `record`.
   * Resolves once all of it is durable.
   */
  async raise(observation: LocationObservation, kinds: readonly AlarmKind[]): Promise<RaisedAlarm> {
    return this.record(await this.place(observation, kinds));
  }

  /**
   * The alarm to store and the alerts it raises (`alertsOfAlarm`, raised at the receive time;
   * none for buffered history), placed as well as the report allows, stored nowhere yet.
   * Repeated kinds count once; an unreadable device time is replaced by the receive time.
   * Rejects with RangeError when `kinds` is empty.
   */
  async place(observation: LocationObservation, kinds: readonly AlarmKind[]): Promise<PlacedAlarm> {
    const distinct = [...new Set(kinds)];
    if (distinct.length === 0) throw new RangeError('an alarm needs at least one kind');
    const location = await this.#locator.locate(observation);
    const alarm: NewAlarm = {
      watchId: observation.watchId,
      kinds: distinct,
      // An SOS from a watch with a broken clock must still be stored.
      recordedAt: isValidDate(observation.recordedAt)
        ? observation.recordedAt
        : observation.receivedAt,
      receivedAt: observation.receivedAt,
      source: location.source,
      latitude: location.latitude,
      longitude: location.longitude,
      accuracyMeters: location.accuracyMeters,
    };
    const isLive = !observation.isBuffered;
    return { alarm, alerts: isLive ? alertsOfAlarm(alarm, observation.receivedAt) : [], isLive };
  }

  /**
   * Stores a placed alarm with its alerts in one commit and resolves once they are durable.
   * Rejects with the repository's error when the commit failed (RangeError for an alarm that
   * is not valid): then the watch must not be acknowledged, so that it sends the alarm again.
   */
  async record(placed: PlacedAlarm): Promise<RaisedAlarm> {
    const { isLive } = placed;
    const { alarm, alerts } = await this.#alarms.record(placed.alarm, placed.alerts);
    for (const kind of alarm.kinds) this.#recorded.inc({ kind, live: String(isLive) });
    this.#logger.info(
      {
        watchId: alarm.watchId,
        alarmId: alarm.id,
        kinds: alarm.kinds,
        source: alarm.source,
        isLive,
        alertIds: alerts.map((event) => event.alert.id),
      },
      'alarm recorded',
    );
    return { alarm, alerts, isLive };
  }
}
