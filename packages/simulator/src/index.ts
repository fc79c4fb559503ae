/**
 * @kinwatch/simulator: simulated 3G-protocol kids' watches over real TCP, for tests, the demo
 * and load generation. One watch (`SimulatedWatch`), many in one process on one timer
 * (`Fleet`), or many over several processes (`runLoad`, loopback only).
 */
export { SimulatedWatch } from './simulated-watch.ts';
export { preciseNow } from './watch-options.ts';
export type {
  SimulatedWatchEvents,
  SimulatedWatchOptions,
  WatchMisbehaviour,
  WatchScheduler,
} from './watch-options.ts';
export type { WatchCommand, WatchReply } from './downlink-reader.ts';
export { SIMULATED_FIRMWARE } from './firmware-ack.ts';
export { Fleet, isLoopbackHost, loopbackSources, DEFAULT_FIRST_DEVICE_ID } from './fleet.ts';
export type { FleetOptions, WatchTemplate } from './fleet.ts';
export { MAX_WATCHES_PER_PROCESS, planLoad, runLoad } from './load.ts';
export type { LoadOptions } from './load.ts';
export { DEMO_ROUTES, demoRoute, positionAt, routeLengthMeters, withGpsNoise } from './route.ts';
export type { Route, RoutePosition, Waypoint } from './route.ts';
export type { ReportMode } from './watch-report.ts';
export { amrClip, tinyJpeg } from './media-samples.ts';
export { createRandom } from './seeded-random.ts';
export type { Random } from './seeded-random.ts';
export { LatencyHistogram } from './latency-histogram.ts';
export type { LatencySummary } from './latency-histogram.ts';
export { createWatchStats, formatStats, snapshotStats, sumStats } from './watch-stats.ts';
export type { StatsSnapshot, WatchStats } from './watch-stats.ts';
