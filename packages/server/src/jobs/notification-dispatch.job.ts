import {
  isWatchEvent,
  subjects,
  type AlertChangeEvent,
  type Bus,
  type Logger,
  type NotificationService,
  type Unsubscribe,
} from '@kinwatch/core';

export interface NotificationDispatchOptions {
  /** Alert changes being notified at once. */
  readonly maxConcurrent: number;
  /** Alert changes waiting beyond those; more are dropped, except SOS. */
  readonly maxQueued: number;
}

const DEFAULT_OPTIONS: NotificationDispatchOptions = { maxConcurrent: 8, maxQueued: 10_000 };

/**
 * Hands every alert change on the bus to the notification service. Sending runs beside the bus
 * subscription, not in it: a slow push service or mail server never holds up the next alert,
 * and the live stream has its own subscription. At most `maxConcurrent` alert changes are sent
 * at once, so a burst (every watch going offline when a carrier fails) queues instead of
 * opening thousands of connections; a queue that overflows drops all but SOS, with a warning.
 *
 * Like the alert pipeline it runs in one process; on a scaled-out bus, one node (a queue
 * group), or each guardian would be notified once per node.
 */
export class NotificationDispatch {
  readonly #bus: Bus;
  readonly #notifications: Pick<NotificationService, 'notify'>;
  readonly #logger: Logger;
  readonly #options: NotificationDispatchOptions;
  readonly #queue: AlertChangeEvent[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #unsubscribe: Unsubscribe | undefined;

  constructor(
    bus: Bus,
    notifications: Pick<NotificationService, 'notify'>,
    logger: Logger,
    options: Partial<NotificationDispatchOptions> = {},
  ) {
    this.#bus = bus;
    this.#notifications = notifications;
    this.#logger = logger;
    this.#options = { ...DEFAULT_OPTIONS, ...options };
  }

  start(): void {
    this.#unsubscribe = this.#bus.subscribe(subjects.eventsOfType('alert'), (message) => {
      if (isWatchEvent(message) && message.type === 'alert') this.#enqueue(message);
    });
  }

  /** Stops listening; resolves when what was received has been sent. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.idle();
  }

  /** Resolves when every alert change received so far has been notified. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  #enqueue(event: AlertChangeEvent): void {
    if (this.#queue.length >= this.#options.maxQueued && event.alert.kind !== 'sos') {
      this.#logger.warn(
        { alertId: event.alert.id, kind: event.alert.kind },
        'notification queue full; alert not notified',
      );
      return;
    }
    this.#queue.push(event);
    this.#pump();
  }

  #pump(): void {
    while (this.#inFlight.size < this.#options.maxConcurrent) {
      const event = this.#queue.shift();
      if (event === undefined) return;
      const sending = this.#notifications.notify(event).catch((error: unknown) => {
        this.#logger.error({ err: error, alertId: event.alert.id }, 'alert notifications not sent');
      });
      this.#inFlight.add(sending);
      void sending.finally(() => {
        this.#inFlight.delete(sending);
        this.#pump();
      });
    }
  }
}
