/**
 * Memory per idle registered watch (issue 3; performance.md §5 G3): 19,000 watches each send
 * one keep-alive, get the reply and stay connected, in ONE Kinwatch process (ids provisioned)
 * and, at the same time, in one bare `reg` echo server. Each round starts both servers fresh,
 * warms them with a few connections, takes a full GC and the "before" VmRSS, connects the
 * fleets (two load processes per server: the fd limit), holds them, then reads VmRSS again,
 * and again after a full GC. RSS per connection = (after - before) / watches. Target: Kinwatch
 * ≤ 2x the echo's, median of per-round ratios.
 *
 * Neither server exposes a GC: both run with `--inspect-port` and the GC is asked for through
 * the inspector (inspector-gc.ts), opened before the "before" reading so that it is in both.
 *
 *   node --import tsx bench/gateway/idle-memory.bench.ts [--watches 19000] [--rounds 3]
 *     [--hold 30] [--port-base 47200] [--gate-seconds 10]
 *
 * Ports: port-base+1 echo, +2 its inspector, +3 Kinwatch gateway, +4 HTTP, +5 its inspector.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FleetGroup, type FleetTotals } from './fleet-group.ts';
import { collectGarbage, type MemoryAfterGc } from './inspector-gc.ts';
import {
  machineFacts,
  quietGate,
  residentBytes,
  waitUntilQuiet,
  type GateReading,
  type MachineFacts,
} from './proc-stats.ts';
import { stopAllOnExit } from './processes.ts';
import {
  count,
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
  type KinwatchSetup,
  type ServerUnderTest,
} from './servers.ts';

const options = numericOptions({
  watches: 19_000,
  rounds: 3,
  hold: 30,
  portBase: 47200,
  gateSeconds: 10,
});
const FIRST_DEVICE_ID = 8_820_000_000;
const WARM_UP_WATCHES = 20;
const TARGET = 2;

interface Reading {
  readonly server: string;
  readonly before: MemoryAfterGc;
  readonly beforeRss: number;
  readonly connect: FleetTotals;
  readonly connectSeconds: number;
  /** VmRSS every 5 s of the hold. */
  readonly holdRss: number[];
  readonly afterHoldRss: number;
  readonly afterGc: MemoryAfterGc;
  readonly afterGcRss: number;
  readonly serverCountedConnections: number;
  readonly rssPerConnection: number;
  readonly rssPerConnectionAfterGc: number;
  readonly heapPerConnection: number;
}

interface Round {
  readonly gate: GateReading;
  readonly echo: Reading;
  readonly kinwatch: Reading;
  readonly ratio: number;
  readonly ratioAfterGc: number;
}

interface Target {
  readonly server: ServerUnderTest;
  readonly inspectPort: number;
  readonly firstDeviceId: number;
}

/** A few connections first, so one-off work (code compiled, statements prepared) is in "before". */
async function warmUp(target: Target): Promise<void> {
  const fleet = new FleetGroup({
    port: target.server.port,
    firstDeviceId: target.firstDeviceId + options.watches,
    watches: WARM_UP_WATCHES,
    processes: 1,
    maxConnectsInFlight: WARM_UP_WATCHES,
    deadlineSeconds: 30,
    releaseOn: 'reply',
  });
  await fleet.order('connect');
  await fleet.close();
  await waitUntilQuiet(target.server.pid, 6, 30);
}

async function startBoth(setup: KinwatchSetup): Promise<[Target, Target]> {
  const base = options.portBase;
  const [echo, kinwatch] = await Promise.all([
    startEchoServer('reg', { port: base + 1, inspectPort: base + 2 }),
    startKinwatch({ port: base + 3, httpPort: base + 4, inspectPort: base + 5, setup }),
  ]);
  return [
    { server: echo, inspectPort: base + 2, firstDeviceId: FIRST_DEVICE_ID },
    { server: kinwatch, inspectPort: base + 5, firstDeviceId: FIRST_DEVICE_ID },
  ];
}

async function holdAndRead(
  targets: readonly Target[],
  befores: readonly { before: MemoryAfterGc; beforeRss: number }[],
  connects: readonly { totals: FleetTotals; seconds: number }[],
): Promise<Reading[]> {
  const holdRss: number[][] = targets.map(() => []);
  for (let second = 0; second < options.hold; second += 5) {
    await sleep(Math.min(5, options.hold - second) * 1000);
    targets.forEach((t, i) => holdRss[i]?.push(residentBytes(t.server.pid)));
  }
  const afterHoldRss = targets.map((t) => residentBytes(t.server.pid));
  const counted = await Promise.all(targets.map((t) => t.server.connectionCount()));
  const readings: Reading[] = [];
  for (const [i, target] of targets.entries()) {
    const afterGc = await collectGarbage(target.server.pid, target.inspectPort);
    const afterGcRss = residentBytes(target.server.pid);
    const { before, beforeRss } = befores[i] as { before: MemoryAfterGc; beforeRss: number };
    const hold = afterHoldRss[i] as number;
    readings.push({
      server: target.server.name,
      before,
      beforeRss,
      connect: connects[i]?.totals as FleetTotals,
      connectSeconds: connects[i]?.seconds ?? 0,
      holdRss: holdRss[i] ?? [],
      afterHoldRss: hold,
      afterGc,
      afterGcRss,
      serverCountedConnections: counted[i] ?? -1,
      rssPerConnection: (hold - beforeRss) / options.watches,
      rssPerConnectionAfterGc: (afterGcRss - beforeRss) / options.watches,
      heapPerConnection: (afterGc.heapUsed - before.heapUsed) / options.watches,
    });
  }
  return readings;
}

