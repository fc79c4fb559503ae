import { alarmLocation } from '../alerts/alert.model.ts';
import { alertChangeEvent } from '../alerts/alert.service.ts';
import { subjects, type Bus } from '../bus/bus.ports.ts';
import type { Logger } from '../observability/logger.ports.ts';
import type { AlarmKind } from '../positions/alarm.model.ts';
import type { AlarmService, PlacedAlarm, RaisedAlarm } from '../positions/alarm.service.ts';
import type { LocationObservation } from '../positions/location-observation.model.ts';
import type { Position } from '../positions/position.model.ts';
import type { PositionSink } from '../positions/position-sink.ports.ts';
import {
  packPosition,
  type AlarmEvent,
  type AlarmReceivedEvent,
  type PackedPosition,
  type PositionBatchEvent,
  type WatchEvent,
} from './watch-event.model.ts';

/**
 * A position sink that announces positions on the bus once they are durable: the positions
 * that become durable together (one batch commit resolves all of its positions at once) go out
 * as one `PositionBatchEvent` on `subjects.positionBatches`, rather than one message each, each
 * position packed (`packPosition`). `submit` resolves once its position is stored and announced. A failed announcement is logged and never fails the store: the position is safe,
 * only live viewers miss it (they read the latest position on reconnect).
 */
export class PublishingPositionSink implements PositionSink {
  readonly #sink: PositionSink;
  readonly #bus: Bus;
  readonly #logger: Logger;
  readonly #isZoneOnly: (watchId: string) => boolean;
  /** Positions stored since the last announcement, in the order they were stored. */
  #pending: PackedPosition[] = [];
  #announced: Promise<void> | undefined;

  /**
   * `isZoneOnly`: watches whose positions are not stored (zone-only mode); their positions
   * are announced marked `zoneOnly`, for zone evaluation only, never for display.
   */
  constructor(
    sink: PositionSink,
    bus: Bus,
    logger: Logger,
    isZoneOnly: (watchId: string) => boolean = () => false,
  ) {
    this.#sink = sink;
    this.#bus = bus;
    this.#logger = logger;
    this.#isZoneOnly = isZoneOnly;
  }

  room(): Promise<void> | undefined {
    return this.#sink.room?.();
  }

  submit(position: Position): Promise<void> {
    const isZoneOnly = this.#isZoneOnly(position.watchId);
    const packed = packPosition(position, isZoneOnly);
    if (isZoneOnly) return this.#announce(packed);
    // Not an async function: one promise a position fewer, thousands of times a second.
    return this.#sink.submit(position).then(() => this.#announce(packed));
  }

  #announce(packed: PackedPosition): Promise<void> {
    this.#pending.push(packed);
    this.#announced ??= new Promise<void>((resolve) => {
      // A batch commit resolves all of its positions in one loop, so the continuations of
      // their submits are all queued before this one runs: the message carries the batch.
      queueMicrotask(() => {
        const positions = this.#pending;
        this.#pending = [];
        this.#announced = undefined;
        void this.#publish(positions).then(resolve);
      });
    });
    return this.#announced;
  }

  async #publish(positions: PackedPosition[]): Promise<void> {
    for (let start = 0; start < positions.length; start += MAX_POSITIONS_PER_MESSAGE) {
      const chunk =
        positions.length <= MAX_POSITIONS_PER_MESSAGE
          ? positions
          : positions.slice(start, start + MAX_POSITIONS_PER_MESSAGE);
      const message: PositionBatchEvent = { type: 'positionBatch', positions: chunk };
      try {
        await this.#bus.publish(subjects.positionBatches, message);
      } catch (error) {
        this.#logger.warn({ err: error, positions: chunk.length }, 'position events not published');
      }
    }
  }
}

/**
 * Positions per bus message at most: some 60 KiB of JSON packed, well under the 1 MiB a NATS server
 * takes by default.
 */
const MAX_POSITIONS_PER_MESSAGE = 500;

/**
 * Raises alarms through the alarm service and announces them in two steps. A live alarm that
 * raises alerts is announced as soon as it is placed, before its commit (`AlarmReceivedEvent`):
 * a guardian hears of an SOS without waiting for the disk, and a slow or stalled disk never
 * holds the news back. Once the alarm and its alerts are committed, the stored alerts are
 * announced (with the ids a stream resumes from and a guardian acknowledges), then the alarm.
 * The watch is acknowledged only after that commit (`raise` resolves then), so an alarm whose
 * commit failed is sent again by the watch, and announced again.
 */
export class PublishingAlarms {
  readonly #alarms: Pick<AlarmService, 'place' | 'record'>;
  readonly #bus: Bus;
  readonly #logger: Logger;

  constructor(alarms: Pick<AlarmService, 'place' | 'record'>, bus: Bus, logger: Logger) {
    this.#alarms = alarms;
    this.#bus = bus;
    this.#logger = logger;
  }

  async raise(observation: LocationObservation, kinds: readonly AlarmKind[]): Promise<RaisedAlarm> {
    const placed = await this.#alarms.place(observation, kinds);
    const received = alarmReceivedEvent(placed);
    if (received !== undefined) await this.#publish(received.watchId, 'alarmReceived', received);
    const raised = await this.#alarms.record(placed);
    const { alarm } = raised;
    for (const alert of raised.alerts) {
      await this.#publish(alarm.watchId, 'alert', alertChangeEvent(alert));
      this.#logger.info(
        { watchId: alarm.watchId, alertId: alert.alert.id, kind: alert.alert.kind },
        'alert raised',
      );
    }
    const event: AlarmEvent = {
      type: 'alarm',
      watchId: alarm.watchId,
      alarmId: alarm.id,
      kinds: alarm.kinds,
      isLive: raised.isLive,
      alertIds: raised.alerts.map((alert) => alert.alert.id),
      recordedAt: alarm.recordedAt.toISOString(),
      location: alarmLocation(alarm),
    };
    await this.#publish(alarm.watchId, 'alarm', event);
    return raised;
  }

  /** The alarm is stored whatever the bus does: a failed announcement is logged, not thrown. */
  async #publish(
    watchId: string,
    type: 'alarmReceived' | 'alarm' | 'alert',
    event: WatchEvent,
  ): Promise<void> {
    try {
      await this.#bus.publish(subjects.watchEvent(watchId, type), event);
    } catch (error) {
      this.#logger.error({ err: error, watchId, type }, `${type} event not published`);
    }
  }
}

/** The early announcement of a placed alarm; none when it raises no alert (or is buffered). */
export function alarmReceivedEvent(placed: PlacedAlarm): AlarmReceivedEvent | undefined {
  if (!placed.isLive || placed.alerts.length === 0) return undefined;
  const { alarm } = placed;
  return {
    type: 'alarmReceived',
    watchId: alarm.watchId,
    alertKinds: placed.alerts.map((alert) => alert.kind),
    recordedAt: alarm.recordedAt.toISOString(),
    receivedAt: alarm.receivedAt.toISOString(),
    location: alarmLocation(alarm),
  };
}
