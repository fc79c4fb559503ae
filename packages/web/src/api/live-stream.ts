import { parseStreamMessage, type StreamMessage } from './stream-messages.ts';

/** Where the stream stands, for the "live" indicator. */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The part of the browser's WebSocket the stream uses (a fake in unit tests). */
export interface StreamSocket {
  onopen: (() => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: (() => void) | null;
  close(code?: number): void;
}

/** The fields of the browser's events the stream reads (fakes provide just these). */
interface MessageEvent {
  readonly data: unknown;
}
interface CloseEvent {
  readonly code: number;
}

export interface LiveStreamOptions {
  /** Opens a socket to the URL. */
  readonly connect: (url: string) => StreamSocket;
  /** The stream's URL without the resume parameter, e.g. ws://host/api/v1/stream. */
  readonly url: string;
  /** First retry delay; doubled after each failed attempt up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
  /** Random jitter in [0, 1), so that many clients do not reconnect in step. */
  readonly random?: () => number;
}

type Listener = (message: StreamMessage) => void;
type StateListener = (state: StreamState) => void;

/**
 * The guardian's live stream. It reconnects by itself after a dropped connection, with
 * growing, jittered delays, and resumes from the last alert event it saw (`?since=`), so no
 * alert is lost across a reconnection. Listeners get each message in arrival order,
 * synchronously from the socket's message event, so that a position reaches the map within
 * the same task.
 */
export class LiveStream {
  readonly #options: Required<Omit<LiveStreamOptions, 'connect' | 'url'>> &
    Pick<LiveStreamOptions, 'connect' | 'url'>;
  readonly #listeners = new Set<Listener>();
  readonly #stateListeners = new Set<StateListener>();
  readonly #dropListeners = new Set<(closeCode: number | null) => void>();
  #socket: StreamSocket | null = null;
  #timer: unknown = null;
  #attempt = 0;
  #lastEventId: number | null = null;
  #state: StreamState = 'closed';
  #isStopped = true;

  constructor(options: LiveStreamOptions) {
    this.#options = {
      initialDelayMs: 500,
      maxDelayMs: 15_000,
      setTimer: (callback, ms) => setTimeout(callback, ms),
      clearTimer: (timer) => {
        clearTimeout(timer as ReturnType<typeof setTimeout>);
      },
      random: Math.random,
      ...options,
    };
  }

  get state(): StreamState {
    return this.#state;
  }

  /** The newest alert event id seen, the resume point of the next connection. */
  get lastEventId(): number | null {
    return this.#lastEventId;
  }

  start(): void {
    if (!this.#isStopped) return;
    this.#isStopped = false;
    this.#open();
  }

  stop(): void {
    this.#isStopped = true;
    if (this.#timer !== null) this.#options.clearTimer(this.#timer);
    this.#timer = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000);
    }
    this.#setState('closed');
  }

  /** Reconnects now (after the page became visible again, or the network came back). */
  reconnectNow(): void {
    if (this.#isStopped || this.#state === 'open' || this.#state === 'connecting') return;
    if (this.#timer !== null) this.#options.clearTimer(this.#timer);
    this.#timer = null;
    this.#open();
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onState(listener: StateListener): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /**
   * Called on every dropped or failed connection, before the retry is planned. The server
   * refuses the upgrade of an ended session with HTTP 401, which a browser reports only as a
   * failed connection: the app checks its session here.
   */
  onDrop(listener: (closeCode: number | null) => void): () => void {
    this.#dropListeners.add(listener);
    return () => this.#dropListeners.delete(listener);
  }

  #open(): void {
    this.#setState(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    const url =
      this.#lastEventId === null
        ? this.#options.url
        : `${this.#options.url}?since=${this.#lastEventId}`;
    let socket: StreamSocket;
    try {
      socket = this.#options.connect(url);
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#setState('open');
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      const message = parseStreamMessage(event.data);
      if (message === null) return;
      this.#remember(message);
      for (const listener of this.#listeners) listener(message);
    };
    socket.onerror = () => {
      // A close event always follows; the retry is planned there.
    };
    socket.onclose = (event) => {
      this.#socket = null;
      if (this.#isStopped) return;
      this.#scheduleRetry(event.code);
    };
  }

  #remember(message: StreamMessage): void {
    if (message.type === 'alert') {
      this.#lastEventId = Math.max(this.#lastEventId ?? 0, message.eventId);
    } else if (message.type === 'hello' && this.#lastEventId === null) {
      this.#lastEventId = message.lastEventId;
    }
  }

  /** `closeCode` is the code of the close that ended the connection, if one was open. */
  #scheduleRetry(closeCode?: number): void {
    this.#setState('reconnecting');
    for (const listener of this.#dropListeners) listener(closeCode ?? null);
    const { initialDelayMs, maxDelayMs, random } = this.#options;
    const base = Math.min(maxDelayMs, initialDelayMs * 2 ** this.#attempt);
    const delay = Math.round(base * (0.75 + 0.5 * random()));
    this.#attempt += 1;
    this.#timer = this.#options.setTimer(() => {
      this.#timer = null;
      if (!this.#isStopped) this.#open();
    }, delay);
  }

  #setState(state: StreamState): void {
    if (this.#state === state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }
}

/** The stream URL of the page's own server (ws: or wss: to match the page). */
export function streamUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/stream`;
}
