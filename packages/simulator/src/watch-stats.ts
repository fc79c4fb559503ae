/**
 * Counters a fleet of simulated watches shares, and their plain-data form for adding up the
 * figures of several load processes.
 */
import {
  LatencyHistogram,
  type HistogramSnapshot,
  type LatencySummary,
} from './latency-histogram.ts';

export interface WatchStats {
  /** Watches with an open connection now (a gauge, not a total). */
  connected: number;
  framesSent: number;
  repliesReceived: number;
  /** Connections dropped and retried: closed by the server, or the `LK` reply did not come. */
  reconnects: number;
  commandsReceived: number;
  /** From the intended send time of each `LK` to its reply, in milliseconds. */
  readonly linkLatency: LatencyHistogram;
}

export interface StatsSnapshot {
  readonly connected: number;
  readonly framesSent: number;
  readonly repliesReceived: number;
  readonly reconnects: number;
  readonly commandsReceived: number;
  readonly linkLatency: HistogramSnapshot;
}

export function createWatchStats(): WatchStats {
  return {
    connected: 0,
    framesSent: 0,
    repliesReceived: 0,
    reconnects: 0,
    commandsReceived: 0,
    linkLatency: new LatencyHistogram(),
  };
}

export function snapshotStats(stats: WatchStats): StatsSnapshot {
  const { linkLatency, ...counters } = stats;
  return { ...counters, linkLatency: linkLatency.snapshot() };
}

/** Adds snapshots (one per process) into one set of figures. */
export function sumStats(snapshots: Iterable<StatsSnapshot>): WatchStats {
  const total = createWatchStats();
  for (const s of snapshots) {
    total.connected += s.connected;
    total.framesSent += s.framesSent;
    total.repliesReceived += s.repliesReceived;
    total.reconnects += s.reconnects;
    total.commandsReceived += s.commandsReceived;
    total.linkLatency.merge(s.linkLatency);
  }
  return total;
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
}

/** One line for a log: `connected 200 | sent 1400 | replies 600 | reconnects 0 | LK p50 0.41 ms...` */
export function formatStats(stats: WatchStats): string {
  const latency: LatencySummary = stats.linkLatency.summary();
  return [
    `connected ${stats.connected}`,
    `frames sent ${stats.framesSent}`,
    `replies ${stats.repliesReceived}`,
    `reconnects ${stats.reconnects}`,
    `commands ${stats.commandsReceived}`,
    `LK replies ${latency.count}: p50 ${ms(latency.p50Ms)} ms, p99 ${ms(latency.p99Ms)} ms, max ${ms(latency.maxMs)} ms`,
  ].join(' | ');
}
