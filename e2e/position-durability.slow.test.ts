/**
 * Zero loss across a crash: a real Kinwatch process is sent N location reports over TCP, killed
 * with SIGKILL as soon as /metrics says all N are committed, and its SQLite file must then hold
 * exactly those N positions, readable with the master key from the data directory. Kinwatch must
 * then start again on the same data directory.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeFrame, encodeUplink, type LocationBlock } from '@kinwatch/protocol';
import { KeyringCipher } from '../packages/server/src/adapters/crypto/keyring-cipher.ts';
import { loadMasterKey } from '../packages/server/src/adapters/crypto/master-key.ts';
import { openDatabase } from '../packages/server/src/adapters/sql/open-database.ts';
import { SqlPositionRepository } from '../packages/server/src/adapters/sql/position.repository.ts';
import { SqlWrappedKeyStore } from '../packages/server/src/adapters/sql/watch-key.repository.ts';
import { SqlWatchRepository } from '../packages/server/src/adapters/sql/watch.repository.ts';

const CLI = fileURLToPath(new URL('../bin/kinwatch.mjs', import.meta.url));
const REPORTS = 500;
const DEVICE_ID = '8800000500';
const STEP_METERS = 1.5;
const START_TIMEOUT_MS = 30_000;
const COMMIT_TIMEOUT_MS = 30_000;

const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

function kinwatchEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('KINWATCH_')) env[name] = value;
  }
  return {
    ...env,
    KINWATCH_DATA_DIR: dataDir,
    KINWATCH_HTTP_HOST: '127.0.0.1',
    KINWATCH_HTTP_PORT: '0',
    KINWATCH_GATEWAY_HOST: '127.0.0.1',
    KINWATCH_GATEWAY_PORT: '0',
    // Info: the line naming the bound ports is an info line.
    KINWATCH_LOG_LEVEL: 'info',
    // The reports go out back to back; this test is about durability, not flood limits.
    KINWATCH_GATEWAY_MAX_FRAMES_PER_SECOND: '10000',
  };
}

interface Running {
  readonly child: ChildProcess;
  readonly httpPort: number;
  readonly gatewayPort: number;
  readonly exited: Promise<number | null>;
}

/** `kinwatch start`, resolved once its log names the ports it bound. */
async function startKinwatch(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'start'], {
    env: kinwatchEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  const output: string[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    output.push(line);
  });
  const ports = await new Promise<{ httpPort: number; gatewayPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Kinwatch did not start:\n${output.join('\n')}`));
    }, START_TIMEOUT_MS);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      output.push(line);
      const entry = parseJson(line);
      if (typeof entry?.['httpPort'] === 'number' && typeof entry['gatewayPort'] === 'number') {
        clearTimeout(timer);
        resolve({ httpPort: entry['httpPort'], gatewayPort: entry['gatewayPort'] });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Kinwatch exited (${code}) before starting:\n${output.join('\n')}`));
    });
  });
  return { child, exited, ...ports };
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The reports: a walk north, one second apart in device time, ending a minute ago. */
function reports(): Buffer[] {
  const firstAt = Date.now() - 60_000 - REPORTS * 1000;
  return Array.from({ length: REPORTS }, (_, index) =>
    encodeUplink(
      { vendor: '3G', deviceId: DEVICE_ID },
      {
        type: 'locationReport',
        location: {
          recordedAt: new Date(firstAt + index * 1000),
          hasGnssFix: true,
          latitude: 47.3769 + (index * STEP_METERS) / 111_320,
          longitude: 8.5417,
          speedKmh: 5.4,
          courseDegrees: 0,
          altitudeMeters: 408.5,
          satellites: 8,
          gsmSignalPercent: 70,
          batteryPercent: 80,
          steps: index,
          network: { timingAdvance: 0, mcc: 228, mnc: 1, cells: [{ lac: 1, cid: 2, rssi: -60 }] },
          accuracyMeters: 6.5,
        },
      },
    ),
  );
}

/** What the server reads from each frame: the values the stored positions must equal. */
function decodedBlock(frame: Buffer): LocationBlock {
  const result = decodeFrame(frame);
  assert.ok(result.ok && result.frame.message.type === 'locationReport');
  return result.frame.message.location;
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

async function metric(httpPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

async function waitForCommitted(httpPort: number, count: number): Promise<void> {
  const deadline = Date.now() + COMMIT_TIMEOUT_MS;
  for (;;) {
    const written = await metric(httpPort, 'kinwatch_positions_written_total');
    if (written >= count) return;
    if (Date.now() > deadline) assert.fail(`only ${written} of ${count} positions committed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test(
  'every committed position survives kill -9, decryptable and unchanged',
  { timeout: 120_000 },
  async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kinwatch-durability-'));
    try {
      const provisioned = spawnSync(process.execPath, [CLI, 'watches', 'provision', DEVICE_ID], {
        env: kinwatchEnv(dataDir),
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(provisioned.status, 0, provisioned.stderr);

      const server = await startKinwatch(dataDir);
      const frames = reports();
      const socket = await openSocket(server.gatewayPort);
      for (const frame of frames) socket.write(frame);
      await waitForCommitted(server.httpPort, REPORTS);
      server.child.kill('SIGKILL');
      await server.exited;
      socket.destroy();

      const database = await openDatabase(`sqlite:${join(dataDir, 'kinwatch.db')}`);
      try {
        const cipher = new KeyringCipher({
          masterKey: await loadMasterKey({ dataDir }),
          store: new SqlWrappedKeyStore(database.db),
        });
        const watch = await new SqlWatchRepository(database.db, cipher).findByDeviceId(DEVICE_ID);
        assert.ok(watch !== undefined, 'the provisioned watch is there');
        const positions = new SqlPositionRepository(database.db, cipher);
        assert.equal(await positions.count(watch.id), REPORTS);
        const { count } = await database.db
          .selectFrom('positions')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow();
        assert.equal(count, REPORTS, 'no other rows either');
        const stored = await positions.range(
          watch.id,
          new Date(0),
          new Date(Date.now() + 3600_000),
          REPORTS + 1,
        );
        assert.equal(stored.length, REPORTS);
        stored.forEach((position, index) => {
          const sent = decodedBlock(frames[index] as Buffer);
          assert.deepEqual(
            {
              recordedAt: position.recordedAt.getTime(),
              source: position.source,
              latitude: position.latitude,
              longitude: position.longitude,
              accuracyMeters: position.accuracyMeters,
              speedKmh: position.speedKmh,
              courseDegrees: position.courseDegrees,
              altitudeMeters: position.altitudeMeters,
              isBuffered: position.isBuffered,
              flags: position.flags,
            },
            {
              recordedAt: sent.recordedAt.getTime(),
              source: 'gps',
              latitude: sent.latitude,
              longitude: sent.longitude,
              accuracyMeters: sent.accuracyMeters ?? null,
              speedKmh: sent.speedKmh,
              courseDegrees: sent.courseDegrees,
              altitudeMeters: sent.altitudeMeters,
              isBuffered: false,
              flags: [],
            },
            `report ${index}`,
          );
        });
      } finally {
        await database.close();
      }

      const restarted = await startKinwatch(dataDir);
      const ready = await fetch(`http://127.0.0.1:${restarted.httpPort}/ready`);
      assert.equal(ready.status, 200);
      restarted.child.kill('SIGTERM');
      assert.equal(await restarted.exited, 0, 'a clean stop after the restart');
    } finally {
      for (const child of children) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
