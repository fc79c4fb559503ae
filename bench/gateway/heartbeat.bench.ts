/**
 * Heartbeat throughput and latency (issue 3; performance.md §5 G1 and G2): 1,000 connections
 * in a closed loop each send a keep-alive (`LK`) and wait for the reply, against the bare `raw`
 * echo server and against Kinwatch with the same ids provisioned. Rounds are interleaved, the
 * order alternating, each a warm-up then a measured window; the figures are medians of the
 * per-round ratios Kinwatch ÷ echo. Targets: round trips/s ≥ 0.70, p99 latency ≤ 2.
 * Server CPU per round trip comes from /proc/<pid>/stat over the measured window.
 *
 *   node --import tsx bench/gateway/heartbeat.bench.ts [--rounds 5] [--warmup 2] [--measure 8]
 *     [--connections 1000] [--port-base 47100] [--gate-seconds 6] [--cpu-prof]
 *
 * Ports: port-base+1 echo, +2 Kinwatch gateway, +3 Kinwatch HTTP. --cpu-prof writes V8 CPU
 * profiles of both servers to bench/results/profiles/ (the profiler slows them: no verdicts).
 */
import { join } from 'node:path';
import { CONTENDED_SHARE, runInterleaved, type InterleavedRuns } from './interleaved.ts';
import { LoadClient } from './load-clients.ts';
import type { ClosedLoopResult } from './load-messages.ts';
import {
  machineFacts,
  quietGate,
  startCpuWindow,
  waitUntilQuiet,
  type GateReading,
  type MachineFacts,
} from './proc-stats.ts';
import { REPO_ROOT, stopAllOnExit } from './processes.ts';
import {
  count,
  hasFlag,
  machineLine,
  median,
  ms,
  numericOptions,
  ratio,
  ratios,
  table,
  writeResults,
} from './report.ts';
import {
  provisionKinwatch,
  startEchoServer,
  startKinwatch,
  type ServerUnderTest,
} from './servers.ts';

const options = numericOptions({
  rounds: 5,
  warmup: 2,
  measure: 8,
  connections: 1000,
  portBase: 47100,
  gateSeconds: 6,
});
const FIRST_DEVICE_ID = 8_810_000_000;
const THROUGHPUT_TARGET = 0.7;
const P99_TARGET = 2;

interface Arm {
  readonly server: string;
  readonly gate: GateReading;
  readonly result: ClosedLoopResult;
  /** Share of one core the server used over the measured window. */
  readonly serverCpuShare: number;
  readonly serverCpuUsPerRoundTrip: number;
  readonly clientCpuShare: number;
  /** Share of the whole machine used by processes outside this benchmark. */
  readonly foreignShare: number;
}

interface Round {
  readonly echo: Arm;
  readonly kinwatch: Arm;
  readonly throughputRatio: number;
  readonly p99Ratio: number;
  readonly cpuPerRoundTripRatio: number;
}

async function measure(server: ServerUnderTest): Promise<Arm> {
  const gate = await quietGate(0.85, options.gateSeconds);
  const client = LoadClient.startHeartbeatLoop(
    server.port,
    FIRST_DEVICE_ID,
    options.connections,
    options,
  );
  try {
    await client.next('connected', 30_000);
    await client.next('measuring', (options.warmup + 10) * 1000);
    const endWindow = startCpuWindow([server.pid, client.pid]);
    const { result } = await client.next('measured', (options.measure + 10) * 1000);
    const window = endWindow();
    await client.exited(10_000);
    const serverCpu = window.byPid.get(server.pid) ?? 0;
    return {
      server: server.name,
      gate,
      result,
      serverCpuShare: serverCpu / window.seconds,
      serverCpuUsPerRoundTrip: (serverCpu / result.roundTrips) * 1e6,
      clientCpuShare: (window.byPid.get(client.pid) ?? 0) / window.seconds,
      foreignShare: window.foreignShare,
    };
  } finally {
    await client.stop();
  }
}

async function runRound(
  index: number,
  echo: ServerUnderTest,
  kinwatch: ServerUnderTest,
): Promise<Round> {
  const isEchoFirst = index % 2 === 0;
  // After its arm Kinwatch still writes the status of the watches that went offline (within
  // its 5 s flush period), on the CPU the echo server uses: wait for that before going on.
  const settle = async (server: ServerUnderTest) => {
    if (server === kinwatch) await waitUntilQuiet(kinwatch.pid, 6, 30);
  };
  const first = await measure(isEchoFirst ? echo : kinwatch);
  await settle(isEchoFirst ? echo : kinwatch);
  const second = await measure(isEchoFirst ? kinwatch : echo);
  await settle(isEchoFirst ? kinwatch : echo);
  const [e, k] = isEchoFirst ? [first, second] : [second, first];
  return {
    echo: e,
    kinwatch: k,
    throughputRatio: k.result.roundTripsPerSecond / e.result.roundTripsPerSecond,
    p99Ratio: k.result.latency.p99Us / e.result.latency.p99Us,
    cpuPerRoundTripRatio: k.serverCpuUsPerRoundTrip / e.serverCpuUsPerRoundTrip,
  };
}

