import type { WatchSession } from './session.ts';

/** What happened when a session claimed its device id. */
export type ClaimOutcome =
  | { readonly kind: 'route' }
  /** Another live session holds the id: this one is a possible clone and routes nothing. */
  | { readonly kind: 'clone'; readonly holder: WatchSession }
  /** The previous session had gone quiet (a reconnect whose old socket never closed). */
  | { readonly kind: 'replaced'; readonly previous: WatchSession };

/**
 * The live sessions, and for each device id the one session that receives its commands. A
 * second connection for an id whose session is still active does not take the route: whoever
 * can reach the port could otherwise announce a watch's id and receive its parents' commands.
 */
export class SessionRegistry {
  readonly #sessions = new Set<WatchSession>();
  readonly #routes = new Map<string, WatchSession>();
  readonly #cloneWindowMs: number;

  constructor(cloneWindowSeconds: number) {
    this.#cloneWindowMs = cloneWindowSeconds * 1000;
  }

  get size(): number {
    return this.#sessions.size;
  }

  add(session: WatchSession): void {
    this.#sessions.add(session);
  }

  /** Forgets a closed session and its route. */
  remove(session: WatchSession): void {
    this.#sessions.delete(session);
    if (session.deviceId !== undefined && this.#routes.get(session.deviceId) === session) {
      this.#routes.delete(session.deviceId);
    }
  }

  /** The session that routes commands for a device id. */
  route(deviceId: string): WatchSession | undefined {
    return this.#routes.get(deviceId);
  }

  /** Called when a session's first valid frame names its device id. */
  claim(session: WatchSession, deviceId: string, now: number): ClaimOutcome {
    const holder = this.#routes.get(deviceId);
    if (holder !== undefined && holder !== session && !holder.isClosed) {
      if (now - holder.lastFrameAt < this.#cloneWindowMs) return { kind: 'clone', holder };
      this.#routes.set(deviceId, session);
      session.isRoute = true;
      holder.isRoute = false;
      return { kind: 'replaced', previous: holder };
    }
    this.#routes.set(deviceId, session);
    session.isRoute = true;
    return { kind: 'route' };
  }

  [Symbol.iterator](): IterableIterator<WatchSession> {
    return this.#sessions.values();
  }
}
