/**
 * The live-latency benchmarks of issue 5, sharing one set-up:
 *
 * - alarm: from an SOS `AL` frame written on a bound watch's socket to the guardian's WebSocket
 *   stream: to the first message that tells of it (`alarmReceived`, sent before the commit), and
 *   to the stored alert's `alert` `raised` message; baseline, interleaved by round, a Mosquitto
 *   QoS 1 relay (publisher → broker → subscriber) of a message of the same size.
 * - command: from `POST /api/v1/watches/{watchId}/locate` to the `CR` command on the watch's
 *   socket; the same Mosquitto relay runs in between as the machine's reference.
 *
 * Kinwatch runs as an operator runs it (`node bin/kinwatch.mjs start`, fresh data directory,
 * SQLite, log level warn, loopback only) while the simulator's load mode keeps 10,000
 * provisioned watches reporting positions. Everything this starts is stopped by pid, also on
 * errors, on Ctrl-C and when the run outlives its time limit. Per-round results go to
 * bench/results/ as JSON; the tables are printed in the form docs/benchmarks.md uses.
 */
import { readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { WebSocket } from 'ws';
import { median, percentile } from '../ingest/machine.ts';
import { CLIENT_CPU, startProcess, stopAllOnExit, stopProcess } from '../gateway/processes.ts';
import { machineFacts, startCpuWindow, type MachineFacts } from '../gateway/proc-stats.ts';
import { count, table, writeResults } from '../gateway/report.ts';
import { provisionKinwatch } from '../gateway/servers.ts';
import { Guardian, freePort, startLiveKinwatch, type LiveKinwatch } from './kinwatch-live.ts';
import { connectRelay, type MqttRelay } from './mqtt-relay.ts';
import { keywordOf, RawWatch, frameOf } from './raw-watch.ts';

export type Phase = 'alarm' | 'command';
type Side = 'Kinwatch' | 'Mosquitto';

const FIRST_DEVICE_ID = 8_700_000_000;
/** Claims a guardian may make per day: so many command watches per guardian. */
const WATCHES_PER_GUARDIAN = 10;
/** Kinwatch allows one locate per watch per 10 s (fixed windows); a little more is safe. */
const LOCATE_SPACING_MS = 10_500;
/** How long a side waits for the last messages of a round. */
const DRAIN_MS = 5_000;

interface Options {
  readonly phases: readonly Phase[];
  readonly rounds: number;
  readonly alarms: number;
  readonly alarmRate: number;
  readonly locates: number;
  readonly locateRate: number;
  readonly watches: number;
  readonly interval: number;
  readonly processes: number;
  readonly commandWatches: number;
  readonly mqttPort: number;
  readonly maxMinutes: number;
  readonly cpuProf: string | undefined;
  readonly serverEnv: Readonly<Record<string, string>>;
}

const HELP = `Live latency under background load (issue 5).

  --phases alarm,command   what to measure, in one set-up (default: the script's own phase)
  --rounds 4               interleaved rounds per phase (Kinwatch and Mosquitto each)
  --alarms 150             SOS alarms per Kinwatch round (as many relayed messages per Mosquitto round)
  --alarm-rate 20          alarms per second
  --locates 60             locate commands per Kinwatch round
  --locate-rate 5          locates per second (Kinwatch allows one per watch per 10 s)
  --watches 10000          simulated watches reporting positions in the background
  --interval 30            seconds between position reports of each simulated watch
  --processes 2            simulator processes
  --command-watches 60     watches bound for the command phase (10 per guardian)
  --mqtt-port 1883         Mosquitto on 127.0.0.1
  --max-minutes 20         the run stops (and stops everything) after this long
  --cpu-prof DIR           write a V8 CPU profile of Kinwatch into DIR when it stops
  --server-env K=V         a KINWATCH_* setting for Kinwatch (repeatable), e.g.
                           --server-env KINWATCH_SQLITE_WRITER_THREAD=false`;

function readOptions(defaultPhases: readonly Phase[]): Options {
  const { values } = parseArgs({
    options: {
      phases: { type: 'string' },
      rounds: { type: 'string', default: '4' },
      alarms: { type: 'string', default: '150' },
      'alarm-rate': { type: 'string', default: '20' },
      locates: { type: 'string', default: '60' },
      'locate-rate': { type: 'string', default: '5' },
      watches: { type: 'string', default: '10000' },
      interval: { type: 'string', default: '30' },
      processes: { type: 'string', default: '2' },
      'command-watches': { type: 'string', default: '60' },
      'mqtt-port': { type: 'string', default: '1883' },
      'max-minutes': { type: 'string', default: '20' },
      'cpu-prof': { type: 'string' },
      'server-env': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const number = (name: string, value: string): number => {
    const parsed = Number(value);
    if (!(Number.isFinite(parsed) && parsed > 0)) throw new RangeError(`--${name} needs a number`);
    return parsed;
  };
  const phases = (values.phases?.split(',') ?? defaultPhases).map((p) => {
    if (p !== 'alarm' && p !== 'command') throw new RangeError(`unknown phase ${p}`);
    return p;
  });
  return {
    phases,
    rounds: number('rounds', values.rounds),
    alarms: number('alarms', values.alarms),
    alarmRate: number('alarm-rate', values['alarm-rate']),
    locates: number('locates', values.locates),
    locateRate: number('locate-rate', values['locate-rate']),
    watches: number('watches', values.watches),
    interval: number('interval', values.interval),
    processes: number('processes', values.processes),
    commandWatches: phases.includes('command')
      ? number('command-watches', values['command-watches'])
      : 0,
    mqttPort: number('mqtt-port', values['mqtt-port']),
    maxMinutes: number('max-minutes', values['max-minutes']),
    cpuProf: values['cpu-prof'],
    serverEnv: Object.fromEntries(
      values['server-env'].map((pair) => {
        const match = /^(KINWATCH_[A-Z0-9_]+)=(.*)$/.exec(pair);
        if (match === null) throw new RangeError(`--server-env ${pair}: use KINWATCH_NAME=value`);
        return [match[1] as string, match[2] as string];
      }),
    ),
  };
}

/** One side of one round. Latencies in milliseconds. */
export interface SideRound {
  readonly phase: Phase;
  readonly round: number;
  readonly side: Side;
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  /** Kinwatch alarm: the gateway's `AL` reply on the watch socket; command: the HTTP 202. */
  readonly replyP50?: number;
  readonly replyP99?: number;
  /**
   * Kinwatch alarm: to the stored alert's `alert` `raised` message (p50 ... max are to the
   * first message that tells of the SOS, which is `alarmReceived` when it comes first).
   */
  readonly storedP50?: number;
  readonly storedP99?: number;
  /** Requests not answered 202 (command phase). */
  readonly refused?: number;
  readonly seconds: number;
  /** CPU of the Kinwatch process over the side's window, share of one core. */
  readonly serverCpu: number;
  /** CPU of the simulator processes, share of one core. */
  readonly loadCpu: number;
  /** Share of the whole machine used by processes outside the benchmark. */
  readonly otherLoad: number;
  /** 1-minute load average at the end of the side. */
  readonly loadAverage: number;
  /** Positions Kinwatch committed per second during the side. */
  readonly positionsPerSecond: number;
  /** Reconnects of the simulated fleet during the side (a watch whose LK went unanswered 30 s). */
  readonly fleetReconnects: number;
  /** Watch connections Kinwatch held at the end of the side (the fleet and the bench's own). */
  readonly watchesConnected: number;
}

interface Bench {
  readonly options: Options;
  readonly server: LiveKinwatch;
  readonly simPids: number[];
  readonly relay: MqttRelay;
  /** Set by the running Mosquitto side. */
  onRelayed: ((payload: Buffer, at: number) => void) | undefined;
}

/** Reconnects of the simulated fleet so far, as the simulator last printed. */
let fleetReconnects = 0;

/**
 * Waits until Kinwatch keeps up with the fleet: a probe watch's `LK` answered within 100 ms
 * three times in a row (checked every second), for at most 3 minutes.
 */
async function waitUntilSettled(
  port: number,
  deviceId: string,
): Promise<{ seconds: number; lastRoundTrips: number[] }> {
  const startedAt = performance.now();
  const probe = await RawWatch.connect(port, deviceId);
  const roundTrips: number[] = [];
  try {
    while (performance.now() - startedAt < 180_000) {
      const sentAt = performance.now();
      probe.send('LK,0,0,100');
      const reply = await probe.waitFor((f) => keywordOf(f) === 'LK', 60_000);
      roundTrips.push(reply.at - sentAt);
      if (roundTrips.length >= 3 && roundTrips.slice(-3).every((v) => v < 100)) break;
      await sleep(1000);
    }
  } finally {
    probe.close();
  }
  return { seconds: (performance.now() - startedAt) / 1000, lastRoundTrips: roundTrips.slice(-3) };
}

function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[0]);
}

/** A sample of Kinwatch's /metrics without labels, or NaN. */
async function metric(httpPort: number, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${httpPort}/metrics`, {
    signal: AbortSignal.timeout(10_000),
  })
    .then((r) => r.text())
    .catch(() => '');
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const positionsWritten = (httpPort: number) => metric(httpPort, 'kinwatch_positions_written_total');

/** Watch connections Kinwatch holds (0 before the first one). */
async function gatewayConnections(httpPort: number): Promise<number> {
  const value = await metric(httpPort, 'kinwatch_gateway_connections');
  return Number.isNaN(value) ? 0 : value;
}

/** Starts the round's measurements; the returned function ends them. */
async function startWindow(bench: Bench) {
  const pids = [bench.server.pid, ...bench.simPids, process.pid];
  const written = await positionsWritten(bench.server.httpPort);
  const reconnects = fleetReconnects;
  const end = startCpuWindow(pids);
  return async () => {
    const window = end();
    const writtenAfter = await positionsWritten(bench.server.httpPort);
    const simCpu = bench.simPids.reduce((s, pid) => s + (window.byPid.get(pid) ?? 0), 0);
    return {
      seconds: window.seconds,
      serverCpu: (window.byPid.get(bench.server.pid) ?? 0) / window.seconds,
      loadCpu: simCpu / window.seconds,
      otherLoad: window.foreignShare,
      loadAverage: loadAverage(),
      positionsPerSecond: (writtenAfter - written) / window.seconds,
      fleetReconnects: fleetReconnects - reconnects,
      watchesConnected: await gatewayConnections(bench.server.httpPort),
    };
  };
}

function summarise(latencies: readonly number[]) {
  return {
    received: latencies.length,
    p50: percentile(latencies, 0.5),
    p90: percentile(latencies, 0.9),
    p99: percentile(latencies, 0.99),
    max: Math.max(...latencies),
  };
}

/** Calls `step(i)` at `rate` per second, on a fixed schedule (open loop), `total` times. */
async function paced(total: number, rate: number, step: (i: number) => void): Promise<void> {
  const startedAt = performance.now();
  for (let i = 0; i < total; i++) {
    const due = startedAt + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    step(i);
  }
}

async function drained(isDone: () => boolean): Promise<void> {
  const deadline = performance.now() + DRAIN_MS;
  while (!isDone() && performance.now() < deadline) await sleep(5);
}

/** A Mosquitto side: `total` messages of `size` bytes at `rate` per second. */
async function mosquittoSide(
  bench: Bench,
  phase: Phase,
  round: number,
  total: number,
  rate: number,
  size: number,
): Promise<SideRound> {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  bench.onRelayed = (payload, at) => {
    const seq = Number(payload.toString('latin1', 0, 10));
    const since = sentAt.get(seq);
    if (since === undefined) return;
    sentAt.delete(seq);
    latencies.push(at - since);
  };
  const end = await startWindow(bench);
  await paced(total, rate, (i) => {
    const seq = round * 100_000 + i;
    const payload = Buffer.alloc(size, 0x2e);
    payload.write(String(seq).padStart(10, '0'), 0, 'latin1');
    sentAt.set(seq, performance.now());
    bench.relay.publish(payload);
  });
  await drained(() => sentAt.size === 0);
  const window = await end();
  bench.onRelayed = undefined;
  return {
    phase,
    round,
    side: 'Mosquitto',
    sent: total,
    lost: sentAt.size,
    ...summarise(latencies),
    ...window,
  };
}

// ---------------------------------------------------------------------------------------------
// Alarm phase

interface AlarmRig {
  readonly watch: RawWatch;
  readonly watchId: string;
  readonly guardian: Guardian;
  readonly stream: WebSocket;
  /** Each alarm gets its own device time, one second after the previous one's. */
  nextDeviceTime: number;
  /** `alarmReceived` (before the commit) and `alert` `raised` (stored) messages. */
  onAlert: ((alert: Record<string, unknown>, at: number, isStored: boolean) => void) | undefined;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The SOS `AL` content (status word 00010000) with the device time `at`. */
function sosContent(at: Date): string {
  const date = `${pad2(at.getUTCDate())}${pad2(at.getUTCMonth() + 1)}${pad2(at.getUTCFullYear() % 100)}`;
  const time = `${pad2(at.getUTCHours())}${pad2(at.getUTCMinutes())}${pad2(at.getUTCSeconds())}`;
  return `AL,${date},${time},A,22.571707,N,113.8613968,E,0,0,100,7,60,90,1000,50,00010000,0,0,8.0`;
}

async function setUpAlarm(bench: Bench, deviceId: string): Promise<AlarmRig> {
  const watch = await RawWatch.connect(bench.server.gatewayPort, deviceId);
  const guardian = new Guardian(bench.server, '+12025550100');
  await guardian.logIn();
  const watchId = await guardian.bind(watch, 'Mia');
  const rig: AlarmRig = {
    watch,
    watchId,
    guardian,
    stream: undefined as unknown as WebSocket,
    // An hour ago, to the second: device times stay plausible for the whole run.
    nextDeviceTime: Math.floor(Date.now() / 1000) * 1000 - 3_600_000,
    onAlert: undefined,
  };
  const stream = await guardian.openStream((message, at) => {
    if (message['type'] === 'alert' && message['change'] === 'raised') {
      rig.onAlert?.(message['alert'] as Record<string, unknown>, at, true);
    } else if (message['type'] === 'alarmReceived') {
      const kinds = message['alertKinds'] as unknown[];
      const recordedAt = message['recordedAt'];
      for (const kind of kinds) rig.onAlert?.({ kind, recordedAt }, at, false);
    }
  });
  return Object.assign(rig, { stream });
}

async function kinwatchAlarmSide(
  bench: Bench,
  rig: AlarmRig,
  round: number,
  total: number,
  rate: number,
): Promise<SideRound> {
  /** Alarms whose stored alert has not arrived: when each was written, and whether seen. */
  const sentAt = new Map<number, { readonly at: number; seen: boolean }>();
  const replyQueue: number[] = [];
  const latencies: number[] = [];
  const storedLatencies: number[] = [];
  const replyLatencies: number[] = [];
  const alertIds: number[] = [];
  rig.onAlert = (alert, at, isStored) => {
    if (alert['kind'] !== 'sos') return;
    const key = Date.parse(String(alert['recordedAt']));
    const sent = sentAt.get(key);
    if (sent === undefined) return;
    // The first message that tells the guardian of the SOS, whichever it is.
    if (!sent.seen) latencies.push(at - sent.at);
    sent.seen = true;
    if (!isStored) return;
    sentAt.delete(key);
    storedLatencies.push(at - sent.at);
    alertIds.push(Number(alert['id']));
  };
  rig.watch.onFrame = (frame) => {
    if (keywordOf(frame.text) !== 'AL') return;
    const since = replyQueue.shift();
    if (since !== undefined) replyLatencies.push(frame.at - since);
  };
  const end = await startWindow(bench);
  await paced(total, rate, () => {
    const deviceTime = rig.nextDeviceTime;
    rig.nextDeviceTime += 1000;
    const content = sosContent(new Date(deviceTime));
    const now = performance.now();
    sentAt.set(deviceTime, { at: now, seen: false });
    replyQueue.push(now);
    rig.watch.send(content);
  });
  await drained(() => sentAt.size === 0);
  const window = await end();
  rig.onAlert = undefined;
  rig.watch.onFrame = undefined;
  // A guardian acknowledges each SOS, or it would be sent again every 30 s for an hour.
  for (const id of alertIds) {
    await rig.guardian
      .post(`/api/v1/watches/${rig.watchId}/alerts/${id}/acknowledge`)
      .catch((error: unknown) => {
        console.error(`acknowledge ${id}: ${String(error)}`);
      });
  }
  const replies = summarise(replyLatencies);
  const stored = summarise(storedLatencies);
  return {
    phase: 'alarm',
    round,
    side: 'Kinwatch',
    sent: total,
    lost: sentAt.size,
    ...summarise(latencies),
    replyP50: replies.p50,
    replyP99: replies.p99,
    storedP50: stored.p50,
    storedP99: stored.p99,
    ...window,
  };
}

// ---------------------------------------------------------------------------------------------
// Command phase

interface CommandWatch {
  readonly watch: RawWatch;
  readonly watchId: string;
  readonly guardian: Guardian;
  lastLocateAt: number;
  pendingSince: number | undefined;
}

async function setUpCommands(
  bench: Bench,
  firstDeviceId: number,
  count: number,
): Promise<CommandWatch[]> {
  const watches: CommandWatch[] = [];
  for (let g = 0; g * WATCHES_PER_GUARDIAN < count; g++) {
    const guardian = new Guardian(bench.server, `+1202555${String(200 + g).padStart(4, '0')}`);
    await guardian.logIn();
    const share = Math.min(WATCHES_PER_GUARDIAN, count - g * WATCHES_PER_GUARDIAN);
    for (let i = 0; i < share; i++) {
      const deviceId = String(firstDeviceId + watches.length);
      const watch = await RawWatch.connect(bench.server.gatewayPort, deviceId);
      const watchId = await guardian.bind(watch, `Kid ${watches.length}`);
      watches.push({ watch, watchId, guardian, lastLocateAt: 0, pendingSince: undefined });
    }
  }
  return watches;
}

async function kinwatchCommandSide(
  bench: Bench,
  watches: readonly CommandWatch[],
  round: number,
  total: number,
  rate: number,
): Promise<SideRound> {
  const latencies: number[] = [];
  const httpLatencies: number[] = [];
  let refused = 0;
  let waiting = 0;
  for (const w of watches) {
    w.pendingSince = undefined;
    w.watch.onFrame = (frame) => {
      if (keywordOf(frame.text) !== 'CR' || w.pendingSince === undefined) return;
      latencies.push(frame.at - w.pendingSince);
      w.pendingSince = undefined;
      waiting -= 1;
    };
  }
  // Every watch must be outside its locate window before the round starts.
  const oldest = Math.min(...watches.map((w) => w.lastLocateAt));
  const ready = oldest + LOCATE_SPACING_MS - performance.now();
  if (ready > 0) await sleep(ready);
  const requests: Promise<void>[] = [];
  const end = await startWindow(bench);
  await paced(total, rate, (i) => {
    const w = watches[i % watches.length] as CommandWatch;
    if (performance.now() - w.lastLocateAt < LOCATE_SPACING_MS) {
      refused += 1;
      return;
    }
    const startedAt = performance.now();
    w.lastLocateAt = startedAt;
    w.pendingSince = startedAt;
    waiting += 1;
    requests.push(
      w.guardian.post(`/api/v1/watches/${w.watchId}/locate`).then(
        (answer) => {
          if (answer.status === 202) httpLatencies.push(performance.now() - startedAt);
          else {
            refused += 1;
            if (w.pendingSince === startedAt) {
              w.pendingSince = undefined;
              waiting -= 1;
            }
            console.error(`locate: ${answer.status} ${JSON.stringify(answer.body)}`);
          }
        },
        () => {
          refused += 1;
        },
      ),
    );
  });
  await Promise.all(requests);
  await drained(() => waiting <= 0);
  const window = await end();
  for (const w of watches) w.watch.onFrame = undefined;
  const http = summarise(httpLatencies);
  return {
    phase: 'command',
    round,
    side: 'Kinwatch',
    sent: total,
    lost: Math.max(0, waiting),
    refused,
    ...summarise(latencies),
    replyP50: http.p50,
    replyP99: http.p99,
    ...window,
  };
}

// ---------------------------------------------------------------------------------------------
// Set-up, rounds, report

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1')
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function interleave(
  rounds: number,
  runSide: (side: Side, round: number) => Promise<SideRound>,
): Promise<SideRound[]> {
  const results: SideRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order: Side[] = round % 2 === 1 ? ['Kinwatch', 'Mosquitto'] : ['Mosquitto', 'Kinwatch'];
    for (const side of order) {
      await sleep(1000);
      const result = await runSide(side, round);
      results.push(result);
      console.error(
        `${result.phase} round ${round} ${side}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
          `max ${result.max.toFixed(2)} ms, ${result.received}/${result.sent} received, ` +
          `server CPU ${(result.serverCpu * 100).toFixed(0)} %, other load ${(result.otherLoad * 100).toFixed(0)} %, ` +
          `load avg ${result.loadAverage.toFixed(2)}, ${result.positionsPerSecond.toFixed(0)} positions/s, ` +
          `${result.watchesConnected} connected, ${result.fleetReconnects} reconnects`,
      );
    }
  }
  return results;
}