async function connectFleets(targets: readonly Target[]): Promise<{
  fleets: FleetGroup[];
  connects: { totals: FleetTotals; seconds: number }[];
}> {
  const fleets = targets.map(
    (t) =>
      new FleetGroup({
        port: t.server.port,
        firstDeviceId: t.firstDeviceId,
        watches: options.watches,
        processes: 2,
        // Below the servers' listen backlog (4096): no dropped SYNs, no 1 s / 3 s retransmit
        // stalls. How fast a fleet connects is the storm benchmark's business, not this one's.
        maxConnectsInFlight: 500,
        deadlineSeconds: 150,
        releaseOn: 'reply',
      }),
  );
  const startedAt = process.hrtime.bigint();
  for (const fleet of fleets) fleet.send('connect');
  const totals = await Promise.all(fleets.map((f) => f.collect()));
  const connects = totals.map((t) => ({
    totals: t,
    seconds: Number(t.lastAnsweredAtNs - startedAt) / 1e9,
  }));
  for (const [i, t] of totals.entries()) {
    if (t.answered !== options.watches) {
      throw new Error(
        `${targets[i]?.server.name ?? ''}: only ${t.answered} of ${options.watches} answered`,
      );
    }
  }
  return { fleets, connects };
}

async function runRound(setup: KinwatchSetup): Promise<Round> {
  const gate = await quietGate(0.85, options.gateSeconds);
  const targets = await startBoth(setup);
  const fleets: FleetGroup[] = [];
  try {
    for (const target of targets) await warmUp(target);
    const befores = [];
    for (const target of targets) {
      const before = await collectGarbage(target.server.pid, target.inspectPort);
      befores.push({ before, beforeRss: residentBytes(target.server.pid) });
    }
    const connected = await connectFleets(targets);
    fleets.push(...connected.fleets);
    const [echo, kinwatch] = (await holdAndRead(targets, befores, connected.connects)) as [
      Reading,
      Reading,
    ];
    return {
      gate,
      echo,
      kinwatch,
      ratio: kinwatch.rssPerConnection / echo.rssPerConnection,
      ratioAfterGc: kinwatch.rssPerConnectionAfterGc / echo.rssPerConnectionAfterGc,
    };
  } finally {
    await Promise.all(fleets.map((f) => f.close()));
    for (const target of targets) await target.server.stop();
  }
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

function readingCells(r: Reading): string[] {
  return [
    r.connectSeconds.toFixed(1),
    `${mb(r.beforeRss)} → ${mb(r.afterHoldRss)} (gc ${mb(r.afterGcRss)})`,
    count(r.rssPerConnection),
    count(r.rssPerConnectionAfterGc),
    count(r.heapPerConnection),
    count(r.serverCountedConnections),
  ];
}

function printReport(facts: MachineFacts, rounds: readonly Round[]): void {
  console.log(`\nMachine: ${machineLine(facts)}`);
  console.log(
    `${count(options.watches)} idle registered watches per server, held ${options.hold} s, ${rounds.length} rounds (both servers at once)\n`,
  );
  const arm = [
    'connect s',
    'RSS MB before → after',
    'B/conn',
    'B/conn after GC',
    'heap B/conn',
    'server count',
  ];
  console.log(
    table(
      [
        'round',
        ...arm.map((h) => `echo ${h}`),
        ...arm.map((h) => `Kinwatch ${h}`),
        'ratio',
        'ratio after GC',
      ],
      rounds.map((r, i) => [
        String(i + 1),
        ...readingCells(r.echo),
        ...readingCells(r.kinwatch),
        ratio(r.ratio),
        ratio(r.ratioAfterGc),
      ]),
    ),
  );
  const held = rounds.map((r) => r.ratio);
  const gced = rounds.map((r) => r.ratioAfterGc);
  const verdict = (value: number) => (value <= TARGET ? 'met' : 'MISSED');
  console.log(
    '\n' +
      table(
        ['measure', 'median ratio Kinwatch ÷ echo', 'per round', 'target', 'verdict'],
        [
          [
            'RSS per connection after the hold',
            ratio(median(held)),
            ratios(held),
            `≤ ${TARGET}`,
            verdict(median(held)),
          ],
          [
            'RSS per connection after a full GC',
            ratio(median(gced)),
            ratios(gced),
            `≤ ${TARGET}`,
            verdict(median(gced)),
          ],
        ],
      ),
  );
}

async function main(): Promise<void> {
  stopAllOnExit();
  const facts = machineFacts();
  const setup = await provisionKinwatch(FIRST_DEVICE_ID, options.watches + WARM_UP_WATCHES);
  const rounds: Round[] = [];
  try {
    for (let i = 0; i < options.rounds; i++) {
      const round = await runRound(setup);
      rounds.push(round);
      console.error(
        `round ${i + 1}/${options.rounds}: echo ${count(round.echo.rssPerConnection)} B/conn, ` +
          `Kinwatch ${count(round.kinwatch.rssPerConnection)} B/conn, ratio ${ratio(round.ratio)} (after GC ${ratio(round.ratioAfterGc)})`,
      );
    }
  } finally {
    await setup.remove();
  }
  printReport(facts, rounds);
  const file = await writeResults('idle-memory', { facts, options, rounds });
  console.log(`\nJSON: ${file}`);
}

await main();
