import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { UplinkMessage } from '@kinwatch/protocol';
import { amrClip, tinyJpeg } from './media-samples.ts';
import { demoRoute, type Route, type Waypoint } from './route.ts';
import { SimulatedWatch } from './simulated-watch.ts';
import { FakeWatchServer, type ReceivedFrame } from './testing/fake-watch-server.ts';
import type { SimulatedWatchOptions } from './watch-options.ts';

const ID = '8800000015';
const SCHOOL_RUN = demoRoute('school-run');
/** A child who stays put: interval reports never fire, so only bursts and alarms send UD/AL. */
const AT_HOME: Route = {
  name: 'home',
  dwellSeconds: 0,
  waypoints: [{ latitude: 50, longitude: 10 }],
};

let server: FakeWatchServer;
let watches: SimulatedWatch[] = [];

beforeEach(async () => {
  server = await FakeWatchServer.start();
});

afterEach(async () => {
  await Promise.all(watches.map((w) => w.stop()));
  watches = [];
  await server.close();
});

function startWatch(options: Partial<SimulatedWatchOptions> = {}): SimulatedWatch {
  const watch = new SimulatedWatch({
    host: '127.0.0.1',
    port: server.port,
    deviceId: ID,
    uploadIntervalSeconds: 60,
    heartbeatSeconds: 60,
    route: AT_HOME,
    reportMode: 'gps',
    ...options,
  });
  watches.push(watch);
  watch.start();
  return watch;
}

async function online(watch: SimulatedWatch): Promise<void> {
  if (!watch.isOnline) await once(watch, 'reply');
  assert.ok(watch.isOnline);
}

function ofType(type: UplinkMessage['type']) {
  return (r: ReceivedFrame): boolean => r.frame.message.type === type;
}

function ackOf(command: string) {
  return (r: ReceivedFrame): boolean =>
    r.frame.message.type === 'commandAck' && r.frame.message.command === command;
}

/** Metres from a point to the nearest segment of the route (flat-earth, fine across a town). */
function metresFromRoute(point: Waypoint, route: Route): number {
  const m = 111_195;
  const cos = Math.cos((point.latitude * Math.PI) / 180);
  const xy = (p: Waypoint) => [p.longitude * m * cos, p.latitude * m] as const;
  const [px, py] = xy(point);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < route.waypoints.length; i++) {
    const [ax, ay] = xy(route.waypoints[i - 1] as Waypoint);
    const [bx, by] = xy(route.waypoints[i] as Waypoint);
    const share = Math.max(
      0,
      Math.min(
        1,
        ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2),
      ),
    );
    best = Math.min(best, Math.hypot(px - (ax + share * (bx - ax)), py - (ay + share * (by - ay))));
  }
  return best;
}

