import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  subjects,
  type Bus,
  type Clock,
  type CommandQueuedMessage,
  type Counter,
  type Gauge,
  type KnownWatch,
  type Logger,
  type Metrics,
  type Unsubscribe,
  type WatchId,
  type WatchRepository,
} from '@kinwatch/core';
import {
  decodeFrame,
  requiredReply,
  type DecodedFrame,
  type DiscardReason,
} from '@kinwatch/protocol';
import type { CommandDelivery } from './command-delivery.ts';
import type { GatewayOptions } from './gateway-options.ts';
import type { KnownWatches } from './known-watches.ts';
import { OutgoingFrames } from './outgoing-frames.ts';
import { SessionRegistry, type ClaimOutcome } from './session-registry.ts';
import { WatchSession, type CloseReason, type SessionEvents } from './session.ts';
import type { StatusBuffer } from './status-buffer.ts';
import { Sweeper } from './sweeper.ts';

/** Handles what a decoded frame means (positions, alarms, acknowledgements...). */
export interface FrameDispatcher {
  /** Runs in order per session, after any immediate reply was written. */
  dispatch(session: WatchSession, frame: DecodedFrame, receivedAt: Date): Promise<void>;
  /**
   * Handles the frame synchronously and returns true when it needs no storage (a heartbeat
   * only updates buffered status); false, doing nothing, otherwise. Only called when nothing
   * of the session is queued, so that order is kept.
   */
  dispatchAtOnce(session: WatchSession, frame: DecodedFrame, receivedAt: Date): boolean;
}

export interface GatewayDeps {
  readonly watches: WatchRepository;
  readonly known: KnownWatches;
  readonly dispatcher: FrameDispatcher;
  readonly delivery: CommandDelivery;
  readonly status: StatusBuffer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

interface GatewayMetrics {
  readonly frames: Counter;
  readonly badFrames: Counter;
  readonly discarded: Counter;
  readonly closed: Counter;
  readonly refused: Counter;
  readonly connections: Gauge;
}

/**
 * The TCP listener for watches. One session per connection; every frame is answered as the
 * protocol requires before anything else happens to it; frames of one watch are handled in
 * order; limits protect every other watch from a misbehaving connection; one sweep timer (not a
 * timer per socket) enforces the timeouts. A connecting watch costs no database statement when
 * it is provisioned and has no command waiting: it is named from memory, and its connection is
 * written with its buffered status.
 */
export class WatchGateway {
  readonly #deps: GatewayDeps;
  readonly #options: GatewayOptions;
  readonly #registry: SessionRegistry;
  readonly #perAddress = new Map<string, number>();
  readonly #byWatch = new Map<string, WatchSession>();
  readonly #metrics: GatewayMetrics;
  readonly #sweeper: Sweeper;
  readonly #events: SessionEvents;
  readonly #outgoing = new OutgoingFrames();
  /** Frames per message type since the counter was last updated (once a second). */
  readonly #frameCounts = new Map<string, number>();
  #server: Server | undefined;
  #nextConnectionId = 1;
  #onAllForgotten: (() => void) | undefined;

