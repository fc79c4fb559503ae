import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_WATCHES_PER_PROCESS, planLoad, runLoad } from './load.ts';
import { FakeWatchServer } from './testing/fake-watch-server.ts';

test('load is planned under the per-process limit, with disjoint ids, on loopback only', () => {
  const tasks = planLoad({ host: '127.0.0.1', port: 8001, watches: 40_000, durationSeconds: 10 });
  assert.equal(tasks.length, 3);
  assert.ok(tasks.every((t) => t.watches <= MAX_WATCHES_PER_PROCESS));
  assert.equal(
    tasks.reduce((sum, t) => sum + t.watches, 0),
    40_000,
  );
  assert.deepEqual(
    tasks.map((t) => t.firstDeviceId),
    [9_900_000_000, 9_900_013_333, 9_900_026_666],
  );
  assert.throws(
    () => planLoad({ host: '192.168.1.10', port: 8001, watches: 10, durationSeconds: 1 }),
    RangeError,
  );
  assert.throws(
    () => planLoad({ host: 'localhost', port: 8001, watches: 10, durationSeconds: 1 }),
    RangeError,
  );
  const tooFew = {
    host: '127.0.0.1',
    port: 8001,
    watches: 40_000,
    processes: 2,
    durationSeconds: 1,
  };
  assert.throws(() => planLoad(tooFew), RangeError);
  assert.throws(
    () => planLoad({ host: '127.0.0.1', port: 8001, watches: 10, durationSeconds: 0 }),
    RangeError,
  );
});

test('load over two processes connects every watch, adds up the figures, and stops by itself', async () => {
  const server = await FakeWatchServer.start();
  const seen: number[] = [];
  const stats = await runLoad({
    host: '127.0.0.1',
    port: server.port,
    watches: 100,
    processes: 2,
    durationSeconds: 1.5,
    rampSeconds: 0.2,
    reportEverySeconds: 0.25,
    watch: { heartbeatSeconds: 0.5, uploadIntervalSeconds: 0.5 },
    onStats: (s) => seen.push(s.connected),
  });
  const ids = new Set(server.framesOf('linkKeepAlive').map((r) => r.frame.envelope.deviceId));
  assert.equal(ids.size, 100);
  assert.ok(seen.includes(100), `connected counts seen: ${seen.join(',')}`);
  assert.equal(stats.connected, 0, 'every worker closed its connections');
  assert.ok(stats.linkLatency.count >= 200, `${stats.linkLatency.count} LK replies`);
  assert.equal(stats.framesSent, server.received.length);
  await server.waitUntil(() => server.openConnections === 0, 1000);
  await server.close();
});