describe('a simulated watch over TCP', () => {
  test('connects, sends LK with steps and battery, and goes online once LK is answered', async () => {
    const watch = startWatch();
    const reply = await new Promise<{ name: string; latencyMs: number | undefined }>((resolve) => {
      watch.once('reply', resolve);
    });
    assert.equal(reply.name, 'linkKeepAlive');
    assert.ok(reply.latencyMs !== undefined && reply.latencyMs >= 0 && reply.latencyMs < 1000);
    assert.ok(watch.isOnline);
    const lk = (await server.waitFor(ofType('linkKeepAlive'))).frame;
    assert.equal(lk.envelope.deviceId, ID);
    assert.equal(lk.envelope.vendor, '3G');
    assert.ok(lk.message.type === 'linkKeepAlive' && lk.message.batteryPercent === 100);
    // The session continues as firmware does: asks for pending voice after the first LK reply.
    await server.waitFor(ofType('voiceQuery'));
  });

  test('reports positions on its route while walking', async () => {
    startWatch({ route: SCHOOL_RUN, uploadIntervalSeconds: 0.05, routeOffsetSeconds: 30 });
    await server.waitUntil(() => server.framesOf('locationReport').length >= 3);
    for (const { frame } of server.framesOf('locationReport')) {
      assert.ok(frame.message.type === 'locationReport');
      const location = frame.message.location;
      assert.ok(location.hasGnssFix);
      assert.ok(
        metresFromRoute(location, SCHOOL_RUN) < 30,
        `${location.latitude},${location.longitude}`,
      );
      assert.ok(Math.abs(location.speedKmh - 4.5) < 1.5, `speed ${location.speedKmh}`);
      assert.ok(Math.abs(location.recordedAt.getTime() - Date.now()) < 5000);
      assert.ok(location.network.cells.length > 0 && location.network.wifi.length > 0);
    }
  });

  test('reports Wi-Fi and cells without a fix in wifi and cell mode', async () => {
    startWatch({ route: SCHOOL_RUN, uploadIntervalSeconds: 0.05, reportMode: 'wifi' });
    const { frame } = await server.waitFor(ofType('locationReport'));
    assert.ok(frame.message.type === 'locationReport');
    assert.equal(frame.message.location.hasGnssFix, false);
    assert.equal(frame.message.location.network.wifi.length, 3);
    await watches[0]?.stop();
    startWatch({
      route: SCHOOL_RUN,
      uploadIntervalSeconds: 0.05,
      reportMode: 'cell',
      deviceId: '8800000016',
    });
    const cell = await server.waitFor(
      (r) => ofType('locationReport')(r) && r.frame.envelope.deviceId === '8800000016',
    );
    assert.ok(cell.frame.message.type === 'locationReport');
    assert.deepEqual(cell.frame.message.location.network.wifi, []);
    assert.ok(cell.frame.message.location.network.isOperatorKnown);
  });

  test('resends an alarm until the AL reply, then stops', async () => {
    const watch = startWatch({ alarmRetrySeconds: 0.1 });
    await online(watch);
    server.alarmsToIgnore = 2;
    assert.equal(await watch.raiseAlarm('sos'), true);
    const alarms = server.framesOf('alarmReport');
    assert.equal(alarms.length, 3);
    for (const { frame } of alarms) {
      assert.ok(frame.message.type === 'alarmReport');
      assert.deepEqual(frame.message.location.alarms, ['sos']);
    }
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal(server.framesOf('alarmReport').length, 3, 'no resend after the AL reply');
  });

  test('gives up on an alarm after the bounded number of attempts', async () => {
    const watch = startWatch({ alarmRetrySeconds: 0.05, alarmMaxAttempts: 3 });
    await online(watch);
    server.unanswered.add('alarmReport');
    assert.equal(await watch.raiseAlarm('fall'), false);
    assert.equal(server.framesOf('alarmReport').length, 3);
  });

  test('reconnects with backoff while LK goes unanswered', async () => {
    server.unanswered.add('linkKeepAlive');
    const watch = startWatch({
      linkTimeoutSeconds: 0.15,
      reconnectMinSeconds: 0.05,
      reconnectMaxSeconds: 0.1,
    });
    await server.waitUntil(() => server.connectionCount >= 3);
    assert.equal(watch.isOnline, false);
    server.unanswered.delete('linkKeepAlive');
    await once(watch, 'reply');
    assert.ok(watch.isOnline);
  });

  test('acknowledges commands like firmware: bare keyword, TK,1 for voice', async () => {
    const watch = startWatch();
    await online(watch);
    server.send(ID, { type: 'setUploadInterval', intervalSeconds: 30 });
    const upload = (await server.waitFor(ackOf('setUploadInterval'))).frame;
    assert.deepEqual(upload.message.type === 'commandAck' && upload.message.values, []);
    assert.equal(watch.uploadIntervalSeconds, 30);
    const heard = new Promise<unknown>((resolve) => {
      watch.on('command', (c) => {
        if (c.command.type === 'voiceMessage') resolve(Buffer.from(c.command.audio));
      });
    });
    server.send(ID, { type: 'voiceMessage', audio: amrClip(1) });
    assert.deepEqual(await heard, amrClip(1));
    const voice = (await server.waitFor(ackOf('voiceMessage'))).frame.message;
    assert.ok(voice.type === 'commandAck' && voice.keyword === 'TK');
    assert.deepEqual(voice.values, ['1']);
  });

  test('echoes whole commands with fullEchoAcks, and answers nothing with silentAcks', async () => {
    const echo = startWatch({ misbehaviour: { fullEchoAcks: true } });
    const silent = startWatch({ deviceId: '8800000017', misbehaviour: { silentAcks: true } });
    await Promise.all([online(echo), online(silent)]);
    server.send('8800000017', { type: 'findWatch' });
    server.send(ID, { type: 'setSosNumber1', phoneNumber: '5551234' });
    const ack = (await server.waitFor(ackOf('setSosNumber1'))).frame;
    assert.ok(ack.message.type === 'commandAck');
    assert.deepEqual(ack.message.values, ['5551234']);
    assert.equal(server.framesOf('commandAck').length, 1, 'the silent watch did not answer');
  });

  test('locate-now triggers a burst of reports even when standing still', async () => {
    const watch = startWatch({ locateBurstIntervalSeconds: 0.05, locateBurstCount: 4 });
    await online(watch);
    server.send(ID, { type: 'locateNow' });
    await server.waitFor(ackOf('locateNow'));
    await server.waitUntil(() => server.framesOf('locationReport').length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(server.framesOf('locationReport').length, 4);
  });

  test('shows MESSAGE text on its screen', async () => {
    const watch = startWatch();
    await online(watch);
    const shown = once(watch, 'screenText');
    server.send(ID, { type: 'showText', text: 'Code 4711 ✓' });
    assert.deepEqual(await shown, ['Code 4711 ✓']);
    assert.equal(watch.lastScreenText, 'Code 4711 ✓');
  });

  test('answers a remote capture with an img frame that decodes to the JPEG', async () => {
    const watch = startWatch();
    await online(watch);
    server.send(ID, { type: 'takePhoto' });
    const photo = (await server.waitFor(ofType('photo'))).frame;
    assert.ok(photo.message.type === 'photo');
    assert.deepEqual(photo.message.jpeg, tinyJpeg());
    assert.ok(photo.message.takenAt !== undefined);
    assert.ok(photo.envelope.isLengthCorrect);
  });

  test('declares a wrong LENGTH on demand; the frames still decode', async () => {
    const watch = startWatch({ misbehaviour: { wrongLength: true } });
    await online(watch);
    watch.sendPhoto();
    await server.waitFor(ofType('photo'));
    assert.deepEqual(server.rejected, []);
    assert.ok(server.received.every((r) => !r.frame.envelope.isLengthCorrect));
  });

  test('splits frames across reads on demand', async () => {
    const watch = startWatch({ misbehaviour: { splitWrites: true } });
    await online(watch);
    watch.sendVoice();
    await server.waitFor(ofType('voiceMessage'));
    assert.deepEqual(server.rejected, []);
    assert.ok(server.readCount > server.received.length, `${server.readCount} reads`);
  });

  test('coalesces frames into one write on demand', async () => {
    const watch = startWatch({ misbehaviour: { coalesceWrites: true } });
    await online(watch);
    await server.waitFor(ofType('voiceQuery'));
    const readsBefore = server.readCount;
    const framesBefore = server.received.length;
    watch.sendVoice();
    watch.sendPhoto();
    watch.sendBacklog(3);
    await server.waitUntil(() => server.framesOf('bufferedLocationReport').length === 3);
    assert.equal(server.received.length - framesBefore, 5);
    assert.equal(server.readCount - readsBefore, 1);
  });
});
