import type { Clock, Logger, WatchId } from '@kinwatch/core';
import type { CommandDelivery } from './command-delivery.ts';
import type { GatewayOptions } from './gateway-options.ts';
import type { SessionRegistry } from './session-registry.ts';
import type { CloseReason, WatchSession } from './session.ts';
import type { StatusBuffer } from './status-buffer.ts';

const TICK_MS = 1000;

export interface SweeperDeps {
  readonly close: (session: WatchSession, reason: CloseReason) => void;
  /** Runs at every tick, after the sessions were checked. */
  readonly afterCheck: () => void;
  /** Hears of watches that commands were stored for since the last slow tick. */
  readonly commandsFound: (watchIds: readonly WatchId[]) => void;
  readonly delivery: CommandDelivery;
  readonly status: StatusBuffer;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The one timer of the gateway. Every second it walks the sessions once: timeouts, the frame
 * rate window, frames the splitter holds back because their LENGTH promised more bytes; every
 * few seconds it writes buffered status, looks for newly stored commands and settles commands
 * that were never answered. A timer per socket would cost memory and timer churn for 19,000
 * mostly idle watches.
 */
export class Sweeper {
  readonly #registry: SessionRegistry;
  readonly #options: GatewayOptions;
  readonly #deps: SweeperDeps;
  #timer: NodeJS.Timeout | undefined;
  #ticks = 0;
  #isBusy = false;
  /** The slow part of the tick running now, if any. */
  #busy: Promise<void> | undefined;

  constructor(registry: SessionRegistry, options: GatewayOptions, deps: SweeperDeps) {
    this.#registry = registry;
    this.#options = options;
    this.#deps = deps;
  }

  start(): void {
    this.#timer = setInterval(() => {
      void this.tick();
    }, TICK_MS);
    this.#timer.unref();
  }

  /** Stops the timer; resolves when a tick still running has finished. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#busy;
  }

  /** One pass; public so tests can drive it without waiting. */
  async tick(now = Date.now()): Promise<void> {
    this.#ticks++;
    for (const session of this.#registry) this.#check(session, now);
    this.#deps.afterCheck();
    const slowEvery = Math.max(1, this.#options.statusFlushSeconds);
    if (this.#ticks % slowEvery !== 0 || this.#isBusy) return;
    this.#isBusy = true;
    this.#busy = this.#slowTick();
    await this.#busy;
  }

  async #slowTick(): Promise<void> {
    try {
      await this.#deps.status.flush();
      this.#deps.commandsFound(await this.#deps.delivery.findNewlyQueued());
      await this.#deps.delivery.sweep(this.#deps.clock.now());
    } catch (error) {
      this.#deps.logger.error({ err: String(error) }, 'gateway sweep failed');
    } finally {
      this.#isBusy = false;
      this.#busy = undefined;
    }
  }

  #check(session: WatchSession, now: number): void {
    const o = this.#options;
    const framesLastSecond = session.framesThisSecond;
    session.framesThisSecond = 0;
    let reason: CloseReason | undefined;
    if (framesLastSecond > o.maxFramesPerSecond) reason = 'flood';
    else if (now - session.lastBytesAt > o.idleTimeoutSeconds * 1000) reason = 'idle';
    else if (
      session.lastFrameAt === 0 &&
      now - session.connectedAt > o.headerTimeoutSeconds * 1000
    ) {
      reason = 'noFrame';
    } else if (
      session.partialSince !== 0 &&
      now - session.partialSince > o.partialFrameTimeoutSeconds * 1000
    ) {
      reason = 'partialFrameTimeout';
    }
    if (reason !== undefined) {
      this.#deps.close(session, reason);
      return;
    }
    if (session.splitter.isHoldingFrame) {
      session.splitter.flush(session);
      session.partialSince = session.splitter.bufferedBytes > 0 ? session.partialSince : 0;
    }
  }
}
