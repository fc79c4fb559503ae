/**
 * Reconnect storm (issue 3; performance.md §5 G7): 19,000 watches are connected and answered;
 * then all of them drop their connection at once (RST, as when a carrier link resets) and
 * reconnect straight away, at most 2,000 connects in flight, each sending a keep-alive. The
 * storm time runs from the order to drop until the last watch has its first reply back.
 * Kinwatch (ids provisioned) against the bare `reg` echo server; each server keeps its own
 * fleet (two load processes: the fd limit) connected for the whole run, and the storms are
 * interleaved, the order alternating. Figure: the median of per-round ratios Kinwatch ÷ echo.
 * Target: ≤ 2. Also recorded: the first connect of the fleet, when the server's CPU went quiet
 * again (Kinwatch's database work after the replies), retries, listen-queue overflows.
 *
 * A storm not answered within --deadline seconds is cut there: its time is recorded as the
 * deadline, a lower bound, and marked. This keeps the run bounded when the server is slow.
 *
 *   node --import tsx bench/gateway/reconnect-storm.bench.ts [--watches 19000] [--rounds 3]
 *     [--deadline 45] [--settle 30] [--port-base 47300] [--gate-seconds 10] [--cpu-prof]
 *
 * Ports: port-base+1 echo, +2 Kinwatch gateway, +3 Kinwatch HTTP.
 */
import { join } from 'node:path';
import { FleetGroup, type FleetTotals } from './fleet-group.ts';
import { CONTENDED_SHARE, runInterleaved, type InterleavedRuns } from './interleaved.ts';
import {
  listenOverflows,
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
  watches: 19_000,
  rounds: 3,
  deadline: 45,
  settle: 30,
  portBase: 47300,
  gateSeconds: 10,
});
const FIRST_DEVICE_ID = 8_830_000_000;
const TARGET = 2;
const CLONE_LOG = /possible clone/;

interface Target {
  readonly server: ServerUnderTest;
  readonly fleet: FleetGroup;
}

interface Storm {
  readonly server: string;
  readonly gate: GateReading;
  readonly totals: FleetTotals;
  /** From the order to drop until every watch was answered again (the deadline if not). */
  readonly answeredSeconds: number;
  /** Whether some watches were still unanswered at the deadline. */
  readonly isCut: boolean;
  /** ... until the last TCP connect completed. */
  readonly connectedSeconds: number;
  /** ... until the server's CPU went quiet (its work for the storm done), ± 0.25 s. */
  readonly settledSeconds: number;
  /** Share of one core the server used until every watch was answered. */
  readonly serverCpuShare: number;
  readonly foreignShare: number;
  readonly cloneWarnings: number;
  /** Connects the kernel dropped on a full listen queue during the storm (machine-wide). */
  readonly listenOverflows: number;
}

interface Round {
  readonly echo: Storm;
  readonly kinwatch: Storm;
  readonly ratio: number;
}

const secondsBetween = (from: bigint, to: bigint) => Number(to - from) / 1e9;

/** Drops and reconnects the target's whole fleet once. `order` is 'connect' for the first time. */
async function storm(target: Target, order: 'connect' | 'storm'): Promise<Storm> {
  const { server, fleet } = target;
  const gate =
    order === 'storm'
      ? await quietGate(0.85, options.gateSeconds)
      : { idle: 0, waitedSeconds: 0, isQuiet: false };
  const clonesBefore = server.countLog(CLONE_LOG);
  const overflowsBefore = listenOverflows();
  const endWindow = startCpuWindow([server.pid, ...fleet.pids]);
  const startedAt = process.hrtime.bigint();
  const totals = await fleet.order(order);
  const window = endWindow();
  const overflows = listenOverflows() - overflowsBefore;
  const isCut = totals.answered < options.watches;
  const settledAt = await waitUntilQuiet(server.pid, 6, options.settle);
  return {
    server: server.name,
    gate,
    totals,
    answeredSeconds: isCut ? options.deadline : secondsBetween(startedAt, totals.lastAnsweredAtNs),
    isCut,
    connectedSeconds: secondsBetween(startedAt, totals.lastConnectedAtNs),
    settledSeconds: Math.max(0, secondsBetween(startedAt, settledAt)),
    serverCpuShare: (window.byPid.get(server.pid) ?? 0) / window.seconds,
    foreignShare: window.foreignShare,
    cloneWarnings: server.countLog(CLONE_LOG) - clonesBefore,
    listenOverflows: overflows,
  };
}

const isContended = (r: Round) =>
  r.echo.foreignShare > CONTENDED_SHARE || r.kinwatch.foreignShare > CONTENDED_SHARE;

const time = (s: Storm) => `${s.isCut ? '≥ ' : ''}${s.answeredSeconds.toFixed(2)} s`;

function describe(r: Round): string {
  return (
    `echo ${time(r.echo)}, Kinwatch ${time(r.kinwatch)} ` +
    `(CPU quiet after ${r.kinwatch.settledSeconds.toFixed(1)} s), ratio ${ratio(r.ratio)}, other load ` +
    `${Math.round(r.echo.foreignShare * 100)} / ${Math.round(r.kinwatch.foreignShare * 100)} %`
  );
}

function stormCells(s: Storm): string[] {
  return [
    time(s),
    s.settledSeconds.toFixed(1),
    `${count(s.totals.answered)}${s.totals.failed > 0 ? ` (${s.totals.failed} failed)` : ''}`,
    count(s.totals.retries),
    count(s.listenOverflows),
  ];
}