  constructor(deps: GatewayDeps, options: GatewayOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#registry = new SessionRegistry(options.cloneWindowSeconds);
    const m = deps.metrics;
    this.#metrics = {
      frames: m.counter('kinwatch_gateway_frames_total', 'Frames decoded, by message type'),
      badFrames: m.counter('kinwatch_gateway_bad_frames_total', 'Frames refused by the decoder'),
      discarded: m.counter(
        'kinwatch_gateway_discarded_bytes_total',
        'Bytes dropped by the splitter',
      ),
      closed: m.counter(
        'kinwatch_gateway_closed_total',
        'Connections closed by the gateway, by reason',
      ),
      refused: m.counter(
        'kinwatch_gateway_refused_total',
        'Connections refused at accept, by reason',
      ),
      connections: m.gauge('kinwatch_gateway_connections', 'Open watch connections'),
    };
    this.#events = {
      frame: (session, bytes) => {
        this.#onFrame(session, bytes);
      },
      discard: (session, reason, byteCount) => {
        this.#onDiscard(session, reason, byteCount);
      },
    };
    this.#sweeper = new Sweeper(this.#registry, options, {
      close: (session, reason) => {
        this.#close(session, reason);
      },
      afterCheck: () => {
        this.#countFrames();
      },
      commandsFound: (watchIds) => {
        this.#deliverFound(watchIds);
      },
      clock: deps.clock,
      delivery: deps.delivery,
      status: deps.status,
      logger: deps.logger,
    });
    deps.status.onWatchGone((watchId) => {
      this.#watchGone(watchId);
    });
  }

  get connectionCount(): number {
    return this.#registry.size;
  }

  /** The live session routing commands for a device id, if this gateway holds one. */
  routeFor(deviceId: string): WatchSession | undefined {
    return this.#registry.route(deviceId);
  }

  /** The live routing session of a provisioned watch, if this gateway holds one. */
  sessionOfWatch(watchId: string): WatchSession | undefined {
    const session = this.#byWatch.get(watchId);
    return session !== undefined && session.isRoute && !session.isClosed ? session : undefined;
  }

  /**
   * Delivers commands announced on the bus to the watches this gateway holds. Another gateway
   * process holding the watch delivers it there; a watch held nowhere gets it on reconnect.
   */
  subscribeToCommands(bus: Bus): Unsubscribe {
    return bus.subscribe(subjects.allWatchCommands, (message, subject) => {
      const watchId = subject.split('.')[1] ?? '';
      const session = this.sessionOfWatch(watchId);
      const commandId = (message as Partial<CommandQueuedMessage>).commandId;
      if (typeof commandId !== 'number') return;
      this.#deps.delivery.noteQueued(watchId);
      if (session === undefined) return;
      session.enqueue(
        () => this.#deps.delivery.deliverById(session, commandId),
        (error: unknown) => {
          this.#deps.logger.error(
            { watchId, commandId, err: String(error) },
            'command delivery failed',
          );
        },
      );
    });
  }

  /**
   * A watch provisioned while connected as unknown (a guardian binding it) is identified on
   * its open connection at once, so that the binding code shown on its screen reaches it; a
   * watch given a fresh id (unbound) is looked up again.
   */
  subscribeToProvisioning(bus: Bus): Unsubscribe {
    return bus.subscribe(subjects.watchProvisioned, (message) => {
      const deviceId = (message as { deviceId?: unknown } | null)?.deviceId;
      if (typeof deviceId !== 'string') return;
      const session = this.#registry.route(deviceId);
      if (session === undefined || session.isClosed || session.watchId !== undefined) return;
      session.enqueue(
        async () => {
          const watch = await this.#deps.known.lookup(deviceId);
          if (watch === undefined || session.isClosed || session.watchId !== undefined) return;
          this.#attach(session, watch, { kind: 'route' });
        },
        (error: unknown) => {
          this.#deps.logger.error({ deviceId, err: String(error) }, 'watch lookup failed');
        },
      );
    });
  }

  /** Reads the provisioned watches and which of them have commands waiting, then listens. */
  async listen(port: number, host: string): Promise<AddressInfo> {
    await this.#deps.known.load();
    await this.#deps.delivery.loadPending();
    const server = createServer({ noDelay: true }, (socket) => {
      this.#accept(socket);
    });
    server.maxConnections = this.#options.maxConnections;
    server.on('drop', () => {
      this.#metrics.refused.inc({ reason: 'maxConnections' });
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, backlog: this.#options.listenBacklog }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#sweeper.start();
    return server.address() as AddressInfo;
  }

  /**
   * Stops accepting, lets queued frames finish, closes every socket, and once every watch is
   * marked offline, writes the buffered status.
   */
  async close(): Promise<void> {
    const server = this.#server;
    const closed = server === undefined ? Promise.resolve() : new Promise((r) => server.close(r));
    await this.#sweeper.stop();
    const sessions = [...this.#registry];
    await Promise.allSettled(sessions.map((s) => s.drain()));
    const forgotten = new Promise<void>((resolve) => {
      if (this.#registry.size === 0) resolve();
      else this.#onAllForgotten = resolve;
    });
    for (const session of sessions) this.#close(session, 'shutdown');
    await forgotten;
    this.#countFrames();
    await this.#deps.status.flush();
    await closed;
  }

  #accept(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const count = this.#perAddress.get(address) ?? 0;
    if (count >= this.#options.maxConnectionsPerAddress) {
      this.#metrics.refused.inc({ reason: 'perAddress' });
      socket.destroy();
      return;
    }
    this.#perAddress.set(address, count + 1);
    const now = this.#deps.clock.now().getTime();
    const session = new WatchSession(
      this.#nextConnectionId++,
      socket,
      this.#options.maxFrameBytes,
      now,
      this.#events,
      this.#outgoing,
    );
    this.#registry.add(session);
    this.#metrics.connections.inc();
    socket.on('data', (chunk: Buffer) => {
      session.receive(chunk, Date.now());
    });
    socket.on('error', ignoreError);
    socket.on('close', () => {
      this.#forget(session);
    });
  }

  #onDiscard(session: WatchSession, reason: DiscardReason, byteCount: number): void {
    this.#metrics.discarded.inc({ reason }, byteCount);
    if (reason !== 'noise') {
      this.#deps.logger.info(
        { connection: session.connectionId, reason, byteCount },
        'bytes dropped',
      );
    }
  }

  #onFrame(session: WatchSession, bytes: Buffer): void {
    if (session.isClosed) return;
    session.framesThisSecond++;
    const result = decodeFrame(bytes);
    if (!result.ok) {
      this.#onBadFrame(session, result.reason, result.keyword);
      return;
    }
    const frame = result.frame;
    const deviceId = frame.envelope.deviceId;
    if (session.deviceId !== undefined && session.deviceId !== deviceId) {
      // One connection speaks for one watch; a second id on it is forged or broken.
      this.#close(session, 'deviceIdChanged');
      return;
    }
    session.badFramesInRow = 0;
    session.lastFrameAt = Date.now();
    session.target = frame.envelope;
    const type = frame.message.type;
    this.#frameCounts.set(type, (this.#frameCounts.get(type) ?? 0) + 1);
    this.#replyAtOnce(session, frame);
    if (session.deviceId === undefined) this.#identify(session, deviceId);
    const receivedAt = this.#deps.clock.now();
    const dispatcher = this.#deps.dispatcher;
    if (session.queuedTasks === 0 && dispatcher.dispatchAtOnce(session, frame, receivedAt)) return;
    session.enqueue(
      () => dispatcher.dispatch(session, frame, receivedAt),
      (error: unknown) => {
        this.#deps.logger.error(
          { connection: session.connectionId, type: frame.message.type, err: String(error) },
          'frame handling failed',
        );
      },
    );
  }

  #replyAtOnce(session: WatchSession, frame: DecodedFrame): void {
    let reply: Buffer | undefined;
    if (frame.message.type === 'linkKeepAlive' && frame.envelope.index === undefined) {
      reply = session.keepAliveReply ??= requiredReply(frame)?.frame;
    } else {
      const required = requiredReply(frame);
      if (required?.timing === 'immediate' && frame.message.type !== 'alarmReport')
        reply = required.frame;
    }
    if (reply !== undefined && !session.write(reply, this.#options.maxPendingWriteBytes)) {
      this.#close(session, 'slowReader');
    }
  }

  #onBadFrame(session: WatchSession, reason: string, keyword: string | undefined): void {
    this.#metrics.badFrames.inc({ keyword: keyword ?? 'none' });
    this.#deps.logger.info(
      { connection: session.connectionId, deviceId: session.deviceId, keyword, reason },
      'frame refused',
    );
    if (++session.badFramesInRow >= this.#options.maxBadFramesInRow)
      this.#close(session, 'badFrames');
  }

  /**
   * The first valid frame names the watch: take (or not) its command route, and find it in
   * memory, or in the database when it was provisioned after the gateway started.
   */
  #identify(session: WatchSession, deviceId: string): void {
    session.deviceId = deviceId;
    const outcome = this.#registry.claim(session, deviceId, Date.now());
    if (outcome.kind === 'replaced') this.#close(outcome.previous, 'replaced');
    const known = this.#deps.known.find(deviceId);
    if (known !== undefined) {
      this.#attach(session, known, outcome);
      return;
    }
    session.enqueue(
      async () => {
        const watch = await this.#deps.known.lookup(deviceId);
        if (watch !== undefined) this.#attach(session, watch, outcome);
      },
      (error: unknown) => {
        this.#deps.logger.error({ deviceId, err: String(error) }, 'watch lookup failed');
      },
    );
  }

  /** The session speaks for a provisioned watch. */
  #attach(session: WatchSession, watch: KnownWatch, outcome: ClaimOutcome): void {
    const watchId = watch.id;
    session.watchId = watchId;
    session.reportedImei = watch.imei;
    session.reportedIccid = watch.iccid;
    const at = this.#deps.clock.now();
    const status = this.#deps.status;
    status.connected(watchId, {
      at,
      address: session.remoteAddress,
      vendor: session.target?.vendor ?? '',
    });
    // A connection already gone before a database lookup ended does not make the watch online.
    if (!session.isClosed) status.keepAlive(watchId, at, undefined, undefined);
    if (outcome.kind === 'clone') {
      session.enqueue(
        () => this.#reportClone(session, outcome.holder, watchId),
        (error: unknown) => {
          this.#deps.logger.error({ watchId, err: String(error) }, 'clone report failed');
        },
      );
      return;
    }
    if (!session.isRoute || session.isClosed) return;
    this.#byWatch.set(watchId, session);
    if (!this.#deps.delivery.mayHavePending(watchId)) return;
    session.enqueue(
      () => this.#deps.delivery.deliverPending(session),
      (error: unknown) => {
        this.#deps.logger.error({ watchId, err: String(error) }, 'command delivery failed');
      },
    );
  }

  /** Commands were stored for these watches: send the new ones to those connected here. */
  #deliverFound(watchIds: readonly WatchId[]): void {
    for (const watchId of watchIds) {
      const session = this.sessionOfWatch(watchId);
      if (session === undefined) continue;
      session.enqueue(
        () => this.#deps.delivery.deliverQueued(session),
        (error: unknown) => {
          this.#deps.logger.error({ watchId, err: String(error) }, 'command delivery failed');
        },
      );
    }
  }

  /** The watch was removed while connected: it is now unknown, and its session is closed. */
  #watchGone(watchId: WatchId): void {
    this.#deps.known.forget(watchId);
    const session = this.#byWatch.get(watchId);
    if (session !== undefined) this.#close(session, 'removed');
  }

  #countFrames(): void {
    for (const [type, count] of this.#frameCounts) this.#metrics.frames.inc({ type }, count);
    this.#frameCounts.clear();
  }

  async #reportClone(session: WatchSession, holder: WatchSession, watchId: string): Promise<void> {
    this.#deps.logger.warn(
      { watchId, address: session.remoteAddress, holderAddress: holder.remoteAddress },
      'second live connection for a watch: possible clone',
    );
    await this.#deps.watches.setPossibleClone(watchId, true);
    await this.#deps.watches.recordSecurityEvent({
      watchId,
      deviceId: session.deviceId ?? '',
      kind: 'possibleClone',
      occurredAt: this.#deps.clock.now(),
      details: { address: session.remoteAddress, routeAddress: holder.remoteAddress },
    });
  }

  #close(session: WatchSession, reason: CloseReason): void {
    if (session.isClosed) return;
    // What was written to it before this moment goes out before the close.
    this.#outgoing.flush();
    session.isClosed = true;
    this.#metrics.closed.inc({ reason });
    if (reason !== 'shutdown' && reason !== 'idle') {
      this.#deps.logger.info(
        {
          connection: session.connectionId,
          deviceId: session.deviceId,
          address: session.remoteAddress,
          reason,
        },
        'connection closed by the gateway',
      );
    }
    session.socket.destroy();
  }

  #forget(session: WatchSession): void {
    session.isClosed = true;
    session.splitter.end(session);
    this.#registry.remove(session);
    this.#metrics.connections.dec();
    const address = session.remoteAddress;
    const count = (this.#perAddress.get(address) ?? 1) - 1;
    if (count <= 0) this.#perAddress.delete(address);
    else this.#perAddress.set(address, count);
    if (session.watchId !== undefined && this.#byWatch.get(session.watchId) === session) {
      this.#byWatch.delete(session.watchId);
    }
    if (session.watchId !== undefined && session.isRoute) {
      this.#deps.status.update(session.watchId, {
        isOnline: false,
        updatedAt: this.#deps.clock.now(),
      });
    }
    if (this.#registry.size === 0) this.#onAllForgotten?.();
  }
}

function ignoreError(): void {
  // A reset or timeout also closes the socket; 'close' does the cleanup.
}
