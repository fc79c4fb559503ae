import {
  isPackedBuffered,
  isPositionBatchEvent,
  lazyPositionEvent,
  isWatchEvent,
  subjects,
  type AlertService,
  type Bus,
  type Logger,
  type Unsubscribe,
  type WatchEvent,
} from '@kinwatch/core';

/**
 * An extra step run on every stored live position (zone evaluation), in order per watch. It
 * returns undefined when it had nothing to do.
 */
export type PositionStep = (
  event: Extract<WatchEvent, { type: 'position' }>,
) => Promise<void> | undefined;

/**
 * Turns the watches' events into alerts: low battery in the status, and whatever the position
 * steps raise (zones); sends open SOS alerts again until acknowledged; raises offline alerts for
 * bound watches that went silent. The watch's own alarms (SOS, removed, fall...) do not pass
 * through here: their alerts are stored and announced with the alarm (`AlarmService`), without a
 * second commit. Status and positions have a subscription each: the bus delivers one
 * subscription's messages in order, so each watch's events of one kind are handled in the order
 * they came.
 *
 * One process runs this. On a scaled-out bus it must run on one node only (a queue group), or
 * every node would raise the same alert.
 */
export class AlertPipeline {
  readonly #bus: Bus;
  readonly #alerts: AlertService;
  readonly #logger: Logger;
  readonly #positionSteps: PositionStep[] = [];
  #unsubscribe: Unsubscribe | undefined;
  #repeatTimer: NodeJS.Timeout | undefined;
  #offlineTimer: NodeJS.Timeout | undefined;

  constructor(bus: Bus, alerts: AlertService, logger: Logger) {
    this.#bus = bus;
    this.#alerts = alerts;
    this.#logger = logger;
  }

  /** Before `start`. */
  addPositionStep(step: PositionStep): void {
    this.#positionSteps.push(step);
  }

  start(): void {
    const onEvent = async (message: unknown): Promise<void> => {
      if (isWatchEvent(message)) await this.handle(message);
    };
    const unsubscribes = [this.#bus.subscribe(subjects.eventsOfType('status'), onEvent)];
    // Positions only matter to the steps: with none, the pipeline does not take them at all.
    if (this.#positionSteps.length > 0) {
      unsubscribes.push(
        this.#bus.subscribe(subjects.positionBatches, async (message) => {
          if (!isPositionBatchEvent(message)) return;
          for (const packed of message.positions) {
            if (isPackedBuffered(packed)) continue;
            // Most steps pass over most watches: the event's position is made only if read.
            const pending = this.#runPositionSteps(lazyPositionEvent(packed));
            if (pending !== undefined) await pending;
          }
        }),
      );
    }
    this.#unsubscribe = () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
    const { sosRepeatSeconds } = this.#alerts.options;
    this.#repeatTimer = setInterval(() => {
      void this.#guard('sos repeat', () => this.#alerts.repeatOpenSos());
    }, sosRepeatSeconds * 1000);
    this.#repeatTimer.unref();
    this.#offlineTimer = setInterval(() => {
      void this.#guard('offline check', () => this.#alerts.checkOffline());
    }, 60_000);
    this.#offlineTimer.unref();
  }

  stop(): void {
    this.#unsubscribe?.();
    clearInterval(this.#repeatTimer);
    clearInterval(this.#offlineTimer);
  }

  /** Handles one event; a failure is logged and never stops the pipeline. */
  async handle(event: WatchEvent): Promise<void> {
    await this.#guard(event.type, async () => {
      if (event.type === 'status') await this.#alerts.fromStatus(event);
      else if (event.type === 'position' && !event.position.isBuffered) {
        await this.#runPositionSteps(event);
      }
    });
  }

  /**
   * The position steps from `from` on for one event, one after the other, without a promise
   * when none had anything to do (most positions: no zones, nothing to raise). A failed step is
   * logged, and the next one runs.
   */
  #runPositionSteps(
    event: Extract<WatchEvent, { type: 'position' }>,
    from = 0,
  ): Promise<void> | undefined {
    for (let index = from; index < this.#positionSteps.length; index++) {
      const pending = this.#runStep(index, event);
      if (pending !== undefined)
        return pending.then(() => this.#runPositionSteps(event, index + 1));
    }
    return undefined;
  }

  /** Step `index` for one event, its failure, at once or later, logged. */
  #runStep(
    index: number,
    event: Extract<WatchEvent, { type: 'position' }>,
  ): Promise<void> | undefined {
    try {
      return (this.#positionSteps[index] as PositionStep)(event)?.catch(this.#stepFailed);
    } catch (error) {
      this.#stepFailed(error);
      return undefined;
    }
  }

  readonly #stepFailed = (error: unknown): void => {
    this.#logger.error({ err: error, step: 'position' }, 'alert pipeline step failed');
  };

  async #guard(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.#logger.error({ err: error, step: what }, 'alert pipeline step failed');
    }
  }
}
