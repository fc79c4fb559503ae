/**
 * Zero loss across a crash: a real Kinwatch process is sent N location reports over TCP, killed
 * with SIGKILL as soon as /metrics says all N are committed, and its SQLite file must then hold
 * exactly those N positions, readable with the master key from the data directory. Kinwatch must
 * then start again on the same data directory.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeFrame, encodeUplink, type LocationBlock } from '@kinwatch/protocol';
import { KeyringCipher } from '../packages/server/src/adapters/crypto/keyring-cipher.ts';
import { loadMasterKey } from '../packages/server/src/adapters/crypto/master-key.ts';
import { openDatabase } from '../packages/server/src/adapters/sql/open-database.ts';
import { SqlPositionRepository } from '../packages/server/src/adapters/sql/position.repository.ts';
import { SqlWrappedKeyStore } from '../packages/server/src/adapters/sql/watch-key.repository.ts';
import { SqlWatchRepository } from '../packages/server/src/adapters/sql/watch.repository.ts';
import {
  KINWATCH_CLI,
  kinwatchEnv,
  startKinwatch,
  type KinwatchProcess,
} from './support/kinwatch-process.ts';

const REPORTS = 500;
const DEVICE_ID = '8800000500';
const STEP_METERS = 1.5;
const COMMIT_TIMEOUT_MS = 30_000;

const servers = new Set<KinwatchProcess>();
after(async () => {
  for (const server of servers) await server.kill('SIGKILL');
});

// The reports go out back to back; this test is about durability, not flood limits.
const ENV = { KINWATCH_GATEWAY_MAX_FRAMES_PER_SECOND: '10000' };

async function startOn(dataDir: string): Promise<KinwatchProcess> {
  const server = await startKinwatch({ dataDir, env: ENV, needsWebApp: false });
  servers.add(server);
  return server;
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
      const provisioned = spawnSync(
        process.execPath,
        [KINWATCH_CLI, 'watches', 'provision', DEVICE_ID],
        {
          env: kinwatchEnv(dataDir, ENV),
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      assert.equal(provisioned.status, 0, provisioned.stderr);

      const server = await startOn(dataDir);
      const frames = reports();
      const socket = await openSocket(server.gatewayPort);
      for (const frame of frames) socket.write(frame);
      await waitForCommitted(server.httpPort, REPORTS);
      await server.kill('SIGKILL');
      servers.delete(server);
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

      const restarted = await startOn(dataDir);
      const ready = await fetch(`${restarted.baseUrl}/ready`);
      assert.equal(ready.status, 200);
      assert.equal(await restarted.kill('SIGTERM'), 0, 'a clean stop after the restart');
      servers.delete(restarted);
    } finally {
      for (const server of servers) await server.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