const f2 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(2));
const pct = (v: number) => `${Math.round(v * 100)} %`;

function phaseReport(phase: Phase, results: readonly SideRound[]): string {
  const ofPhase = results.filter((r) => r.phase === phase);
  const rounds = [...new Set(ofPhase.map((r) => r.round))];
  const pick = (side: Side, round: number) =>
    ofPhase.find((r) => r.side === side && r.round === round) as SideRound;
  const replyName = phase === 'alarm' ? 'AL reply' : 'HTTP 202';
  const rows = rounds.map((round) => {
    const k = pick('Kinwatch', round);
    const m = pick('Mosquitto', round);
    return [
      String(round),
      f2(m.p50),
      f2(m.p99),
      `${m.received}/${m.sent}`,
      f2(k.p50),
      f2(k.p99),
      f2(k.max),
      `${k.received}/${k.sent}`,
      `${f2(k.replyP50)} / ${f2(k.replyP99)}`,
      ...(phase === 'alarm' ? [`${f2(k.storedP50)} / ${f2(k.storedP99)}`] : []),
      f2(k.p99 / m.p99),
      pct(k.serverCpu),
      count(k.positionsPerSecond),
      `${pct(m.otherLoad)} / ${pct(k.otherLoad)}`,
      `${m.loadAverage.toFixed(1)} / ${k.loadAverage.toFixed(1)}`,
      `${m.fleetReconnects} / ${k.fleetReconnects}`,
    ];
  });
  const header = [
    'round',
    'Mosquitto p50 ms',
    'Mosquitto p99 ms',
    'Mosquitto received',
    'Kinwatch p50 ms',
    'Kinwatch p99 ms',
    'Kinwatch max ms',
    'Kinwatch received',
    `${replyName} p50 / p99 ms`,
    ...(phase === 'alarm' ? ['stored alert p50 / p99 ms'] : []),
    'p99 ratio',
    'Kinwatch CPU',
    'positions/s',
    'other load (M / K)',
    'load avg (M / K)',
    'fleet reconnects (M / K)',
  ];
  const kin = ofPhase.filter((r) => r.side === 'Kinwatch');
  const mos = ofPhase.filter((r) => r.side === 'Mosquitto');
  const ratios = rounds.map((round) => pick('Kinwatch', round).p99 / pick('Mosquitto', round).p99);
  const kinP99 = median(kin.map((r) => r.p99));
  const ratio = median(ratios);
  const lines = [
    table(header, rows),
    '',
    `median of rounds: Kinwatch p50 ${f2(median(kin.map((r) => r.p50)))} ms, p99 ${f2(kinP99)} ms; ` +
      `Mosquitto p50 ${f2(median(mos.map((r) => r.p50)))} ms, p99 ${f2(median(mos.map((r) => r.p99)))} ms; ` +
      `p99 ratio ${f2(ratio)} (per round ${ratios.map(f2).join(', ')})` +
      (phase === 'alarm'
        ? `; stored alert p50 ${f2(median(kin.map((r) => r.storedP50 ?? NaN)))} ms, ` +
          `p99 ${f2(median(kin.map((r) => r.storedP99 ?? NaN)))} ms`
        : ''),
    `lost: Kinwatch ${kin.reduce((s, r) => s + r.lost, 0)}, Mosquitto ${mos.reduce((s, r) => s + r.lost, 0)}` +
      (phase === 'command' ? `; refused ${kin.reduce((s, r) => s + (r.refused ?? 0), 0)}` : ''),
    phase === 'alarm'
      ? `verdict: p99 < 25 ms ${kinP99 < 25 ? 'met' : 'MISSED'}; p99 ≤ 3 × Mosquitto ${ratio <= 3 ? 'met' : 'MISSED'}`
      : `verdict: p99 < 25 ms ${kinP99 < 25 ? 'met' : 'MISSED'}`,
  ];
  return lines.join('\n');
}

