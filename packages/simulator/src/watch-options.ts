/**
 * Options of a simulated watch, with the defaults that make it behave like a typical kids'
 * watch (reference §8): `LK` every 5 minutes, a report a minute while walking, alarms resent
 * every 10 s, a 3-minute burst of reports after a locate-now.
 */
import { DEMO_ROUTES, type Route } from './route.ts';
import type { ConnectGate } from './connect-gate.ts';
import type { WatchCommand, WatchReply } from './downlink-reader.ts';
import type { AckMisbehaviour } from './firmware-ack.ts';
import type { WatchStats } from './watch-stats.ts';
import type { ReportMode } from './watch-report.ts';
import type { WireMisbehaviour } from './wire-writer.ts';

/** What a simulated watch tells its listeners. */
export interface SimulatedWatchEvents {
  connected: [];
  disconnected: [reason: string];
  reply: [reply: WatchReply];
  command: [command: WatchCommand];
  /** The server put text on the screen (`showText`). */
  screenText: [text: string];
}

/** Ways to misbehave on purpose, each off by default. */
export interface WatchMisbehaviour extends WireMisbehaviour, AckMisbehaviour {}

/** Wakes a watch at the moment it asks for (fleet mode: one timer for every watch). */
export interface WatchScheduler<W = unknown> {
  /** Replaces any earlier wake-up of `watch`; `dueMs` is on the watch's clock. */
  schedule(watch: W, dueMs: number): void;
  cancel(watch: W): void;
  /** When work due at `dueMs` is meant to run (a tick boundary); latency is measured from it. */
  dispatchTimeOf?(dueMs: number): number;
}

export interface SimulatedWatchOptions {
  readonly host: string;
  readonly port: number;
  /** 5 to 20 digits; 10 is usual (`8800000015`). */
  readonly deviceId: string;
  /** Vendor code of every frame. Default `3G`. */
  readonly vendor?: string;
  /** Source address to bind (spreads load over 127.0.0.2, 127.0.0.3...). */
  readonly localAddress?: string;
  /** Seconds between `UD` reports while walking; `setUploadInterval` changes it. Default 60. */
  readonly uploadIntervalSeconds?: number;
  /** Seconds between `LK` frames. Default 300. */
  readonly heartbeatSeconds?: number;
  /** Default: the first demo route. */
  readonly route?: Route;
  /** Default 4.5 km/h, a child's walk. */
  readonly walkingSpeedKmh?: number;
  /** Where on its route the walk starts, in seconds of walking. Default 0. */
  readonly routeOffsetSeconds?: number;
  /** Default `mix`. */
  readonly reportMode?: ReportMode;
  readonly misbehaviour?: WatchMisbehaviour;
  /** Seconds to wait for the connect plus the `LK` reply before reconnecting. Default 30. */
  readonly linkTimeoutSeconds?: number;
  /** Reconnect backoff: doubles per failure from min to max seconds, with jitter. Default 1..60. */
  readonly reconnectMinSeconds?: number;
  readonly reconnectMaxSeconds?: number;
  /** Alarm resend interval (seconds) and attempts before giving up. Default 10 s, 5. */
  readonly alarmRetrySeconds?: number;
  readonly alarmMaxAttempts?: number;
  /** After `locateNow`: a report every interval, count times. Default 10 s x 18 (PR #4545). */
  readonly locateBurstIntervalSeconds?: number;
  readonly locateBurstCount?: number;
  /** Seconds from `locateNow` to the first burst report: the time to get a fix. Default 0. */
  readonly locateFirstFixSeconds?: number;
  /** Send `TKQ` (pending voice?) after the first `LK` reply of each connection. Default true. */
  readonly queriesVoiceOnConnect?: boolean;
  /** Seed of the watch's own random stream (GPS noise, report sources, jitter). Default 1. */
  readonly seed?: number;
  /** Milliseconds since the epoch; device times in frames come from it. */
  readonly clock?: () => number;
  /** Fleet mode: who wakes the watch. Without one, the watch keeps one timer of its own. */
  readonly scheduler?: WatchScheduler;
  /** Fleet mode: bounds connects in flight across watches. */
  readonly connectGate?: ConnectGate;
  /** Fleet mode: counters shared by every watch. */
  readonly stats?: WatchStats;
}

/** Options with every default applied (hooks that have no default stay optional). */
export type ResolvedWatchOptions = Required<
  Omit<SimulatedWatchOptions, 'localAddress' | 'scheduler' | 'connectGate' | 'stats'>
> &
  Pick<SimulatedWatchOptions, 'localAddress' | 'scheduler' | 'connectGate' | 'stats'>;

/** Wall-clock milliseconds with sub-millisecond resolution, for latencies under 1 ms. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

export function resolveWatchOptions(options: SimulatedWatchOptions): ResolvedWatchOptions {
  if (!/^[0-9]{5,20}$/.test(options.deviceId)) {
    throw new RangeError(`device id ${options.deviceId} is not 5 to 20 digits`);
  }
  return {
    vendor: '3G',
    uploadIntervalSeconds: 60,
    heartbeatSeconds: 300,
    route: DEMO_ROUTES[0] as Route,
    walkingSpeedKmh: 4.5,
    routeOffsetSeconds: 0,
    reportMode: 'mix',
    misbehaviour: {},
    linkTimeoutSeconds: 30,
    reconnectMinSeconds: 1,
    reconnectMaxSeconds: 60,
    alarmRetrySeconds: 10,
    alarmMaxAttempts: 5,
    locateBurstIntervalSeconds: 10,
    locateBurstCount: 18,
    locateFirstFixSeconds: 0,
    queriesVoiceOnConnect: true,
    seed: 1,
    clock: preciseNow,
    ...withoutUndefined(options),
    host: options.host,
    port: options.port,
    deviceId: options.deviceId,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
