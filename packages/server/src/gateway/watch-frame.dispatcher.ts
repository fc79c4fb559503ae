import type {
  AlarmKind,
  Clock,
  Counter,
  LocationObservation,
  Logger,
  Metrics,
  WatchRepository,
} from '@kinwatch/core';
import {
  encodeFrame,
  replyTarget,
  type AlarmReport,
  type DecodedFrame,
  type LinkKeepAlive,
  type LocationReport,
} from '@kinwatch/protocol';
import type { CommandDelivery } from './command-delivery.ts';
import type { FrameDispatcher } from './gateway.ts';
import type { IdentityHandler } from './handlers/identity.handler.ts';
import { toObservation } from './location-observation.mapping.ts';
import type { WatchSession } from './session.ts';
import type { StatusBuffer } from './status-buffer.ts';

/** Turns a location report into a stored position (resolve, check, store). */
export interface LocationIngest {
  /**
   * Resolves once the report is handed to the writer, in order; `stored` settles when it is
   * durable, or could not be stored (`PositionService.accept`).
   */
  accept(observation: LocationObservation): Promise<{ readonly stored: Promise<unknown> }>;
  /**
   * The same at once, or undefined for a report that would have to wait (a lookup, a full
   * writer), which then goes through `accept` (`PositionService.acceptAtOnce`).
   */
  acceptAtOnce?(
    observation: LocationObservation,
  ): { readonly stored: Promise<unknown> } | undefined;
}

/** Stores an alarm durably; resolves only once it is committed. */
export interface AlarmIngest {
  raise(observation: LocationObservation, kinds: readonly AlarmKind[]): Promise<unknown>;
}

export interface DispatcherDeps {
  readonly watches: WatchRepository;
  readonly locations: LocationIngest;
  readonly alarms: AlarmIngest;
  readonly delivery: CommandDelivery;
  readonly identity: IdentityHandler;
  readonly status: StatusBuffer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly maxPendingWriteBytes: number;
  readonly unknownSightingIntervalSeconds: number;
}

/** At most this many unknown ids are remembered for rate-limiting their sightings. */
const MAX_TRACKED_UNKNOWN = 50_000;

/**
 * One explicit pipeline per frame of a watch: unknown ids only leave a rate-limited sighting;
 * for provisioned watches each message family goes to its handler. Runs in order per session
 * (the gateway queues it), after any reply the protocol needs at once.
 */
