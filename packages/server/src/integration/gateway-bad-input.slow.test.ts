import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { encodeFrame } from '@kinwatch/protocol';
import {
  eventually,
  startGateway,
  TestWatch,
  UD_GPS,
  type RunningGateway,
} from './gateway-harness.ts';

const VICTIM = '8800000020';
const BYSTANDER = '8800000021';

/**
 * Each misbehaviour over real TCP: it is logged and counted, the offending connection is closed
 * when it must be, a well-behaved watch connected at the same time keeps being answered, and
 * nothing already stored is lost.
 */
describe('gateway under bad input', () => {
  let gw: RunningGateway;
  let victimId: string;
  let bystander: TestWatch;

  before(async () => {
    gw = await startGateway({
      maxFrameBytes: 4096,
      maxFramesPerSecond: 50,
      maxConnectionsPerAddress: 200,
      headerTimeoutSeconds: 1,
      partialFrameTimeoutSeconds: 1,
      maxBadFramesInRow: 5,
    });
    [victimId = ''] = await gw.provision(VICTIM, BYSTANDER);
    const watch = await TestWatch.connect(gw.port, '127.0.0.9');
    watch.sendFrame(VICTIM, UD_GPS);
    await eventually(() => gw.positions.latest(victimId));
    watch.close();
    bystander = await TestWatch.connect(gw.port, '127.0.0.10');
  });

  after(async () => {
    bystander.close();
    // Nothing stored before the abuse was lost.
    assert.equal(await gw.positions.count(victimId), 1);
    await gw.stop();
  });

  async function bystanderIsAnswered(): Promise<void> {
    bystander.sendFrame(BYSTANDER, 'LK');
    await bystander.waitFor((f) => f === `[3G*${BYSTANDER}*0002*LK]`);
  }

  function counter(name: string, labels: Record<string, string>): number {
    return gw.metrics.value(name, labels);
  }

  test('garbage bytes are skipped and counted; the next frame is answered', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.send(Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x47, 0x45, 0x54, 0x20]));
    watch.sendFrame(VICTIM, 'LK');
    await watch.waitFor((f) => f.endsWith('*LK]'));
    assert.ok(counter('kinwatch_gateway_discarded_bytes_total', { reason: 'noise' }) >= 8);
    assert.equal(watch.isClosed, false);
    await bystanderIsAnswered();
    watch.close();
  });

  test('an oversize frame is dropped, logged, and the stream resynchronises', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.send(`[3G*${VICTIM}*FFFF*TK,${'x'.repeat(6000)}`);
    watch.send(`${'y'.repeat(100)}]`);
    watch.sendFrame(VICTIM, 'LK');
    await watch.waitFor((f) => f.endsWith('*LK]'));
    assert.ok(counter('kinwatch_gateway_discarded_bytes_total', { reason: 'oversize' }) > 4096);
    assert.ok(
      gw.logger.entries.some(
        (e) => e.message === 'bytes dropped' && e.fields.reason === 'oversize',
      ),
    );
    await bystanderIsAnswered();
    watch.close();
  });

  test('absurd values refuse the frame with a reason; nothing is stored from it', async () => {
    const watch = await TestWatch.connect(gw.port);
    const before = await gw.positions.count(victimId);
    watch.sendFrame(VICTIM, UD_GPS.replace('22.571707', '95.000000'));
    watch.sendFrame(VICTIM, UD_GPS.replace('3.1,142.0', '9999.0,142.0'));
    watch.sendFrame(VICTIM, 'LK');
    await watch.waitFor((f) => f.endsWith('*LK]'));
    const refused = gw.logger.entries.filter((e) => e.message === 'frame refused');
    assert.ok(refused.some((e) => String(e.fields.reason).includes('out of range')));
    assert.ok(refused.some((e) => String(e.fields.reason).includes('speedKmh')));
    assert.equal(await gw.positions.count(victimId), before);
    assert.ok(counter('kinwatch_gateway_bad_frames_total', { keyword: 'UD' }) >= 2);
    watch.close();
  });

  test('a stream of undecodable frames closes the connection', async () => {
    const watch = await TestWatch.connect(gw.port);
    for (let i = 0; i < 6; i++) watch.send(`[3G*${VICTIM}*0002*]`);
    await watch.closed;
    assert.equal(counter('kinwatch_gateway_closed_total', { reason: 'badFrames' }), 1);
    await bystanderIsAnswered();
  });

  test('a reply decided before the connection is closed still reaches the watch', async () => {
    const closedBefore = counter('kinwatch_gateway_closed_total', { reason: 'badFrames' });
    const watch = await TestWatch.connect(gw.port);
    // One write: the heartbeat is answered, then the bad frames after it close the connection
    // while the server handles the same chunk.
    const target = { vendor: '3G', deviceId: VICTIM };
    const refused = Array.from({ length: 5 }, () => encodeFrame(target, 'UD,x'));
    watch.send(Buffer.concat([encodeFrame(target, 'LK'), ...refused]));
    await watch.closed;
    assert.deepEqual(watch.received, [`[3G*${VICTIM}*0002*LK]`]);
    assert.equal(
      counter('kinwatch_gateway_closed_total', { reason: 'badFrames' }),
      closedBefore + 1,
    );
  });

  test('a flood of frames closes the connection; other watches are not slowed', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.send(`[3G*${VICTIM}*0002*LK]`.repeat(500));
    await watch.closed;
    assert.equal(counter('kinwatch_gateway_closed_total', { reason: 'flood' }), 1);
    await bystanderIsAnswered();
  });

  test('a sender trickling a frame a byte at a time is dropped', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(VICTIM, 'LK');
    await watch.waitFor((f) => f.endsWith('*LK]'));
    const frame = `[3G*${VICTIM}*0002*LK]`;
    let at = 0;
    const trickle = setInterval(() => {
      if (at < frame.length) watch.send(frame.charAt(at++));
    }, 400);
    await watch.closed;
    clearInterval(trickle);
    assert.equal(counter('kinwatch_gateway_closed_total', { reason: 'partialFrameTimeout' }), 1);
    await bystanderIsAnswered();
  });

  test('a connection that never sends a frame is closed', async () => {
    const watch = await TestWatch.connect(gw.port);
    await watch.closed;
    assert.ok(counter('kinwatch_gateway_closed_total', { reason: 'noFrame' }) >= 1);
  });

  test('connections beyond the limit from one address are refused; others still connect', async () => {
    const opened = await Promise.all(
      Array.from({ length: 260 }, () => TestWatch.connect(gw.port, '127.0.0.7')),
    );
    await eventually(() =>
      Promise.resolve(
        counter('kinwatch_gateway_refused_total', { reason: 'perAddress' }) >= 60
          ? true
          : undefined,
      ),
    );
    // The server refuses at once; the client sees each refused socket close a little later.
    await eventually(() =>
      Promise.resolve(opened.filter((w) => w.isClosed).length >= 60 ? true : undefined),
    );
    const fresh = await TestWatch.connect(gw.port, '127.0.0.8');
    fresh.sendFrame(BYSTANDER, 'LK');
    await fresh.waitFor((f) => f.endsWith('*LK]'));
    for (const w of opened) w.close();
    fresh.close();
  });

  test('a connection that switches device id mid-stream is closed', async () => {
    const watch = await TestWatch.connect(gw.port);
    watch.sendFrame(VICTIM, 'LK');
    await watch.waitFor((f) => f.endsWith('*LK]'));
    watch.sendFrame(BYSTANDER, 'LK');
    await watch.closed;
    assert.equal(counter('kinwatch_gateway_closed_total', { reason: 'deviceIdChanged' }), 1);
  });
});
