/**
 * Many simulated watches in one process, driven by one timer wheel (10 ms ticks) instead of a
 * timer per watch. Connections are spread over loopback source addresses so that a big fleet
 * does not run out of ephemeral ports (about 28,000 per source and destination pair), connects
 * in flight are bounded, and every watch starts at a random phase from a seeded generator, so
 * a run can be repeated.
 */
import { DEMO_ROUTES, type Route } from './route.ts';
import { createConnectGate } from './connect-gate.ts';
import { createRandom, type Random } from './seeded-random.ts';
import { SimulatedWatch } from './simulated-watch.ts';
import { TimerWheel } from './timer-wheel.ts';
import { preciseNow, type SimulatedWatchOptions, type WatchScheduler } from './watch-options.ts';
import { createWatchStats, type WatchStats } from './watch-stats.ts';

/** Per-watch settings a fleet shares; plain data, so they can be sent to a load process. */
export type WatchTemplate = Omit<
  SimulatedWatchOptions,
  | 'host'
  | 'port'
  | 'deviceId'
  | 'localAddress'
  | 'seed'
  | 'clock'
  | 'scheduler'
  | 'connectGate'
  | 'stats'
  | 'routeOffsetSeconds'
>;

export interface FleetOptions {
  readonly host: string;
  readonly port: number;
  readonly watches: number;
  /** Watch i gets the id `firstDeviceId + i` (10 digits by default). Default 9900000000. */
  readonly firstDeviceId?: number;
  /** Source addresses to bind, used in turn. Default 127.0.0.2 .. 127.0.0.20 for a 127.x host. */
  readonly sourceAddresses?: readonly string[];
  /** Default 2000: more SYNs at once overflow the backlog and retransmits fake the latency. */
  readonly maxConnectsInFlight?: number;
  /** First connects are spread at random over this many seconds. Default watches / 2000. */
  readonly rampSeconds?: number;
  /** Seed of every random choice in the fleet. Default 1. */
  readonly seed?: number;
  /** Routes handed out in turn. Default the demo routes. */
  readonly routes?: readonly Route[];
  readonly watch?: WatchTemplate;
}

export const DEFAULT_FIRST_DEVICE_ID = 9_900_000_000;
const MAX_TEN_DIGIT_ID = 9_999_999_999;

/** 127.0.0.2 .. 127.0.0.20: 19 source addresses, as the performance harness uses. */
export function loopbackSources(count = 19): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.0.${2 + i}`);
}

/** Whether `host` is an IPv4 literal in 127.0.0.0/8. */
export function isLoopbackHost(host: string): boolean {
  const parts = host.split('.');
  return (
    parts.length === 4 &&
    parts[0] === '127' &&
    parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
  );
}

export class Fleet {
  /** Counters shared by every watch of the fleet, updated live. */
  readonly stats: WatchStats = createWatchStats();
  readonly watches: readonly SimulatedWatch[];
  readonly #wheel: TimerWheel<SimulatedWatch>;
  readonly #startDelays: number[];
  #isStarted = false;

  /** Throws RangeError for a count below 1 or ids past 10 digits. */
  constructor(options: FleetOptions) {
    const count = options.watches;
    const firstId = options.firstDeviceId ?? DEFAULT_FIRST_DEVICE_ID;
    if (!(Number.isInteger(count) && count >= 1)) {
      throw new RangeError('a fleet needs 1 or more watches');
    }
    if (firstId + count - 1 > MAX_TEN_DIGIT_ID) {
      throw new RangeError('device ids would pass 10 digits');
    }
    const wheel = new TimerWheel<SimulatedWatch>(
      (watch, now) => {
        watch.tick(now);
      },
      { clock: preciseNow },
    );
    this.#wheel = wheel;
    const random = createRandom(options.seed ?? 1);
    const rampSeconds = options.rampSeconds ?? count / 2000;
    this.#startDelays = Array.from({ length: count }, () => random.next() * rampSeconds);
    this.watches = this.#createWatches(options, firstId, random);
  }

  #createWatches(options: FleetOptions, firstId: number, random: Random): SimulatedWatch[] {
    const wheel = this.#wheel;
    const scheduler: WatchScheduler = {
      schedule: (watch, dueMs) => {
        wheel.schedule(watch as SimulatedWatch, dueMs);
      },
      cancel: (watch) => {
        wheel.cancel(watch as SimulatedWatch);
      },
      dispatchTimeOf: (dueMs) => wheel.dispatchTimeOf(dueMs),
    };
    const sources =
      options.sourceAddresses ?? (isLoopbackHost(options.host) ? loopbackSources() : []);
    const routes = options.routes ?? DEMO_ROUTES;
    const connectGate = createConnectGate(options.maxConnectsInFlight ?? 2000);
    return Array.from({ length: options.watches }, (_, i) => {
      return new SimulatedWatch({
        ...options.watch,
        host: options.host,
        port: options.port,
        deviceId: String(firstId + i).padStart(10, '0'),
        localAddress: sources.length === 0 ? undefined : sources[i % sources.length],
        route: options.watch?.route ?? routes[i % routes.length],
        routeOffsetSeconds: random.between(0, 3600),
        seed: Math.floor(random.next() * 2 ** 32),
        clock: preciseNow,
        scheduler,
        connectGate,
        stats: this.stats,
      });
    });
  }

  /** Starts the timer and every watch (each after its random delay within the ramp). */
  start(): void {
    if (this.#isStarted) return;
    this.#isStarted = true;
    this.#wheel.start();
    this.watches.forEach((watch, i) => {
      watch.start(this.#startDelays[i]);
    });
  }

  /**
   * Resolves once `condition` holds (checked every 20 ms), or rejects after `timeoutMs`.
   * For tests and the CLI: e.g. `fleet.waitUntil((s) => s.connected === fleet.watches.length)`.
   */
  waitUntil(condition: (stats: WatchStats) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      const check = setInterval(() => {
        if (condition(this.stats)) {
          clearInterval(check);
          resolve();
        } else if (Date.now() > deadline) {
          clearInterval(check);
          reject(new Error(`fleet condition not met within ${timeoutMs} ms`));
        }
      }, 20);
    });
  }

  /** Stops the timer and closes every connection cleanly. */
  async stop(): Promise<void> {
    this.#wheel.stop();
    await Promise.all(this.watches.map((watch) => watch.stop()));
  }
}
