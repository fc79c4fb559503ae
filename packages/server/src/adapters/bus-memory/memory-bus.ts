import type { Bus, Logger, Unsubscribe } from '@kinwatch/core';
import { checkPattern, checkSubject, matchesSubject } from './subject-pattern.ts';

type Handler = (message: unknown, subject: string) => void | Promise<void>;

interface Delivery {
  readonly text: string;
  readonly subject: string;
}

/**
 * One subscription: its own queue and a single drain loop, so its handler sees messages one at
 * a time in publish order, and a slow handler holds up no other subscription.
 */
class Subscription {
  readonly #queue: Delivery[] = [];
  #isDraining = false;
  #drained: Promise<void> = Promise.resolve();

  constructor(
    readonly pattern: readonly string[],
    readonly patternText: string,
    readonly handler: Handler,
    readonly logger: Logger,
  ) {}

  enqueue(delivery: Delivery): void {
    this.#queue.push(delivery);
    if (this.#isDraining) return;
    this.#isDraining = true;
    // Handlers never run inside publish(): a handler that publishes cannot re-enter itself.
    this.#drained = Promise.resolve().then(() => this.#drain());
  }

  /** Drops what is queued; a handler already running finishes. */
  cancel(): void {
    this.#queue.length = 0;
  }

  /** Resolves when every message queued so far has been handled. */
  idle(): Promise<void> {
    return this.#drained;
  }

  async #drain(): Promise<void> {
    for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
      try {
        // Each subscriber parses its own copy: no subscriber sees another's changes, and
        // the message is what a bus between processes would have carried.
        await this.handler(JSON.parse(next.text), next.subject);
      } catch (error) {
        this.logger.error(
          { err: error, subject: next.subject, subscription: this.patternText },
          'bus message handler failed',
        );
      }
    }
    this.#isDraining = false;
  }
}

/**
 * The Bus within one process. Messages must be JSON values: each subscriber receives a JSON
 * copy (a Date arrives as its ISO string), as it would from NATS, so code that works on one
 * works on the other. publish() rejects with RangeError on an invalid subject and TypeError on
 * a message JSON cannot carry. A handler that throws is logged; the next message is delivered.
 */
export class MemoryBus implements Bus {
  readonly #subscriptions = new Set<Subscription>();
  /**
   * The subscriptions each subject published on lately reaches, so that a publish neither
   * checks the subject nor matches every pattern again. Emptied when a subscription comes or
   * goes; cleared when it holds `MAX_CACHED_SUBJECTS` subjects.
   */
  readonly #routes = new Map<string, readonly Subscription[]>();
  readonly #logger: Logger;
  #isClosed = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  publish(subject: string, message: unknown): Promise<void> {
    try {
      if (this.#isClosed) throw new Error('the bus is closed');
      if (!isJsonCarried(message)) throw new TypeError(`a ${typeof message} is not a JSON message`);
      const route = this.#route(subject);
      // Throws TypeError for a BigInt or a cycle, whether or not anyone listens.
      const text = JSON.stringify(message);
      for (const subscription of route) subscription.enqueue({ text, subject });
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  subscribe(subject: string, handler: Handler): Unsubscribe {
    const subscription = new Subscription(checkPattern(subject), subject, handler, this.#logger);
    this.#subscriptions.add(subscription);
    this.#routes.clear();
    return () => {
      subscription.cancel();
      if (this.#subscriptions.delete(subscription)) this.#routes.clear();
    };
  }

  /** Throws RangeError on an invalid subject. */
  #route(subject: string): readonly Subscription[] {
    const cached = this.#routes.get(subject);
    if (cached !== undefined) return cached;
    const tokens = checkSubject(subject);
    const route = [...this.#subscriptions].filter((subscription) =>
      matchesSubject(subscription.pattern, tokens),
    );
    if (this.#routes.size >= MAX_CACHED_SUBJECTS) this.#routes.clear();
    this.#routes.set(subject, route);
    return route;
  }

  /**
   * Refuses new messages and resolves once every message already published has been handled:
   * the last step of a graceful shutdown, after the producers have stopped.
   */
  async close(): Promise<void> {
    this.#isClosed = true;
    // Nothing can be queued from here on (a handler's publish is refused too), and each drain
    // loop runs until its queue is empty.
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.idle()));
    for (const subscription of this.#subscriptions) subscription.cancel();
    this.#subscriptions.clear();
    this.#routes.clear();
  }
}

/** Subjects whose subscriptions are remembered: one per watch and kind of event is plenty. */
const MAX_CACHED_SUBJECTS = 100_000;

/** JSON.stringify returns undefined, not text, for these at the top level. */
function isJsonCarried(message: unknown): boolean {
  return message !== undefined && typeof message !== 'function' && typeof message !== 'symbol';
}
