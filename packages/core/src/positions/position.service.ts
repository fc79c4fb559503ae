import { normalizeMac } from '../geo/geo.model.ts';
import type { WifiRepository } from '../geo/geo.ports.ts';
import type { Logger } from '../observability/logger.ports.ts';
import type { Counter, Labels, Metrics } from '../observability/metrics.ports.ts';
import type { WatchStatusUpdate } from '../watches/watch.model.ts';
import type { WatchRepository } from '../watches/watch.ports.ts';
import type { GeoResolver } from './geo-resolver.ports.ts';
import { JumpDetector } from './jump-detector.ts';
import type { LocationObservation } from './location-observation.model.ts';
import { ASSUMED_ACCURACY_METERS, isClockSkewed } from './plausibility.ts';
import { PositionLocator, type ReportLocation } from './position-locator.ts';
import { isValidDate, type Position, type PositionFlag } from './position.model.ts';
import type { PositionSink } from './position-sink.ports.ts';

/** A report handed to the sink (`PositionService.accept`), and when it is stored. */
export interface AcceptedPosition {
  readonly position: Position;
  /** Resolves once the position is durable; rejects when it could not be stored. */
  readonly stored: Promise<void>;
}

/** A GPS fix teaches the Wi-Fi table only when at least this accurate, metres. */
export const WIFI_LEARNING_MAX_ACCURACY_METERS = 50;
/**
 * Faster than this, km/h, the access points heard were passed at a distance, not stood next
 * to, so the fix says little about where they are.
 */
export const WIFI_LEARNING_MAX_SPEED_KMH = 10;
/** Without a stated accuracy, a fix teaches the Wi-Fi table only with this many satellites. */
export const WIFI_LEARNING_MIN_SATELLITES = 5;

export interface PositionServicePorts {
  readonly resolver: GeoResolver;
  readonly sink: PositionSink;
  readonly wifi: Pick<WifiRepository, 'learn'>;
  /**
   * Where live reports' status goes. A buffer that keeps the change in memory for a later
   * write may take it synchronously (`recordStatus`): a report then waits for nothing but its
   * own commit.
   */
  readonly watches: Pick<WatchRepository, 'updateStatus'> & {
    recordStatus?(watchId: string, update: WatchStatusUpdate): void;
  };
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Watches whose last fix is remembered for the jump check; see `JumpDetector`. */
  readonly maxTrackedWatches?: number;
}

/**
 * Turns location reports into stored positions: locate (GNSS, else cells/Wi-Fi), check
 * plausibility, store, and keep the watch's status and the Wi-Fi table up to date.
 *
 * Calls for one watch should come in the order the watch sent its reports (the gateway
 * processes a watch's frames one at a time): the jump check compares each live fix with the
 * previous accepted one, remembered in this instance only, so after a restart the first fix of
 * each watch is accepted unchecked.
 */
export class PositionService {
  readonly #sink: PositionSink;
  readonly #wifi: Pick<WifiRepository, 'learn'>;
  readonly #watches: PositionServicePorts['watches'];
  readonly #logger: Logger;
  readonly #locator: PositionLocator;
  readonly #jumps: JumpDetector;
  readonly #ingested: Counter;
  readonly #flagged: Counter;
  readonly #learned: Counter;
  readonly #sideFailures: Counter;

