import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { subjects, unpackPosition, type PositionBatchEvent } from '@kinwatch/core';
import { encodeFrame } from '@kinwatch/protocol';
import {
  alarmContent,
  eventually,
  startGateway,
  TestWatch,
  UD_GPS,
  type RunningGateway,
} from './gateway-harness.ts';

const KNOWN = '8800000015';
const OTHER = '8800000016';
const UNKNOWN = '9900000001';

describe('gateway over TCP', () => {
  let gw: RunningGateway;
  let watchId: string;
  let otherWatchId: string;

  before(async () => {
    gw = await startGateway();
    [watchId = '', otherWatchId = ''] = await gw.provision(KNOWN, OTHER);
  });
  after(async () => {
    await gw.stop();
  });

  test('a heartbeat is answered at once with vendor and id echoed', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.send('[SG*8800000015*000D*LK,50,100,100]');
    assert.equal(await watch.waitFor((f) => f.includes('LK')), '[SG*8800000015*0002*LK]');
    watch.send('[ZJ*8800000015*0034*0009*LK,0,0,19]');
    assert.equal(await watch.waitFor((f) => f.includes('0034')), '[ZJ*8800000015*0034*0002*LK]');
    watch.close();
  });

  test('a GPS report of a provisioned watch is stored, encrypted, with its source', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(KNOWN, UD_GPS);
    const position = await eventually(() => gw.positions.latest(watchId));
    assert.equal(position.source, 'gps');
    assert.ok(position.latitude !== null && Math.abs(position.latitude - 22.571707) < 1e-9);
    assert.equal(position.isBuffered, false);
    watch.close();
  });

  test('an unknown id gets every reply but only a sighting is stored', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(UNKNOWN, 'LK,0,0,80');
    await watch.waitFor((f) => f === `[3G*${UNKNOWN}*0002*LK]`);
    watch.sendFrame(UNKNOWN, alarmContent('00010000'));
    await watch.waitFor((f) => f === `[3G*${UNKNOWN}*0002*AL]`);
    watch.sendFrame(UNKNOWN, UD_GPS);
    const sightings = await eventually(async () => {
      const list = await gw.watches.listUnknownSightings(10);
      return list.some((s) => s.deviceId === UNKNOWN) ? list : undefined;
    });
    assert.equal(
      sightings.find((s) => s.deviceId === UNKNOWN)?.lastAddress.includes('127.0.0.1'),
      true,
    );
    assert.equal(await gw.watches.findByDeviceId(UNKNOWN), undefined);
    watch.close();
  });

  test('an SOS is committed before the watch is told it arrived', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(KNOWN, alarmContent('00010001'));
    await watch.waitFor((f) => f === `[3G*${KNOWN}*0002*AL]`);
    const alarms = await gw.alarms.list(watchId, 10);
    assert.deepEqual(alarms[0]?.kinds, ['sos']);
    watch.sendFrame(KNOWN, alarmContent('00000000'));
    await watch.waitFor((f) => f === `[3G*${KNOWN}*0002*AL]`);
    assert.deepEqual((await gw.alarms.list(watchId, 10))[0]?.kinds, ['general']);
    watch.close();
  });

  test('a command reaches the connected watch and its acknowledgement settles it', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(KNOWN, 'LK');
    await watch.waitFor((f) => f.endsWith('*LK]'));
    await eventually(() => Promise.resolve(gw.gateway.sessionOfWatch(watchId) ? true : undefined));
    const command = await gw.commands.send(watchId, 'setUploadInterval', { intervalSeconds: 600 });
    assert.equal(await watch.waitFor((f) => f.includes('UPLOAD')), `[3G*${KNOWN}*000A*UPLOAD,600]`);
    watch.sendFrame(KNOWN, 'UPLOAD');
    const settled = await eventually(async () => {
      const stored = await gw.commandQueue.findById(command.id);
      return stored?.status === 'acknowledged' ? stored : undefined;
    });
    assert.equal(settled.attempts, 1);
    assert.ok(settled.expiresAt !== null, 'commands expire after the configured time');
    const twin = await gw.commandQueue.twin(watchId);
    const interval = twin.find((entry) => entry.key === 'setUploadInterval');
    assert.deepEqual(interval?.desired?.value, { intervalSeconds: 600 });
    assert.deepEqual(interval.reported?.value, { intervalSeconds: 600 });
    watch.close();
  });

  test('a command for an offline watch waits and is delivered when it connects', async () => {
    const command = await gw.commands.send(otherWatchId, 'findWatch', {});
    assert.equal((await gw.commandQueue.findById(command.id))?.status, 'queued');
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(OTHER, 'LK');
    assert.equal(await watch.waitFor((f) => f.includes('FIND')), `[3G*${OTHER}*0004*FIND]`);
    watch.close();
  });

  test('a command outside the allowlist is refused before it is stored', async () => {
    await assert.rejects(
      gw.commands.send(watchId, 'covertListening', { phoneNumber: '123' }),
      /not allowed/,
    );
  });

  test('a second live connection for a watch is flagged and does not take its commands', async () => {
    const first = await TestWatch.connect(gw.port);
    first.sendFrame(KNOWN, 'LK');
    await first.waitFor((f) => f.endsWith('*LK]'));
    await eventually(() => Promise.resolve(gw.gateway.sessionOfWatch(watchId) ? true : undefined));
    const clone = await TestWatch.connect(gw.port, '127.0.0.3');
    clone.sendFrame(KNOWN, 'LK');
    await clone.waitFor((f) => f.endsWith('*LK]'));
    const events = await eventually(async () => {
      const list = await gw.watches.listSecurityEvents({ watchId, limit: 5 });
      return list.some((e) => e.kind === 'possibleClone') ? list : undefined;
    });
    assert.equal(events[0]?.details.address, '127.0.0.3');
    assert.equal((await gw.watches.findById(watchId))?.isPossibleClone, true);
    await gw.commands.send(watchId, 'locateNow', {});
    await first.waitFor((f) => f.endsWith('*CR]'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(
      clone.received.some((f) => f.includes('CR')),
      false,
    );
    first.close();
    clone.close();
  });
});