const isContended = (r: Round) =>
  r.echo.foreignShare > CONTENDED_SHARE || r.kinwatch.foreignShare > CONTENDED_SHARE;

function describe(r: Round): string {
  const e = r.echo;
  const k = r.kinwatch;
  return (
    `echo ${count(e.result.roundTripsPerSecond)}/s p99 ${ms(e.result.latency.p99Us)} ms, ` +
    `Kinwatch ${count(k.result.roundTripsPerSecond)}/s p99 ${ms(k.result.latency.p99Us)} ms, ` +
    `ratios ${ratio(r.throughputRatio)} / ${ratio(r.p99Ratio)}, other load ` +
    `${Math.round(e.foreignShare * 100)} / ${Math.round(k.foreignShare * 100)} %`
  );
}

function armCells(arm: Arm): string[] {
  const r = arm.result;
  return [
    count(r.roundTripsPerSecond),
    ms(r.latency.p50Us),
    ms(r.latency.p99Us),
    arm.serverCpuUsPerRoundTrip.toFixed(1),
    `${Math.round(arm.serverCpuShare * 100)} %`,
  ];
}

function printReport(facts: MachineFacts, rounds: readonly Round[]): void {
  const rows = rounds.map((r, i) => [
    String(i + 1),
    ...armCells(r.echo),
    ...armCells(r.kinwatch),
    ratio(r.throughputRatio),
    ratio(r.p99Ratio),
    ratio(r.cpuPerRoundTripRatio),
    `${Math.round(r.echo.foreignShare * 100)} / ${Math.round(r.kinwatch.foreignShare * 100)} %${isContended(r) ? ' (contended)' : ''}`,
  ]);
  const arm = ['rt/s', 'p50 ms', 'p99 ms', 'CPU µs/rt', 'server CPU'];
  console.log(`\nMachine: ${machineLine(facts)}`);
  console.log(
    `${options.connections} connections, closed loop, ${options.warmup} s warm-up + ${options.measure} s per arm, ${rounds.length} interleaved rounds\n`,
  );
  console.log(
    table(
      [
        'round',
        ...arm.map((h) => `echo ${h}`),
        ...arm.map((h) => `Kinwatch ${h}`),
        'rt/s ratio',
        'p99 ratio',
        'CPU/rt ratio',
        'other load (echo / Kinwatch)',
      ],
      rows,
    ),
  );
  const throughput = rounds.map((r) => r.throughputRatio);
  const p99 = rounds.map((r) => r.p99Ratio);
  const cpu = rounds.map((r) => r.cpuPerRoundTripRatio);
  const verdict = (isMet: boolean) => (isMet ? 'met' : 'MISSED');
  console.log(
    '\n' +
      table(
        ['measure', 'median ratio Kinwatch ÷ echo', 'per round', 'target', 'verdict'],
        [
          [
            'round trips/s',
            ratio(median(throughput)),
            ratios(throughput),
            `≥ ${THROUGHPUT_TARGET}`,
            verdict(median(throughput) >= THROUGHPUT_TARGET),
          ],
          [
            'latency p99',
            ratio(median(p99)),
            ratios(p99),
            `≤ ${P99_TARGET}`,
            verdict(median(p99) <= P99_TARGET),
          ],
          [
            'server CPU per round trip',
            ratio(median(cpu)),
            ratios(cpu),
            '≤ 2 (performance.md G1, equivalent)',
            verdict(median(cpu) <= 2),
          ],
        ],
      ),
  );
}

async function main(): Promise<void> {
  stopAllOnExit();
  const facts = machineFacts();
  const profileDir = hasFlag('cpu-prof')
    ? join(REPO_ROOT, 'bench', 'results', 'profiles')
    : undefined;
  const setup = await provisionKinwatch(FIRST_DEVICE_ID, options.connections);
  const echo = await startEchoServer('raw', {
    port: options.portBase + 1,
    cpuProfileDir: profileDir,
  });
  const kinwatch = await startKinwatch({
    port: options.portBase + 2,
    httpPort: options.portBase + 3,
    setup,
    cpuProfileDir: profileDir,
  });
  if (profileDir !== undefined) {
    console.error(
      `CPU profiles to ${profileDir}: Kinwatch pid ${kinwatch.pid}, echo pid ${echo.pid}`,
    );
  }
  let runs: InterleavedRuns<Round>;
  try {
    runs = await runInterleaved(
      options.rounds,
      (i) => runRound(i, echo, kinwatch),
      isContended,
      describe,
      2,
    );
  } finally {
    await kinwatch.stop();
    await echo.stop();
    await setup.remove();
  }
  printReport(facts, runs.kept);
  const file = await writeResults('heartbeat', {
    facts,
    options,
    profileDir,
    rounds: runs.kept,
    discardedContendedRounds: runs.discarded,
  });
  console.log(`\nJSON: ${file}`);
}

await main();