  constructor(ports: PositionServicePorts) {
    this.#sink = ports.sink;
    this.#wifi = ports.wifi;
    this.#watches = ports.watches;
    this.#logger = ports.logger;
    this.#locator = new PositionLocator(ports);
    this.#jumps = new JumpDetector(ports.maxTrackedWatches);
    const { metrics } = ports;
    this.#ingested = metrics.counter('kinwatch_positions_ingested_total', 'Positions stored');
    this.#flagged = metrics.counter('kinwatch_position_flags_total', 'Plausibility flags raised');
    this.#learned = metrics.counter(
      'kinwatch_wifi_observations_learned_total',
      'Access point sightings learned from GPS fixes',
    );
    this.#sideFailures = metrics.counter(
      'kinwatch_position_side_effect_failures_total',
      'Status updates or Wi-Fi learning that failed after a report (the position is unaffected)',
    );
  }

  /**
   * Stores the report as one position and resolves with it once it is durable, so the caller
   * can publish it. A report that places the watch nowhere is still stored, as source `none`
   * without coordinates (it records that the watch reported). Rejects when the sink does; a
   * failed status update or Wi-Fi learning step is logged and counted, never thrown.
   *
   * Live reports also update the watch's status (battery, signal, steps, status bits; updatedAt
   * = receive time). Buffered reports do not: their values are old.
   */
  async ingest(observation: LocationObservation): Promise<Position> {
    const { position, stored } = await this.accept(observation);
    await stored;
    return position;
  }

  /**
   * `ingest` in two steps, for a caller that goes on with a watch's next report without waiting
   * for the disk (the gateway: a `UD` report has no reply, so nothing is gained by holding the
   * watch's next frame until the commit). Resolves once the report is located, checked and
   * handed to the sink, which keeps the positions of consecutive calls in order, and once the
   * sink has room (its backpressure). `stored` settles as `ingest` would: when the position is
   * durable, or with the reason it could not be stored. It never goes unhandled: a caller that
   * does not need it may drop it.
   */
  async accept(observation: LocationObservation): Promise<AcceptedPosition> {
    const location =
      this.#locator.locateAtOnce(observation) ?? (await this.#locator.locate(observation));
    const accepted = this.#hand(observation, location);
    accepted.stored.catch(ignore);
    const room = this.#sink.room?.();
    if (room !== undefined) await room;
    return accepted;
  }

  /**
   * `accept` without waiting, for a report that needs no lookup (a GPS fix) while the sink has
   * room: the position is handed over before this returns. Undefined, handing over nothing,
   * for a report that would have to wait; the caller then uses `accept`. A gateway takes a
   * watch's usual report this way without a promise or a queued task of its own. Unlike
   * `accept`'s, this `stored` must be handled by the caller: a failed commit would otherwise be
   * an unhandled rejection (one derived promise a report fewer).
   */
  acceptAtOnce(observation: LocationObservation): AcceptedPosition | undefined {
    const location = this.#locator.locateAtOnce(observation);
    if (location === undefined || this.#sink.room?.() !== undefined) return undefined;
    return this.#hand(observation, location);
  }

  /** Checks the located report, counts it, starts its side effects and submits it. */
  #hand(observation: LocationObservation, location: ReportLocation): AcceptedPosition {
    const position = this.#check(observation, location);
    this.#ingested.inc(ingestedLabels(position));
    for (const flag of position.flags) this.#flagged.inc(flagLabels(flag));
    const sideEffects = observation.isBuffered
      ? undefined
      : this.#liveSideEffects(observation, position);
    return { position, stored: settleAfter(this.#sink.submit(position), sideEffects) };
  }

  /** The position of a located report, flagged; one object, its fields written out. */
  #check(observation: LocationObservation, location: ReportLocation): Position {
    const hasValidTime = isValidDate(observation.recordedAt);
    const isSkewed = !hasValidTime || isClockSkewed(observation);
    // An unreadable device time is replaced, so that the position can be stored at all.
    const recordedAt = hasValidTime ? observation.recordedAt : observation.receivedAt;
    const isJump = this.#isJump(
      observation,
      location,
      isSkewed ? observation.receivedAt : recordedAt,
    );
    return {
      watchId: observation.watchId,
      recordedAt,
      receivedAt: observation.receivedAt,
      source: location.source,
      latitude: location.latitude,
      longitude: location.longitude,
      accuracyMeters: location.accuracyMeters,
      speedKmh: location.speedKmh,
      courseDegrees: location.courseDegrees,
      altitudeMeters: location.altitudeMeters,
      isBuffered: observation.isBuffered,
      flags: flagsOf(isSkewed, isJump),
    };
  }

  /**
   * Whether the fix is an impossible jump from the watch's last one, `at` its display time (the
   * receive time when the device clock is skewed). Buffered history is never checked, nor
   * remembered as the watch's last fix.
   */
  #isJump(observation: LocationObservation, location: ReportLocation, at: Date): boolean {
    const { latitude, longitude, accuracyMeters } = location;
    if (observation.isBuffered || latitude === null || longitude === null) return false;
    return this.#jumps.check(observation.watchId, { latitude, longitude, accuracyMeters, at });
  }

  /** The status update: undefined when it was taken at once (`recordStatus`). */
  #updateStatus(observation: LocationObservation): Promise<void> | undefined {
    const update: { -readonly [K in keyof WatchStatusUpdate]: WatchStatusUpdate[K] } = {
      updatedAt: observation.receivedAt,
    };
    const battery = percent(observation.batteryPercent);
    const signal = percent(observation.gsmSignalPercent);
    if (battery !== undefined) update.batteryPercent = battery;
    if (signal !== undefined) update.gsmSignalPercent = signal;
    if (isCount(observation.steps)) update.steps = observation.steps;
    if (isCount(observation.stateBits)) update.stateBits = observation.stateBits;
    if (isCount(observation.alarmBits)) update.alarmBits = observation.alarmBits;
    if (this.#watches.recordStatus !== undefined) {
      try {
        this.#watches.recordStatus(observation.watchId, update);
      } catch (error) {
        this.#sideFailure('status', observation, error);
      }
      return undefined;
    }
    try {
      return this.#watches.updateStatus(observation.watchId, update).catch((error: unknown) => {
        this.#sideFailure('status', observation, error);
      });
    } catch (error) {
      this.#sideFailure('status', observation, error);
      return undefined;
    }
  }

  /**
   * The status update, and the Wi-Fi learning when the fix teaches anything; undefined when
   * neither leaves anything to wait for (a buffered status, nothing to learn): most reports.
   */
  #liveSideEffects(
    observation: LocationObservation,
    position: Position,
  ): Promise<unknown> | undefined {
    const status = this.#updateStatus(observation);
    const accuracyMeters = this.#wifiLearningAccuracy(observation, position);
    if (accuracyMeters === undefined) return status;
    const learning = this.#learnWifi(observation, position, accuracyMeters);
    return status === undefined ? learning : Promise.all([status, learning]);
  }

  /**
   * The accuracy to teach the Wi-Fi table with, when the report is an accurate, slow, plausible
   * GPS fix with access points heard; undefined otherwise. Without a stated accuracy, enough
   * satellites stand in for one.
   */
  #wifiLearningAccuracy(observation: LocationObservation, position: Position): number | undefined {
    const { latitude, longitude, speedKmh } = position;
    if (position.source !== 'gps' || latitude === null || longitude === null) return undefined;
    if (position.flags.length > 0 || observation.wifi.length === 0) return undefined;
    if (speedKmh !== null && speedKmh > WIFI_LEARNING_MAX_SPEED_KMH) return undefined;
    return learningAccuracy(observation, position.accuracyMeters);
  }

  /** Teaches the Wi-Fi table where the heard access points are. */
  async #learnWifi(
    observation: LocationObservation,
    position: Position,
    accuracyMeters: number,
  ): Promise<void> {
    const { latitude, longitude } = position;
    if (latitude === null || longitude === null) return;
    const macs = new Set(observation.wifi.flatMap(({ mac }) => normalizeMac(mac) ?? []));
    const at = observation.receivedAt;
    try {
      for (const mac of macs) {
        await this.#wifi.learn({ mac, latitude, longitude, accuracyMeters, at });
        this.#learned.inc();
      }
    } catch (error) {
      this.#sideFailure('wifi', observation, error);
    }
  }

  #sideFailure(step: string, observation: LocationObservation, error: unknown): void {
    this.#sideFailures.inc({ step });
    const reason = error instanceof Error ? error.message : String(error);
    this.#logger.warn({ watchId: observation.watchId, step, err: reason }, 'report step failed');
  }
}

