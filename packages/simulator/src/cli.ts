/**
 * `kinwatch-sim`: simulated watches against a Kinwatch (or any 3G-protocol) server.
 *
 *   kinwatch-sim simulate --host 127.0.0.1 --port 8001 --watches 1 --id 8800000015 \
 *     --interval 10 --mode mix --duration 60
 *   kinwatch-sim simulate --watches 40000 --processes 3 --interval 10 --heartbeat 60 --duration 120
 *   kinwatch-sim alarm sos --id 8800000015
 *
 * One watch logs what it sends and receives; a fleet prints its figures periodically.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ALARM_NAMES, type AlarmName } from '@kinwatch/protocol';
import { DEFAULT_FIRST_DEVICE_ID, Fleet, type WatchTemplate } from './fleet.ts';
import { runLoad } from './load.ts';
import { demoRoute, type Route } from './route.ts';
import { SimulatedWatch } from './simulated-watch.ts';
import type { WatchMisbehaviour } from './watch-options.ts';
import type { ReportMode } from './watch-report.ts';
import { formatStats } from './watch-stats.ts';

interface CommonOptions {
  host: string;
  port: number;
  /** Absent: 8800000015 for one watch, 9900000000 onwards for several. */
  id?: string;
  interval: number;
  heartbeat: number;
  mode: ReportMode;
  route?: string;
  wrongLength?: boolean;
  splitWrites?: boolean;
  coalesceWrites?: boolean;
  silentAcks?: boolean;
  fullEchoAcks?: boolean;
}

interface SimulateOptions extends CommonOptions {
  watches: number;
  duration: number;
  statsEvery: number;
  processes?: number;
  ramp?: number;
  seed: number;
}

function positive(text: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new InvalidArgumentError('expected a number above 0');
  return value;
}

function count(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError('expected a whole number of 1 or more');
  return value;
}

function deviceId(text: string): string {
  if (!/^[0-9]{5,20}$/.test(text)) throw new InvalidArgumentError('expected 5 to 20 digits');
  return text;
}

function firstIdOf(o: CommonOptions): number {
  return o.id === undefined ? DEFAULT_FIRST_DEVICE_ID : Number(o.id);
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--host <host>', 'server address', '127.0.0.1')
    .option('--port <port>', 'watch gateway port', count, 8001)
    .option(
      '--id <deviceId>',
      'device id; the first of consecutive ids for several watches',
      deviceId,
    )
    .option('--interval <seconds>', 'seconds between position reports while walking', positive, 60)
    .option('--heartbeat <seconds>', 'seconds between LK keep-alives', positive, 300)
    .addOption(
      new Option('--mode <mode>', 'how positions are reported')
        .choices(['gps', 'wifi', 'cell', 'mix'])
        .default('mix'),
    )
    .option('--route <name>', 'demo route: school-run, park-loop, harbour-walk (default: in turn)')
    .option('--wrong-length', 'declare a LENGTH 3 bytes too long')
    .option('--split-writes', 'cut frames across several writes')
    .option('--coalesce-writes', 'join frames into single writes')
    .option('--silent-acks', 'never acknowledge commands')
    .option('--full-echo-acks', 'acknowledge commands by echoing them whole');
}

function misbehaviourOf(o: CommonOptions): WatchMisbehaviour {
  return {
    wrongLength: o.wrongLength,
    splitWrites: o.splitWrites,
    coalesceWrites: o.coalesceWrites,
    silentAcks: o.silentAcks,
    fullEchoAcks: o.fullEchoAcks,
  };
}

function routeOf(o: CommonOptions): Route | undefined {
  return o.route === undefined ? undefined : demoRoute(o.route);
}

function templateOf(o: CommonOptions): WatchTemplate {
  return {
    uploadIntervalSeconds: o.interval,
    heartbeatSeconds: o.heartbeat,
    reportMode: o.mode,
    route: routeOf(o),
    misbehaviour: misbehaviourOf(o),
  };
}

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

/** Resolves after `seconds`, or at once on Ctrl-C. */
function runFor(seconds: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      process.off('SIGINT', done);
      resolve();
    };
    const timer = setTimeout(done, seconds * 1000);
    process.once('SIGINT', done);
  });
}