describe('location reports and their commits', () => {
  test("a watch's reports do not wait for each other's commit, and are announced in the order sent", async () => {
    // A long batch window: a report that waited for the last one's commit would wait a second.
    const gw = await startGateway({}, 1_000);
    try {
      const [watchId = ''] = await gw.provision('8800000031');
      const announced: string[] = [];
      gw.bus.subscribe(subjects.positionBatches, (message) => {
        for (const packed of (message as PositionBatchEvent).positions) {
          const event = unpackPosition(packed);
          if (event.watchId === watchId) announced.push(event.position.recordedAt.slice(11, 19));
        }
      });
      const watch = await TestWatch.connect(gw.port);
      // Sent out of device-time order, so that the order of the announcements is the sending's.
      for (const time of ['134655', '134652', '134658']) {
        watch.sendFrame('8800000031', UD_GPS.replace('134652', time));
      }
      await eventually(() =>
        Promise.resolve(gw.metrics.value('kinwatch_positions_pending') === 3 ? true : undefined),
      );
      assert.equal(gw.metrics.observations.get('kinwatch_position_batch_rows'), undefined);
      await eventually(() => Promise.resolve(announced.length === 3 ? true : undefined));
      assert.deepEqual(announced, ['13:46:55', '13:46:52', '13:46:58']);
      assert.deepEqual(gw.metrics.observations.get('kinwatch_position_batch_rows'), [3]);
      watch.close();
    } finally {
      await gw.stop();
    }
  });
  test('a GPS report taken at once never passes a report still being looked up', async () => {
    const gw = await startGateway({}, 200);
    try {
      const [watchId = ''] = await gw.provision('8800000033');
      const announced: string[] = [];
      gw.bus.subscribe(subjects.positionBatches, (message) => {
        for (const packed of (message as PositionBatchEvent).positions) {
          const event = unpackPosition(packed);
          if (event.watchId !== watchId) continue;
          announced.push(`${event.position.recordedAt.slice(11, 19)} ${event.position.source}`);
        }
      });
      const watch = await TestWatch.connect(gw.port);
      // Known to the gateway first (the heartbeat's answer), so that reports may go at once.
      watch.sendFrame('8800000033', 'LK');
      await watch.waitFor((frame) => frame.includes('*LK'));
      await eventually(() => Promise.resolve(gw.gateway.sessionOfWatch(watchId)));
      // In one write, so that all three are read before the lookup of the first can finish.
      // Without a fix (V): its cell is looked up in the database before it is handed over.
      const target = { vendor: '3G', deviceId: '8800000033' };
      watch.send(
        Buffer.concat([
          encodeFrame(target, UD_GPS.replace(',A,', ',V,').replace('134652', '134650')),
          encodeFrame(target, UD_GPS.replace('134652', '134655')),
          encodeFrame(target, UD_GPS),
        ]),
      );
      await eventually(() => Promise.resolve(announced.length === 3 ? true : undefined));
      assert.deepEqual(announced, ['13:46:50 none', '13:46:55 gps', '13:46:52 gps']);
      watch.close();
    } finally {
      await gw.stop();
    }
  });

  test('a report whose position cannot be stored is counted; the connection carries on', async () => {
    const gw = await startGateway();
    try {
      const [watchId = ''] = await gw.provision('8800000032');
      const watch = await TestWatch.connect(gw.port);
      watch.sendFrame('8800000032', UD_GPS);
      await eventually(() => gw.positions.latest(watchId));
      // Gone from the database while its connection stays: its next position has no watch row.
      await gw.watches.remove(watchId);
      watch.sendFrame('8800000032', UD_GPS.replace('134652', '134752'));
      await eventually(() =>
        Promise.resolve(
          gw.metrics.value('kinwatch_gateway_positions_not_stored_total') === 1 ? true : undefined,
        ),
      );
      assert.ok(gw.logger.entries.some((entry) => entry.message === 'position batch failed'));
      watch.sendFrame('8800000032', 'LK,0,0,80');
      assert.match(await watch.waitFor((frame) => frame.includes('LK')), /LK\]$/);
      watch.close();
    } finally {
      await gw.stop();
    }
  });
});
