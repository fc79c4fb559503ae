/**
 * Heap snapshots of both servers before and while they hold N idle registered watches, and
 * what each keeps per connection (heap-snapshot-diff.ts). A diagnostic for the idle-memory
 * benchmark, not a measurement: a snapshot itself costs memory, so no RSS is read here.
 *
 *   node --import tsx bench/gateway/heap-snapshots.ts [--watches 5000] [--port-base 47400]
 *
 * Snapshots go to bench/results/heap/. Ports: port-base+1 echo, +2 Kinwatch, +3 its HTTP.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetGroup } from './fleet-group.ts';
import { waitUntilIdle } from './proc-stats.ts';
import { REPO_ROOT, startNodeScript, stopAllOnExit, waitForExit } from './processes.ts';
import { numericOptions } from './report.ts';
import {
  provisionKinwatch,
  startEchoServer,
  startKinwatch,
  type ServerUnderTest,
} from './servers.ts';

const options = numericOptions({ watches: 5000, portBase: 47400 });
const FIRST_DEVICE_ID = 8_850_000_000;
const SNAPSHOT_SIGNAL = 'SIGURG';
const dir = join(REPO_ROOT, 'bench', 'results', 'heap');

async function snapshot(server: ServerUnderTest): Promise<string> {
  const seen = new Set(await readdir(dir));
  process.kill(server.pid, SNAPSHOT_SIGNAL);
  // The snapshot is written on the main thread: the server answers again once it is done.
  await server.connectionCount();
  const added = (await readdir(dir)).filter((f) => !seen.has(f) && f.includes(`.${server.pid}.`));
  if (added[0] === undefined) throw new Error(`no heap snapshot from ${server.name}`);
  return join(dir, added[0]);
}

async function fleetOf(
  server: ServerUnderTest,
  firstDeviceId: number,
  watches: number,
): Promise<FleetGroup> {
  const fleet = new FleetGroup({
    port: server.port,
    firstDeviceId,
    watches,
    processes: 1,
    maxConnectsInFlight: 250,
    deadlineSeconds: 120,
    releaseOn: 'reply',
  });
  const totals = await fleet.order('connect');
  if (totals.answered !== watches)
    throw new Error(`${server.name}: ${totals.answered} of ${watches} answered`);
  await waitUntilIdle(server.pid, 0.05, 1000, 60);
  return fleet;
}

async function main(): Promise<void> {
  stopAllOnExit();
  await mkdir(dir, { recursive: true });
  const flags = [`--heapsnapshot-signal=${SNAPSHOT_SIGNAL}`, `--diagnostic-dir=${dir}`];
  const setup = await provisionKinwatch(FIRST_DEVICE_ID, options.watches + 20);
  const base = options.portBase;
  const servers = [
    await startEchoServer('reg', { port: base + 1, extraNodeFlags: flags }),
    await startKinwatch({ port: base + 2, httpPort: base + 3, setup, extraNodeFlags: flags }),
  ];
  const fleets: FleetGroup[] = [];
  try {
    for (const server of servers) {
      await (await fleetOf(server, FIRST_DEVICE_ID + options.watches, 20)).close();
      const before = await snapshot(server);
      fleets.push(await fleetOf(server, FIRST_DEVICE_ID, options.watches));
      const after = await snapshot(server);
      console.log(`\n## ${server.name}\n`);
      const diff = startNodeScript(
        'bench/gateway/heap-snapshot-diff.ts',
        [before, after, '--per', String(options.watches)],
        {
          onLine: (line) => {
            console.log(line);
          },
        },
      );
      await waitForExit(diff, 120_000);
    }
  } finally {
    await Promise.all(fleets.map((f) => f.close()));
    for (const server of servers) await server.stop();
    await setup.remove();
  }
}

await main();