/** Settles as `submitted` does, once `sideEffects` (never rejecting) have finished too. */
const NO_FLAGS: readonly PositionFlag[] = Object.freeze([]);
const SKEWED: readonly PositionFlag[] = Object.freeze(['clockSkew']);
const JUMP: readonly PositionFlag[] = Object.freeze(['impossibleJump']);
const SKEWED_JUMP: readonly PositionFlag[] = Object.freeze(['clockSkew', 'impossibleJump']);

/** The plausibility flags of a position, as shared frozen arrays: most positions have none. */
function flagsOf(isSkewed: boolean, isJump: boolean): readonly PositionFlag[] {
  if (isSkewed) return isJump ? SKEWED_JUMP : SKEWED;
  return isJump ? JUMP : NO_FLAGS;
}

/** Marks a rejection as handled: `stored` may be dropped by a caller that does not need it. */
function ignore(): void {
  // Nothing: the caller that keeps `stored` sees the rejection.
}

function settleAfter(
  submitted: Promise<void>,
  sideEffects: Promise<unknown> | undefined,
): Promise<void> {
  if (sideEffects === undefined) return submitted;
  return submitted.then(
    () => sideEffects.then(() => undefined),
    (error: unknown) => sideEffects.then(() => Promise.reject(error as Error)),
  );
}

function learningAccuracy(
  observation: LocationObservation,
  accuracyMeters: number | null,
): number | undefined {
  if (accuracyMeters !== null) {
    return accuracyMeters <= WIFI_LEARNING_MAX_ACCURACY_METERS ? accuracyMeters : undefined;
  }
  const satellites = observation.satellites ?? 0;
  return satellites >= WIFI_LEARNING_MIN_SATELLITES ? ASSUMED_ACCURACY_METERS : undefined;
}

function percent(value: number | null): number | undefined {
  return value !== null && Number.isFinite(value) && value >= 0 && value <= 100 ? value : undefined;
}

function isCount(value: number | null): value is number {
  return value !== null && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The label sets of the per-position counters, made once and frozen: a metrics adapter may find
 * a frozen set's series without building a key from it (thousands of positions a second).
 */
const INGESTED_LABELS = new Map<string, readonly [live: Labels, buffered: Labels]>();
const FLAG_LABELS = new Map<string, Labels>();

function ingestedLabels(position: Position): Labels {
  let pair = INGESTED_LABELS.get(position.source);
  if (pair === undefined) {
    const { source } = position;
    pair = [
      Object.freeze({ source, buffered: 'false' }),
      Object.freeze({ source, buffered: 'true' }),
    ];
    INGESTED_LABELS.set(source, pair);
  }
  return pair[position.isBuffered ? 1 : 0];
}

function flagLabels(flag: string): Labels {
  let labels = FLAG_LABELS.get(flag);
  if (labels === undefined) {
    labels = Object.freeze({ flag });
    FLAG_LABELS.set(flag, labels);
  }
  return labels;
}
