/**
 * Command latency (issue 5): from `POST /api/v1/watches/{watchId}/locate` to the command bytes
 * on the watch's socket, p99 under 25 ms while 10,000 simulated watches report positions.
 * `--help` lists the options; `--phases alarm,command` also measures alarm latency in the same
 * set-up.
 *
 *   node --import tsx bench/live/command-latency.bench.ts
 */
import { runLiveLatency } from './live-latency.ts';

await runLiveLatency('command-latency', ['command']);