export async function runLiveLatency(name: string, defaultPhases: readonly Phase[]): Promise<void> {
  const options = readOptions(defaultPhases);
  stopAllOnExit();
  const facts: MachineFacts = machineFacts();
  const startedAt = new Date();
  const simWorkers: number[] = [];
  let dataDir: string | undefined;
  // Grandchildren (the simulator's workers) and the data directory are cleaned up on any exit.
  process.on('exit', () => {
    for (const pid of simWorkers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });
  const limit = setTimeout(() => {
    console.error(`time limit of ${options.maxMinutes} min reached: stopping everything`);
    process.exit(1);
  }, options.maxMinutes * 60_000);
  limit.unref();

  const alarmDeviceId = FIRST_DEVICE_ID + options.watches;
  // The fleet, the alarm watch, the command watches and a probe.
  const provisioned = options.watches + 2 + options.commandWatches;
  const probeDeviceId = FIRST_DEVICE_ID + provisioned - 1;
  console.error(`provisioning ${count(provisioned)} watch ids...`);
  const setup = await provisionKinwatch(FIRST_DEVICE_ID, provisioned);
  dataDir = setup.dataDir;
  const server = await startLiveKinwatch({
    dataDir: setup.dataDir,
    httpPort: await freePort(),
    gatewayPort: await freePort(),
    ...(options.cpuProf === undefined ? {} : { cpuProfileDir: options.cpuProf }),
    serverEnv: options.serverEnv,
  });
  console.error(
    `Kinwatch pid ${server.pid}, HTTP ${server.httpPort}, gateway ${server.gatewayPort}; ` +
      `starting ${count(options.watches)} simulated watches (every ${options.interval} s)`,
  );
  let connected: number;
  const simulator = startProcess(
    process.execPath,
    [
      'packages/simulator/bin/kinwatch-sim.mjs',
      'simulate',
      '--watches',
      String(options.watches),
      '--processes',
      String(options.processes),
      '--interval',
      String(options.interval),
      '--duration',
      String(options.maxMinutes * 60),
      '--port',
      String(server.gatewayPort),
      '--id',
      String(FIRST_DEVICE_ID),
      '--ramp',
      '60',
      '--stats-every',
      '5',
    ],
    {
      cpu: CLIENT_CPU,
      onLine: (line) => {
        const match = /reconnects (\d+)/.exec(line);
        if (match !== null) fleetReconnects = Number(match[1]);
      },
    },
  );
  // Kinwatch accepts a burst of connects slowly, the more so on a busy machine (docs/
  // benchmarks.md, reconnect storm): wait up to 8 minutes for its own count of connections,
  // and go on with at least 98 % of the fleet.
  const connectDeadline = performance.now() + 480_000;
  let lastPrint = performance.now();
  for (;;) {
    for (const pid of childPids(simulator.pid as number)) {
      if (!simWorkers.includes(pid)) simWorkers.push(pid);
    }
    connected = await gatewayConnections(server.httpPort);
    if (connected >= options.watches) break;
    if (performance.now() > connectDeadline) {
      if (connected >= options.watches * 0.98) break;
      throw new Error(`only ${connected} simulated watches connected within 8 minutes`);
    }
    if (performance.now() - lastPrint > 15_000) {
      console.error(`${connected} watches connected so far`);
      lastPrint = performance.now();
    }
    await sleep(2000);
  }
  const connectedAtStart = connected;
  console.error(
    `${connected} connected; workers ${simWorkers.join(', ')}; warming up ${options.interval} s`,
  );
  await sleep(options.interval * 1000);
  const settled = await waitUntilSettled(server.gatewayPort, String(probeDeviceId));
  console.error(
    `settled after ${settled.seconds.toFixed(0)} s more (LK round trips ${settled.lastRoundTrips
      .map((v) => v.toFixed(1))
      .join(', ')} ms)`,
  );

  const bench: Bench = {
    options,
    server,
    simPids: [simulator.pid as number, ...simWorkers],
    relay: undefined as unknown as MqttRelay,
    onRelayed: undefined,
  };
  const relay = await connectRelay(options.mqttPort, (payload, at) =>
    bench.onRelayed?.(payload, at),
  );
  Object.assign(bench, { relay });

  const results: SideRound[] = [];
  const closers: (() => void)[] = [];
  try {
    if (options.phases.includes('alarm')) {
      const rig = await setUpAlarm(bench, String(alarmDeviceId));
      closers.push(() => {
        rig.stream.close();
        rig.watch.close();
        rig.guardian.close();
      });
      const size = frameOf(rig.watch.deviceId, sosContent(new Date())).length;
      console.error(`alarm phase: SOS frames of ${size} bytes, ${options.alarms} a round`);
      results.push(
        ...(await interleave(options.rounds, (side, round) =>
          side === 'Kinwatch'
            ? kinwatchAlarmSide(bench, rig, round, options.alarms, options.alarmRate)
            : mosquittoSide(bench, 'alarm', round, options.alarms, options.alarmRate, size),
        )),
      );
    }
    if (options.phases.includes('command')) {
      const watches = await setUpCommands(bench, alarmDeviceId + 1, options.commandWatches);
      closers.push(() => {
        for (const w of watches) {
          w.watch.close();
          w.guardian.close();
        }
      });
      // The `CR` command frame is what the Mosquitto side relays in this phase.
      const size = frameOf(String(alarmDeviceId + 1), 'CR').length;
      console.error(
        `command phase: ${watches.length} bound watches, ${options.locates} locates a round`,
      );
      results.push(
        ...(await interleave(options.rounds, (side, round) =>
          side === 'Kinwatch'
            ? kinwatchCommandSide(bench, watches, round, options.locates, options.locateRate)
            : mosquittoSide(bench, 'command', round, options.locates, options.locateRate, size),
        )),
      );
    }
  } finally {
    for (const close of closers) close();
    await relay.close().catch(() => undefined);
    await stopProcess(simulator, 'SIGINT', 5000);
    for (const pid of simWorkers) {
      const deadline = performance.now() + 15_000;
      while (isAlive(pid) && performance.now() < deadline) await sleep(100);
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    await server.stop();
    await setup.remove();
    dataDir = undefined;
  }

  const reports = options.phases.map((phase) => `### ${phase}\n\n${phaseReport(phase, results)}`);
  const path = await writeResults(name, {
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    machine: facts,
    options,
    connectedAtStart,
    settled,
    kinwatchLog: server.lastLines,
    results,
  });
  console.log(
    [
      `machine: ${facts.cpuModel} x${facts.cpuCount}, Node ${facts.node}, kernel ${facts.kernel}, ` +
        `load average at start ${facts.loadAverage}`,
      `run ${startedAt.toISOString()} to ${new Date().toISOString()}; ${count(connectedAtStart)} of ${count(options.watches)} watches connected, reporting every ${options.interval} s`,
      '',
      ...reports,
      '',
      `results: ${path}`,
    ].join('\n'),
  );
}