function printReport(
  facts: MachineFacts,
  initial: readonly Storm[],
  rounds: readonly Round[],
  counters: Record<string, number>,
): void {
  console.log(`\nMachine: ${machineLine(facts)}`);
  console.log(
    `${count(options.watches)} watches drop and reconnect at once, ≤ 2,000 connects in flight, ${rounds.length} interleaved rounds, deadline ${options.deadline} s\n`,
  );
  const arm = ['all answered', 'CPU quiet s', 'answered', 'retries', 'listen overflows'];
  const rows = rounds.map((r, i) => [
    String(i + 1),
    ...stormCells(r.echo),
    ...stormCells(r.kinwatch),
    `${r.kinwatch.isCut ? '≥ ' : ''}${ratio(r.ratio)}`,
    count(r.kinwatch.cloneWarnings),
    `${Math.round(r.echo.foreignShare * 100)} / ${Math.round(r.kinwatch.foreignShare * 100)} %${isContended(r) ? ' (contended)' : ''}`,
  ]);
  const [echoFirst, kinwatchFirst] = initial as [Storm, Storm];
  rows.unshift([
    'first connect',
    ...stormCells(echoFirst),
    ...stormCells(kinwatchFirst),
    `${kinwatchFirst.isCut ? '≥ ' : ''}${ratio(kinwatchFirst.answeredSeconds / echoFirst.answeredSeconds)}`,
    count(kinwatchFirst.cloneWarnings),
    '',
  ]);
  console.log(
    table(
      [
        'round',
        ...arm.map((h) => `echo ${h}`),
        ...arm.map((h) => `Kinwatch ${h}`),
        'ratio',
        'Kinwatch clone warnings',
        'other load (echo / Kinwatch)',
      ],
      rows,
    ),
  );
  const values = rounds.map((r) => r.ratio);
  const isCut = rounds.some((r) => r.kinwatch.isCut);
  console.log(
    '\n' +
      table(
        ['measure', 'median ratio Kinwatch ÷ echo', 'per round', 'target', 'verdict'],
        [
          [
            'time until all answered again',
            `${isCut ? '≥ ' : ''}${ratio(median(values))}`,
            ratios(values),
            `≤ ${TARGET}`,
            median(values) <= TARGET ? 'met' : 'MISSED',
          ],
        ],
      ),
  );
  const closes = Object.entries(counters).map(([name, value]) => `${name} ${value}`);
  console.log(`\nKinwatch's own counters at the end: ${closes.join(', ') || 'none'}`);
}

async function main(): Promise<void> {
  stopAllOnExit();
  const facts = machineFacts();
  const profileDir = hasFlag('cpu-prof')
    ? join(REPO_ROOT, 'bench', 'results', 'profiles')
    : undefined;
  const setup = await provisionKinwatch(FIRST_DEVICE_ID, options.watches);
  const base = options.portBase;
  const fleetFor = (server: ServerUnderTest): Target => ({
    server,
    fleet: new FleetGroup({
      port: server.port,
      firstDeviceId: FIRST_DEVICE_ID,
      watches: options.watches,
      processes: 2,
      maxConnectsInFlight: 2000,
      deadlineSeconds: options.deadline,
      releaseOn: 'connect',
    }),
  });
  const echo = fleetFor(
    await startEchoServer('reg', { port: base + 1, cpuProfileDir: profileDir }),
  );
  const kinwatch = fleetFor(
    await startKinwatch({ port: base + 2, httpPort: base + 3, setup, cpuProfileDir: profileDir }),
  );
  if (profileDir !== undefined) {
    console.error(
      `CPU profiles to ${profileDir}: Kinwatch pid ${kinwatch.server.pid}, echo pid ${echo.server.pid}`,
    );
  }
  const initial: Storm[] = [];
  let runs: InterleavedRuns<Round>;
  let counters: Record<string, number>;
  try {
    initial.push(await storm(echo, 'connect'), await storm(kinwatch, 'connect'));
    console.error(
      `first connect: echo ${time(initial[0] as Storm)}, Kinwatch ${time(initial[1] as Storm)}`,
    );
    runs = await runInterleaved(
      options.rounds,
      async (i) => {
        const isEchoFirst = i % 2 === 0;
        const first = await storm(isEchoFirst ? echo : kinwatch, 'storm');
        const second = await storm(isEchoFirst ? kinwatch : echo, 'storm');
        const [e, k] = isEchoFirst ? [first, second] : [second, first];
        return { echo: e, kinwatch: k, ratio: k.answeredSeconds / e.answeredSeconds };
      },
      isContended,
      describe,
      // A Kinwatch storm arm can take the whole deadline: no re-runs, contended rounds are marked.
      0,
    );
    counters = await kinwatch.server.connectionCounters();
  } finally {
    await Promise.all([echo.fleet.close(), kinwatch.fleet.close()]);
    await kinwatch.server.stop();
    await echo.server.stop();
    await setup.remove();
  }
  printReport(facts, initial, runs.kept, counters);
  const file = await writeResults('reconnect-storm', {
    facts,
    options,
    profileDir,
    initial,
    kinwatchCounters: counters,
    rounds: runs.kept,
    discardedContendedRounds: runs.discarded,
  });
  console.log(`\nJSON: ${file}`);
}

await main();