export class WatchFrameDispatcher implements FrameDispatcher {
  readonly #deps: DispatcherDeps;
  readonly #lastSighting = new Map<string, number>();
  readonly #ignored: Counter;
  readonly #notStored: Counter;

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
    this.#notStored = deps.metrics.counter(
      'kinwatch_gateway_positions_not_stored_total',
      'Location reports of provisioned watches whose position could not be stored',
    );
    this.#ignored = deps.metrics.counter(
      'kinwatch_gateway_unhandled_total',
      'Frames of provisioned watches with no handler yet, by message type',
    );
  }

  /**
   * Handles, before returning, a frame that needs nothing to wait for: a heartbeat, or a
   * location report with a GPS fix while the writer has room (most reports). False for any
   * other, which the caller queues for `dispatch`. Only for a watch with nothing queued, so
   * that its frames stay in order.
   */
  dispatchAtOnce(session: WatchSession, frame: DecodedFrame, receivedAt: Date): boolean {
    const watchId = session.watchId;
    if (watchId === undefined) return false;
    const message = frame.message;
    if (message.type === 'linkKeepAlive') {
      this.#keepAlive(watchId, message, receivedAt);
      return true;
    }
    // A report without a fix needs a lookup: not mapped here only to be mapped again.
    const isReport = message.type === 'locationReport' || message.type === 'bufferedLocationReport';
    if (!isReport || !message.location.hasGnssFix) return false;
    const accepted = this.#deps.locations.acceptAtOnce?.(
      observationOf(watchId, message, receivedAt),
    );
    if (accepted === undefined) return false;
    accepted.stored.catch(this.#onNotStored);
    return true;
  }

  async dispatch(session: WatchSession, frame: DecodedFrame, receivedAt: Date): Promise<void> {
    const watchId = session.watchId;
    if (watchId === undefined) {
      await this.#sighting(session, frame, receivedAt);
      return;
    }
    const message = frame.message;
    switch (message.type) {
      case 'linkKeepAlive':
        this.#keepAlive(watchId, message, receivedAt);
        return;
      case 'locationReport':
      case 'bufferedLocationReport':
        await this.#location(watchId, message, receivedAt);
        return;
      case 'alarmReport':
        await this.#alarm(session, frame as DecodedFrame<AlarmReport>, receivedAt);
        return;
      case 'commandAck':
        await this.#deps.delivery.acknowledge(session, message);
        return;
      case 'imeiReport':
      case 'simCardId':
      case 'simIdentity':
        await this.#deps.identity.handle(session, message);
        return;
      default:
        this.#ignored.inc({ type: message.type });
    }
  }

  #keepAlive(watchId: string, message: LinkKeepAlive, at: Date): void {
    this.#deps.status.keepAlive(watchId, at, message.batteryPercent, message.steps);
  }

  /**
   * The watch's next frame does not wait for this report's commit: a report has no reply, and
   * the writer keeps a watch's positions in order. What waits is the writer's room
   * (backpressure), and the session's queue behind it pauses the socket.
   */
  async #location(watchId: string, message: LocationReport, receivedAt: Date): Promise<void> {
    const { stored } = await this.#deps.locations.accept(
      observationOf(watchId, message, receivedAt),
    );
    stored.catch(this.#onNotStored);
  }

  /** One handler for every report's `stored`, rather than a closure per report. */
  readonly #onNotStored = (error: unknown): void => {
    this.#notStored.inc();
    // A failed batch is logged once by the writer; a position refused on its own is here (its
    // message names the watch).
    if (error instanceof RangeError) {
      this.#deps.logger.warn({ err: error.message }, 'position not stored');
    }
  };

  /**
   * The alarm is committed before the watch is told it arrived: if storing fails, the watch
   * gets no `AL` reply and sends the alarm again, so it is never lost.
   */
  async #alarm(
    session: WatchSession,
    frame: DecodedFrame<AlarmReport>,
    receivedAt: Date,
  ): Promise<void> {
    const watchId = session.watchId as string;
    const observation = toObservation(watchId, frame.message.location, false, receivedAt);
    const kinds = frame.message.location.alarms;
    await this.#deps.alarms.raise(observation, kinds.length > 0 ? kinds : ['general']);
    this.#reply(session, frame, 'AL');
  }

  #reply(session: WatchSession, frame: DecodedFrame, content: string): void {
    session.write(
      encodeFrame(replyTarget(frame.envelope), content),
      this.#deps.maxPendingWriteBytes,
    );
  }

  /** An unprovisioned id: replies were sent (they are protocol), only a sighting is stored. */
  async #sighting(session: WatchSession, frame: DecodedFrame, at: Date): Promise<void> {
    if (frame.message.type === 'alarmReport') this.#reply(session, frame, 'AL');
    const deviceId = frame.envelope.deviceId;
    const last = this.#lastSighting.get(deviceId);
    const interval = this.#deps.unknownSightingIntervalSeconds * 1000;
    if (last !== undefined && at.getTime() - last < interval) return;
    if (this.#lastSighting.size >= MAX_TRACKED_UNKNOWN) this.#lastSighting.clear();
    this.#lastSighting.set(deviceId, at.getTime());
    await this.#deps.watches.recordSighting(deviceId, session.remoteAddress, at);
  }
}

function observationOf(
  watchId: string,
  message: LocationReport,
  receivedAt: Date,
): LocationObservation {
  const isBuffered = message.type === 'bufferedLocationReport';
  return toObservation(watchId, message.location, isBuffered, receivedAt);
}
