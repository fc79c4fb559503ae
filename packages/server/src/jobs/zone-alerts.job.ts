import type { AlertService, Clock, Logger, PositionEvent, ZoneService } from '@kinwatch/core';

/**
 * The zone steps of the alert pipeline: each live located position is evaluated against the
 * watch's zones (which stores arrivals and departures), and each transition becomes an alert;
 * every minute, expectation windows that ended without an arrival become alerts too.
 */
export class ZoneAlerts {
  readonly #zones: ZoneService;
  readonly #alerts: AlertService;
  readonly #logger: Logger;
  readonly #clock: Clock;
  #lastCheck: Date;
  #timer: NodeJS.Timeout | undefined;

  constructor(zones: ZoneService, alerts: AlertService, logger: Logger, clock: Clock) {
    this.#zones = zones;
    this.#alerts = alerts;
    this.#logger = logger;
    this.#clock = clock;
    this.#lastCheck = clock.now();
  }

  /**
   * For AlertPipeline.addPositionStep. Returns undefined, at once, for a position without
   * coordinates or of a watch known to have no zones: most positions, at no cost.
   */
  readonly onPosition = (event: PositionEvent): Promise<void> | undefined => {
    // The watch first: the pipeline's events make their position only when it is read.
    if (this.#zones.hasNoZones(event.watchId)) return undefined;
    const { latitude, longitude } = event.position;
    if (latitude === null || longitude === null) return undefined;
    return this.#evaluate(event, latitude, longitude);
  };

  async #evaluate(event: PositionEvent, latitude: number, longitude: number): Promise<void> {
    const { accuracyMeters, recordedAt, isBuffered } = event.position;
    const transitions = await this.#zones.evaluate(event.watchId, {
      latitude,
      longitude,
      accuracyMeters,
      at: new Date(recordedAt),
      isBuffered,
    });
    for (const transition of transitions) {
      // Buffered history records the arrival or departure, never a live alert.
      if (transition.isBuffered) continue;
      await this.#alerts.raise({
        watchId: event.watchId,
        kind: transition.kind === 'enter' ? 'zoneEnter' : 'zoneLeave',
        raisedAt: this.#clock.now(),
        recordedAt: transition.at,
        location: { latitude, longitude, accuracyMeters, source: event.position.source },
        details: { zoneId: transition.zoneId, zoneName: transition.zoneName },
      });
    }
  }

  /** Raises an alert for every expectation window that ended, since the last check, unmet. */
  async checkExpectations(now: Date): Promise<number> {
    const from = this.#lastCheck;
    this.#lastCheck = now;
    let raised = 0;
    for (const watchId of await this.#zones.watchesWithExpectations()) {
      for (const missed of await this.#zones.missedExpectations(watchId, from, now)) {
        await this.#alerts.raise({
          watchId,
          kind: 'expectationMissed',
          raisedAt: now,
          recordedAt: null,
          location: null,
          details: {
            zoneId: missed.zoneId,
            zoneName: missed.zoneName,
            windowStart: missed.window.start.toISOString(),
            windowEnd: missed.window.end.toISOString(),
          },
        });
        raised += 1;
      }
    }
    return raised;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.checkExpectations(this.#clock.now()).catch((error: unknown) => {
        this.#logger.error({ err: error }, 'expectation check failed');
      });
    }, 60_000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
