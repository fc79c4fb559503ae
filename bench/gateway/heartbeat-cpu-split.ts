/**
 * Where a heartbeat round trip's server CPU goes, user space against kernel: the heartbeat
 * load of heartbeat.bench.ts (1,000 watches in a closed loop), in arms that alternate between
 * the bare echo server and Kinwatch, both running for the whole script. For each arm it prints
 * round trips per second, and the server's user and system CPU per round trip from
 * /proc/<pid>/stat over the measured window. A diagnostic for G1, with no verdict: the verdicts
 * are heartbeat.bench.ts's.
 *
 *   node --import tsx bench/gateway/heartbeat-cpu-split.ts [--pairs 3] [--warmup 2]
 *     [--measure 8] [--perf]
 *
 * --perf records `perf record -F 999 -g` of each server during the measured window of the
 * second pair, to bench/results/profiles/perf.{echo,kinwatch}.data (needs `perf` and the
 * right to profile the servers; read them with `perf report -i FILE`).
 * Ports: 47201 echo, 47202 Kinwatch gateway, 47203 Kinwatch HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LoadClient } from './load-clients.ts';
import { cpuTimes, waitUntilQuiet } from './proc-stats.ts';
import { REPO_ROOT, stopAllOnExit, waitForExit } from './processes.ts';
import { count, hasFlag, numericOptions, table } from './report.ts';
import {
  provisionKinwatch,
  startEchoServer,
  startKinwatch,
  type ServerUnderTest,
} from './servers.ts';

const options = numericOptions({ pairs: 3, warmup: 2, measure: 8 });
const FIRST_DEVICE_ID = 8_810_000_000;
const CONNECTIONS = 1000;
const PERF_DIR = join(REPO_ROOT, 'bench', 'results', 'profiles');

function startPerf(server: ServerUnderTest, seconds: number): ChildProcess {
  mkdirSync(PERF_DIR, { recursive: true });
  const name = server.name === 'Kinwatch' ? 'kinwatch' : 'echo';
  const output = join(PERF_DIR, `perf.${name}.data`);
  const args = ['record', '-F', '999', '-g', '-p', String(server.pid), '-o', output];
  return spawn('perf', [...args, '--', 'sleep', String(seconds)], { stdio: 'ignore' });
}

async function runArm(server: ServerUnderTest, isProfiled: boolean): Promise<string[]> {
  const client = LoadClient.startHeartbeatLoop(server.port, FIRST_DEVICE_ID, CONNECTIONS, options);
  try {
    await client.next('connected', 30_000);
    await client.next('measuring', (options.warmup + 10) * 1000);
    const perf = isProfiled ? startPerf(server, options.measure - 1) : undefined;
    const before = cpuTimes(server.pid);
    const { result } = await client.next('measured', (options.measure + 10) * 1000);
    const after = cpuTimes(server.pid);
    await client.exited(10_000);
    if (perf !== undefined) await waitForExit(perf, 30_000);
    const perRoundTrip = (seconds: number) => ((seconds / result.roundTrips) * 1e6).toFixed(1);
    return [
      server.name,
      count(result.roundTripsPerSecond),
      perRoundTrip(after.user - before.user),
      perRoundTrip(after.system - before.system),
      perRoundTrip(after.user - before.user + after.system - before.system),
    ];
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  stopAllOnExit();
  const setup = await provisionKinwatch(FIRST_DEVICE_ID, CONNECTIONS);
  const echo = await startEchoServer('raw', { port: 47201 });
  const kinwatch = await startKinwatch({ port: 47202, httpPort: 47203, setup });
  const rows: string[][] = [];
  try {
    for (let pair = 1; pair <= options.pairs; pair++) {
      for (const server of [echo, kinwatch]) {
        const row = await runArm(server, hasFlag('perf') && pair === 2);
        rows.push([String(pair), ...row]);
        console.error(`pair ${pair}: ${row.join(', ')}`);
        // Kinwatch writes the status of the watches that went offline within 5 s.
        if (server === kinwatch) await waitUntilQuiet(kinwatch.pid, 6, 30);
      }
    }
  } finally {
    await kinwatch.stop();
    await echo.stop();
    await setup.remove();
  }
  console.log(
    `\n${CONNECTIONS} connections, closed loop, ${options.warmup} s warm-up + ${options.measure} s per arm\n`,
  );
  console.log(table(['pair', 'server', 'rt/s', 'user µs/rt', 'system µs/rt', 'total µs/rt'], rows));
}

await main();
