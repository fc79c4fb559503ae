import {
  alertChangeEvent,
  isPositionBatchEvent,
  packedWatchId,
  unpackPosition,
  isWatchEvent,
  subjects,
  type AccountId,
  type AlertService,
  type Bus,
  type Logger,
  type Unsubscribe,
  type WatchEvent,
} from '@kinwatch/core';

/** The socket side of one stream client (a `ws` WebSocket satisfies it). */
export interface StreamSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code: number, reason: string): void;
  ping(): void;
}

export interface StreamHubOptions {
  /** Bytes queued for a client beyond which it counts as not reading. Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** How often each client's list of watches is read again. Default 15 s. */
  readonly refreshSeconds?: number;
  /** Alert events replayed at most on resume. Default 500. */
  readonly maxReplay?: number;
}

/** Closes a client that does not read: it resumes from its last event id when it can. */
export const CLOSE_TOO_SLOW = 4008;
const DEFAULT_MAX_BUFFERED = 1024 * 1024;

class StreamClient {
  watchIds = new Set<string>();
  /** Live events that arrived while the replay was being read. */
  pending: WatchEvent[] | undefined = [];
  lastAlertEventId = 0;
  constructor(
    readonly accountId: AccountId,
    readonly socket: StreamSocket,
  ) {}
}

/**
 * Fans the watches' events out to the live streams of their guardians, and only theirs. Each
 * client's watches are read when it connects, at once when a watch's guardians change, and
 * every few seconds as a backstop, so a guardian who is removed stops receiving. A client that
 * does not read is never allowed to hold memory: positions and status are dropped for it, and an
 * alert it cannot take closes its stream, to be resumed (alerts replay from the database) when it
 * reconnects.
 *
 * The hub listens only to what its clients follow: one bus subscription per followed watch, and
 * the position batches while at least one watch is followed. With no client it receives nothing.
 */
