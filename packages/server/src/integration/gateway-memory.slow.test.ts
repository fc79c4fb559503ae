/**
 * What the gateway keeps in memory instead of asking the database on every connection: the
 * provisioned watches, which watches have commands waiting, and their buffered status and
 * connection. Each must still see what other processes write to the database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SqlWatchRepository } from '../adapters/sql/watch.repository.ts';
import {
  eventually,
  startGateway,
  TestWatch,
  UD_GPS,
  type RunningGateway,
} from './gateway-harness.ts';

const NO_KEY_DESTRUCTION = { destroyKey: () => Promise.resolve() };

describe('gateway memory of watches and commands', () => {
  let gw: RunningGateway;

  before(async () => {
    gw = await startGateway();
  });
  after(async () => {
    await gw.stop();
  });

  test('a watch provisioned after the gateway started is known on its next connection', async () => {
    const deviceId = '8800000101';
    const early = await TestWatch.connect(gw.port);
    early.sendFrame(deviceId, 'LK');
    await early.waitFor((f) => f.endsWith('*LK]'));
    await eventually(async () => {
      const sightings = await gw.watches.listUnknownSightings(10);
      return sightings.some((s) => s.deviceId === deviceId) ? true : undefined;
    });
    early.close();
    await early.closed;
    // As `kinwatch watches provision` does it: its own repository on the same database.
    await new SqlWatchRepository(gw.database.db, NO_KEY_DESTRUCTION).provision(
      [deviceId],
      new Date(),
    );
    const watchId = (await gw.watches.findByDeviceId(deviceId))?.id ?? assert.fail();
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(deviceId, UD_GPS);
    const position = await eventually(() => gw.positions.latest(watchId));
    assert.equal(position.source, 'gps');
    // The connection is written with the buffered status; the sighting's address came first.
    const seen = await eventually(async () => {
      const stored = await gw.watches.findById(watchId);
      return stored?.vendor === '3G' ? stored : undefined;
    });
    assert.equal(seen.lastAddress, '127.0.0.1');
    watch.close();
  });

  test('a command stored without an announcement reaches the watch when it connects', async () => {
    const deviceId = '8800000102';
    const [watchId = ''] = await gw.provision(deviceId);
    // Another process with its own in-process bus: the row is there, no message reached us.
    const command = await gw.commandQueue.enqueue({
      watchId,
      type: 'findWatch',
      payload: {},
      createdAt: new Date(),
      expiresAt: null,
    });
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(deviceId, 'LK');
    assert.equal(
      await watch.waitFor((f) => f.includes('FIND'), 5000),
      `[3G*${deviceId}*0004*FIND]`,
    );
    assert.equal((await gw.commandQueue.findById(command.id))?.status, 'sent');
    watch.close();
  });

  test('a command stored without an announcement reaches a watch already connected', async () => {
    const deviceId = '8800000103';
    const [watchId = ''] = await gw.provision(deviceId);
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(deviceId, 'LK');
    await watch.waitFor((f) => f.endsWith('*LK]'));
    await eventually(() => Promise.resolve(gw.gateway.sessionOfWatch(watchId) ? true : undefined));
    await gw.commandQueue.enqueue({
      watchId,
      type: 'locateNow',
      payload: {},
      createdAt: new Date(),
      expiresAt: null,
    });
    assert.equal(await watch.waitFor((f) => f.endsWith('*CR]'), 5000), `[3G*${deviceId}*0002*CR]`);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(
      watch.received.filter((f) => f.endsWith('*CR]')).length,
      0,
      'sent once, not again by the next scan',
    );
    watch.close();
  });

  test('a command sent to an offline watch is delivered once when it connects', async () => {
    const deviceId = '8800000104';
    const [watchId = ''] = await gw.provision(deviceId);
    const command = await gw.commands.send(watchId, 'findWatch', {});
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(deviceId, 'LK,0,0,77');
    assert.equal(await watch.waitFor((f) => f.includes('FIND')), `[3G*${deviceId}*0004*FIND]`);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(watch.received.filter((f) => f.includes('FIND')).length, 0);
    assert.equal((await gw.commandQueue.findById(command.id))?.attempts, 1);
    const status = await eventually(async () => {
      const stored = await gw.watches.getStatus(watchId);
      return stored?.batteryPercent === 77 ? stored : undefined;
    });
    assert.equal(status.isOnline, true);
    watch.close();
  });
});

describe('gateway shutdown', () => {
  test('status and connections buffered in memory are written on stop', async () => {
    // No flush in the test's time: only the one on stop can write.
    const gw = await startGateway({ statusFlushSeconds: 3600 });
    try {
      const [watchId = ''] = await gw.provision('8800000201');
      const watch = await TestWatch.connect(gw.port);
      watch.sendFrame('8800000201', 'LK,120,0,64');
      await watch.waitFor((f) => f.endsWith('*LK]'));
      await eventually(() =>
        Promise.resolve(gw.gateway.sessionOfWatch(watchId) ? true : undefined),
      );
      assert.equal(await gw.watches.getStatus(watchId), undefined);
      await gw.close();
      const status = await gw.watches.getStatus(watchId);
      assert.equal(status?.batteryPercent, 64);
      assert.equal(status.steps, 120);
      assert.equal(status.isOnline, false, 'the closed connection is written as offline');
      const stored = await gw.watches.findById(watchId);
      assert.equal(stored?.lastAddress, '127.0.0.1');
      assert.ok(stored.firstSeenAt !== null);
    } finally {
      await gw.bus.close();
      await gw.database.close();
    }
  });
});
