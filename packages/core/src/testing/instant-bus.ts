import type { Bus, Unsubscribe } from '../bus/bus.ports.ts';

type Handler = (message: unknown, subject: string) => void | Promise<void>;

interface Subscription {
  readonly pattern: readonly string[];
  readonly handler: Handler;
  /** Settles when the subscription's last message has been handled. */
  tail: Promise<void>;
}

/**
 * A Bus for unit tests: `publish` hands a JSON copy of the message to each subscriber whose
 * subject matches (`*` one token, a final `>` the rest, as on the real buses) and resolves once
 * they have handled it, so a test can assert right after it. As on the real buses, each
 * subscription handles one message at a time, in publish order: a message waits for the
 * subscription's earlier ones.
 */
export class InstantBus implements Bus {
  readonly #subscriptions: Subscription[] = [];

  async publish(subject: string, message: unknown): Promise<void> {
    const tokens = subject.split('.');
    const handled: Promise<void>[] = [];
    for (const subscription of [...this.#subscriptions]) {
      if (!matches(subscription.pattern, tokens)) continue;
      const copy: unknown = JSON.parse(JSON.stringify(message));
      const run = subscription.tail.then(() => subscription.handler(copy, subject));
      subscription.tail = run.catch(() => undefined);
      handled.push(run);
    }
    await Promise.all(handled);
  }

  subscribe(subject: string, handler: Handler): Unsubscribe {
    const subscription: Subscription = {
      pattern: subject.split('.'),
      handler,
      tail: Promise.resolve(),
    };
    this.#subscriptions.push(subscription);
    return () => {
      const index = this.#subscriptions.indexOf(subscription);
      if (index >= 0) this.#subscriptions.splice(index, 1);
    };
  }

  /** Subscriptions open now: a test can check that nothing is left listening. */
  get subscriptionCount(): number {
    return this.#subscriptions.length;
  }
}

function matches(pattern: readonly string[], subject: readonly string[]): boolean {
  for (const [index, token] of pattern.entries()) {
    if (token === '>') return subject.length > index;
    if (index >= subject.length || (token !== '*' && token !== subject[index])) return false;
  }
  return pattern.length === subject.length;
}
