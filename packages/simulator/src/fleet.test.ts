import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fleet, isLoopbackHost, loopbackSources } from './fleet.ts';
import { FakeWatchServer } from './testing/fake-watch-server.ts';

test('a fleet of 200 watches over several source addresses connects, is answered, and stops', async () => {
  const server = await FakeWatchServer.start();
  const fleet = new Fleet({
    host: '127.0.0.1',
    port: server.port,
    watches: 200,
    sourceAddresses: loopbackSources(4),
    rampSeconds: 0.3,
    maxConnectsInFlight: 50,
    seed: 7,
    watch: { heartbeatSeconds: 0.5, uploadIntervalSeconds: 0.5, reportMode: 'mix' },
  });
  try {
    fleet.start();
    await fleet.waitUntil((s) => s.connected === 200 && s.linkLatency.count >= 400, 5000);
    const ids = new Set(server.framesOf('linkKeepAlive').map((r) => r.frame.envelope.deviceId));
    assert.equal(ids.size, 200);
    assert.ok(ids.has('9900000000') && ids.has('9900000199'));
    const sources = new Set(server.received.map((r) => r.remoteAddress));
    assert.deepEqual([...sources].sort(), ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']);
    assert.equal(fleet.stats.reconnects, 0);
    const latency = fleet.stats.linkLatency.summary();
    assert.ok(latency.p50Ms <= latency.p99Ms && latency.p99Ms <= latency.maxMs);
    assert.ok(fleet.stats.framesSent >= server.received.length);
    assert.deepEqual(server.rejected, []);
  } finally {
    await fleet.stop();
  }
  assert.equal(fleet.stats.connected, 0);
  await server.waitUntil(() => server.openConnections === 0, 1000);
  await server.close();
});

test('load targets are recognised as loopback only by their 127.x literal', () => {
  assert.equal(isLoopbackHost('127.0.0.1'), true);
  assert.equal(isLoopbackHost('127.12.0.3'), true);
  assert.equal(isLoopbackHost('10.0.0.1'), false);
  assert.equal(isLoopbackHost('localhost'), false);
  assert.equal(isLoopbackHost('127.0.0.1.example.com'), false);
});