function singleWatch(o: CommonOptions): SimulatedWatch {
  const id = o.id ?? '8800000015';
  const watch = new SimulatedWatch({
    host: o.host,
    port: o.port,
    deviceId: id,
    uploadIntervalSeconds: o.interval,
    heartbeatSeconds: o.heartbeat,
    reportMode: o.mode,
    route: routeOf(o),
    misbehaviour: misbehaviourOf(o),
  });
  watch.on('connected', () => {
    log(`${id} connected to ${o.host}:${o.port}`);
  });
  watch.on('disconnected', (reason) => {
    log(`${id} disconnected: ${reason}`);
  });
  watch.on('reply', (r) => {
    const after = r.latencyMs === undefined ? '' : ` after ${r.latencyMs.toFixed(1)} ms`;
    log(`${id} reply ${r.keyword}${after}`);
  });
  watch.on('command', (c) => {
    log(`${id} command ${c.command.type} ${c.params.join(',')}`);
  });
  watch.on('screenText', (text) => {
    log(`${id} screen shows: ${text}`);
  });
  return watch;
}

async function simulateLoad(o: SimulateOptions & { processes: number }): Promise<void> {
  const stats = await runLoad({
    host: o.host,
    port: o.port,
    watches: o.watches,
    processes: o.processes,
    firstDeviceId: firstIdOf(o),
    durationSeconds: o.duration,
    rampSeconds: o.ramp,
    seed: o.seed,
    reportEverySeconds: o.statsEvery,
    watch: templateOf(o),
    onStats: (s, elapsed) => {
      log(`${elapsed.toFixed(0)} s | ${formatStats(s)}`);
    },
  });
  log(`done | ${formatStats(stats)}`);
}

async function simulateFleet(o: SimulateOptions): Promise<void> {
  const fleet = new Fleet({
    host: o.host,
    port: o.port,
    watches: o.watches,
    firstDeviceId: firstIdOf(o),
    rampSeconds: o.ramp,
    seed: o.seed,
    watch: templateOf(o),
  });
  const printer = setInterval(() => {
    log(formatStats(fleet.stats));
  }, o.statsEvery * 1000);
  fleet.start();
  await runFor(o.duration);
  clearInterval(printer);
  await fleet.stop();
  log(`done | ${formatStats(fleet.stats)}`);
}

async function simulate(o: SimulateOptions): Promise<void> {
  if (o.processes !== undefined) {
    await simulateLoad({ ...o, processes: o.processes });
  } else if (o.watches > 1) {
    await simulateFleet(o);
  } else {
    const watch = singleWatch(o);
    watch.start();
    await runFor(o.duration);
    await watch.stop();
  }
}

async function alarm(kind: AlarmName, o: CommonOptions & { timeout: number }): Promise<void> {
  const watch = singleWatch(o);
  watch.start();
  // Alarms wait while the watch cannot connect; the timeout bounds that wait.
  const isAnswered = await Promise.race([
    watch.raiseAlarm(kind),
    runFor(o.timeout).then(() => false),
  ]);
  await watch.stop();
  log(isAnswered ? `${kind} alarm answered` : `${kind} alarm not answered`);
  process.exitCode = isAnswered ? 0 : 1;
}

const program = new Command('kinwatch-sim').description(
  'Simulated 3G-protocol kids watches over real TCP',
);
withCommonOptions(program.command('simulate', { isDefault: true }))
  .description('run watches for a duration and print what happens')
  .option('--watches <count>', 'number of watches', count, 1)
  .option('--duration <seconds>', 'stop after this many seconds (Ctrl-C stops early)', positive, 60)
  .option('--stats-every <seconds>', 'seconds between printed figures (fleets)', positive, 5)
  .option(
    '--processes <count>',
    'load mode: split over this many processes (127.x hosts only)',
    count,
  )
  .option('--ramp <seconds>', 'spread the first connects over this many seconds', positive)
  .option('--seed <number>', 'seed of every random choice', count, 1)
  .action((options: SimulateOptions) => simulate(options));
withCommonOptions(program.command('alarm'))
  .description('connect one watch, raise an alarm, and wait for the AL reply (exit 1 if none)')
  .addArgument(program.createArgument('<kind>', 'alarm kind').choices(ALARM_NAMES))
  .option('--timeout <seconds>', 'give up after this many seconds', positive, 120)
  .action((kind: AlarmName, options: CommonOptions & { timeout: number }) => alarm(kind, options));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Refusals (a non-loopback load target, an unknown route) are usage errors, not crashes.
  if (!(error instanceof RangeError)) throw error;
  process.stderr.write(`kinwatch-sim: ${error.message}\n`);
  process.exitCode = 2;
}
