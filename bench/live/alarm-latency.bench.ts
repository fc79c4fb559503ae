/**
 * Alarm latency (issue 5): from a watch's SOS `AL` frame to the guardian's WebSocket stream, p99
 * under 25 ms and at most 3 times a Mosquitto QoS 1 relay of the same message measured in the
 * same run, while 10,000 simulated watches report positions. `--help` lists the options;
 * `--phases alarm,command` also measures command latency in the same set-up.
 *
 *   node --import tsx bench/live/alarm-latency.bench.ts
 */
import { runLiveLatency } from './live-latency.ts';

await runLiveLatency('alarm-latency', ['alarm']);
