import type { RateCounterStore } from './sms.ports.ts';

interface Window {
  readonly endMs: number;
  count: number;
}

/**
 * Rate counters in this process's memory: for tests, and for a single process that may forget
 * its counters on restart. Same windows as every RateCounterStore.
 */
export class InMemoryRateCounters implements RateCounterStore {
  readonly #windows = new Map<string, Window>();

  hit(key: string, windowSeconds: number, at: Date): Promise<number> {
    return settle(() => {
      const id = windowId(key, windowSeconds, at);
      const window = this.#windows.get(id.text) ?? { endMs: id.endMs, count: 0 };
      window.count += 1;
      this.#windows.set(id.text, window);
      return window.count;
    });
  }

  count(key: string, windowSeconds: number, at: Date): Promise<number> {
    return settle(() => this.#windows.get(windowId(key, windowSeconds, at).text)?.count ?? 0);
  }

  prune(before: Date): Promise<number> {
    let pruned = 0;
    for (const [id, window] of this.#windows) {
      if (window.endMs > before.getTime()) continue;
      this.#windows.delete(id);
      pruned += 1;
    }
    return Promise.resolve(pruned);
  }
}

function windowId(key: string, windowSeconds: number, at: Date): { text: string; endMs: number } {
  if (!Number.isSafeInteger(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError('windowSeconds must be a positive integer');
  }
  const windowMs = windowSeconds * 1000;
  const startMs = Math.floor(at.getTime() / windowMs) * windowMs;
  return { text: `${windowSeconds}/${startMs}/${key}`, endMs: startMs + windowMs };
}

/** The value of `run` as a promise; what it throws as a rejection. */
function settle<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