export class StreamHub {
  readonly #bus: Bus;
  readonly #alerts: Pick<AlertService, 'eventsAfter' | 'lastEventId'>;
  readonly #watchesOf: (accountId: AccountId) => Promise<readonly string[]>;
  readonly #logger: Logger;
  readonly #maxBuffered: number;
  readonly #maxReplay: number;
  readonly #refreshMs: number;
  readonly #clients = new Set<StreamClient>();
  readonly #byWatch = new Map<string, Set<StreamClient>>();
  /** The bus subscription of each watch in `#byWatch`. */
  readonly #watchSubscriptions = new Map<string, Unsubscribe>();
  /** Subscribed while `#byWatch` is not empty. */
  #unsubscribePositions: Unsubscribe | undefined;
  #unsubscribeGuardians: Unsubscribe | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: {
    readonly bus: Bus;
    readonly alerts: Pick<AlertService, 'eventsAfter' | 'lastEventId'>;
    readonly watchesOf: (accountId: AccountId) => Promise<readonly string[]>;
    readonly logger: Logger;
    readonly options?: StreamHubOptions;
  }) {
    this.#bus = deps.bus;
    this.#alerts = deps.alerts;
    this.#watchesOf = deps.watchesOf;
    this.#logger = deps.logger;
    this.#maxBuffered = deps.options?.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    this.#maxReplay = deps.options?.maxReplay ?? 500;
    this.#refreshMs = (deps.options?.refreshSeconds ?? 15) * 1000;
  }

  start(): void {
    // A removed guardian stops hearing the watch at once, not at the next periodic refresh.
    this.#unsubscribeGuardians = this.#bus.subscribe(subjects.guardiansChanged, async (message) => {
      const watchId = (message as { watchId?: unknown } | null)?.watchId;
      if (typeof watchId !== 'string') return;
      for (const client of [...(this.#byWatch.get(watchId) ?? [])]) await this.#refresh(client);
    });
    this.#timer = setInterval(() => {
      void this.#refreshAll();
    }, this.#refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#unsubscribeGuardians?.();
    clearInterval(this.#timer);
    for (const client of this.#clients) client.socket.close(1001, 'server stopping');
    this.#clients.clear();
    for (const watchId of [...this.#byWatch.keys()]) this.#unfollowAll(watchId);
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /**
   * Adds a client: sends `hello` with its watches, replays the alert events after
   * `sinceEventId` (when given), then everything live, in order and without duplicates.
   * Returns the function to call when the socket closes.
   */
  async connect(
    accountId: AccountId,
    socket: StreamSocket,
    sinceEventId: number | undefined,
  ): Promise<() => void> {
    const client = new StreamClient(accountId, socket);
    this.#clients.add(client);
    await this.#refresh(client);
    const watchIds = [...client.watchIds];
    const lastEventId = await this.#alerts.lastEventId(watchIds);
    this.#send(client, { type: 'hello', watchIds, lastEventId });
    if (sinceEventId !== undefined) {
      const replay = await this.#alerts.eventsAfter(
        [...client.watchIds],
        sinceEventId,
        this.#maxReplay,
      );
      for (const event of replay) this.#sendAlert(client, alertChangeEvent(event));
    }
    const pending = client.pending ?? [];
    client.pending = undefined;
    for (const event of pending) this.#sendEvent(client, event);
    return () => {
      this.#remove(client);
    };
  }

  #deliver(watchId: string, event: WatchEvent): void {
    const clients = this.#byWatch.get(watchId);
    if (clients === undefined) return;
    for (const client of clients) {
      if (client.pending !== undefined) client.pending.push(event);
      else this.#sendEvent(client, event);
    }
  }

  #sendEvent(client: StreamClient, event: WatchEvent): void {
    if (event.type === 'alert') {
      this.#sendAlert(client, event);
      return;
    }
    if (event.type === 'alarm') return;
    if (event.type === 'position' && event.zoneOnly === true) return;
    // Positions and status can be missed: the client reads the latest again when it resumes.
    // So can an alarm's early announcement (`alarmReceived`): its stored alerts follow, with
    // event ids, and close a client that is not reading.
    if (client.socket.bufferedAmount > this.#maxBuffered) return;
    this.#send(client, event);
  }

  #sendAlert(client: StreamClient, event: Extract<WatchEvent, { type: 'alert' }>): void {
    if (event.eventId <= client.lastAlertEventId) return;
    if (client.socket.bufferedAmount > this.#maxBuffered) {
      client.socket.close(CLOSE_TOO_SLOW, 'not reading; resume from the last event id');
      this.#remove(client);
      return;
    }
    client.lastAlertEventId = event.eventId;
    this.#send(client, event);
  }

  #send(client: StreamClient, message: object): void {
    try {
      client.socket.send(JSON.stringify(message));
    } catch (error) {
      this.#logger.debug({ err: error }, 'stream send failed');
      this.#remove(client);
    }
  }

  async #refreshAll(): Promise<void> {
    for (const client of this.#clients) {
      try {
        await this.#refresh(client);
        client.socket.ping();
      } catch (error) {
        this.#logger.warn({ err: error }, 'stream refresh failed');
      }
    }
  }

  async #refresh(client: StreamClient): Promise<void> {
    const next = new Set(await this.#watchesOf(client.accountId));
    if (!this.#clients.has(client)) return;
    for (const watchId of client.watchIds) {
      if (!next.has(watchId)) this.#unfollow(watchId, client);
    }
    for (const watchId of next) this.#follow(watchId, client);
    client.watchIds = next;
  }

  #remove(client: StreamClient): void {
    if (!this.#clients.delete(client)) return;
    for (const watchId of client.watchIds) this.#unfollow(watchId, client);
  }

  #follow(watchId: string, client: StreamClient): void {
    const clients = this.#byWatch.get(watchId);
    if (clients !== undefined) {
      clients.add(client);
      return;
    }
    this.#byWatch.set(watchId, new Set([client]));
    this.#watchSubscriptions.set(
      watchId,
      this.#bus.subscribe(subjects.eventsOfWatch(watchId), (message) => {
        if (isWatchEvent(message)) this.#deliver(watchId, message);
      }),
    );
    this.#unsubscribePositions ??= this.#bus.subscribe(subjects.positionBatches, (message) => {
      if (!isPositionBatchEvent(message)) return;
      for (const packed of message.positions) {
        const watchId = packedWatchId(packed);
        if (this.#byWatch.has(watchId)) this.#deliver(watchId, unpackPosition(packed));
      }
    });
  }

  #unfollow(watchId: string, client: StreamClient): void {
    const clients = this.#byWatch.get(watchId);
    clients?.delete(client);
    if (clients?.size === 0) this.#unfollowAll(watchId);
  }

  #unfollowAll(watchId: string): void {
    this.#byWatch.delete(watchId);
    this.#watchSubscriptions.get(watchId)?.();
    this.#watchSubscriptions.delete(watchId);
    if (this.#byWatch.size === 0) {
      this.#unsubscribePositions?.();
      this.#unsubscribePositions = undefined;
    }
  }
}
