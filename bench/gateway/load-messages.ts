/** What the benchmark orchestrators and `load-client.ts` say to each other over IPC. */

interface TaskBase {
  /** Always 127.0.0.1; kept explicit so that a reader sees the load stays on loopback. */
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Connection i speaks for device id `firstDeviceId + i`. */
  readonly firstDeviceId: number;
  /** Local addresses to bind, used in turn (127.0.0.2 .. 127.0.0.20). */
  readonly sources: readonly string[];
  readonly maxConnectsInFlight: number;
}

/** Each connection sends a keep-alive, waits for the reply, and sends again. */
export interface ClosedLoopTask extends TaskBase {
  readonly kind: 'closedLoop';
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly measureSeconds: number;
}

/** Watches that connect, send one keep-alive, get the reply and stay idle until told. */
export interface FleetTask extends TaskBase {
  readonly kind: 'fleet';
  readonly watches: number;
  /** A connect or reconnect round gives up after this long. */
  readonly deadlineSeconds: number;
  /** Pause before a watch retries a failed connection. */
  readonly retryDelayMs: number;
  /**
   * When a connect stops counting as in flight: once TCP connected (a storm: the server's
   * listen queue takes the excess), or once the keep-alive is answered (a gentle ramp that never
   * has more unanswered watches than `maxConnectsInFlight`).
   */
  readonly releaseOn: 'connect' | 'reply';
}

export type LoadTask = ClosedLoopTask | FleetTask;

/** Orders to a fleet: connect everyone, drop and reconnect everyone, or close and exit. */
export type FleetOrder = 'connect' | 'storm' | 'close';

export interface LatencySummary {
  readonly count: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
}

export interface ClosedLoopResult {
  readonly roundTrips: number;
  readonly seconds: number;
  readonly roundTripsPerSecond: number;
  readonly latency: LatencySummary;
  /** Connections the server closed during the run. */
  readonly closedByServer: number;
}

export interface FleetReport {
  readonly order: FleetOrder;
  readonly watches: number;
  /** Watches whose keep-alive was answered in this round. */
  readonly answered: number;
  readonly failed: number;
  readonly retries: number;
  /** Connections the server closed after answering, since the last report. */
  readonly closedByServer: number;
  /** process.hrtime.bigint() (CLOCK_MONOTONIC, comparable across processes) as a string. */
  readonly startedAtNs: string;
  readonly lastConnectedAtNs: string;
  readonly lastAnsweredAtNs: string;
}

export type ClientMessage =
  | { readonly type: 'connected'; readonly connections: number }
  | { readonly type: 'measuring' }
  | { readonly type: 'measured'; readonly result: ClosedLoopResult }
  | { readonly type: 'fleet'; readonly report: FleetReport }
  | { readonly type: 'failed'; readonly message: string };

/** The keep-alive a watch sends: steps 50, tumbles 100, battery 100 (a captured 3G frame). */
export function keepAliveFrame(deviceId: number): Buffer {
  return Buffer.from(`[3G*${deviceId}*000D*LK,50,100,100]`, 'latin1');
}

/** 127.0.0.2 .. 127.0.0.(1 + count). */
export function loopbackSources(count = 19): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.0.${2 + i}`);
}
