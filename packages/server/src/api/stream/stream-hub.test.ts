import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { subjects, type AlertEvent, type PackedPosition } from '@kinwatch/core';
import { InstantBus } from '../../../../core/src/testing/instant-bus.ts';
import { packedFix } from '../../../../core/src/testing/position-fakes.ts';
import { RecordingLogger } from '../../../../core/src/testing/recording-observability.ts';
import { CLOSE_TOO_SLOW, StreamHub, type StreamSocket } from './stream-hub.ts';

class FakeSocket implements StreamSocket {
  bufferedAmount = 0;
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code: number): void {
    this.closedWith = code;
  }
  ping(): void {}
  types(): unknown[] {
    return this.sent.map((m) => m['type']);
  }
}

function alertEvent(eventId: number, watchId = 'w1') {
  return {
    type: 'alert',
    watchId,
    eventId,
    change: 'raised',
    alert: { id: eventId, kind: 'sos' },
  };
}

function hubWith(watchesOf: Record<string, string[]>, replay: AlertEvent[] = []) {
  const bus = new InstantBus();
  const hub = new StreamHub({
    bus,
    alerts: {
      eventsAfter: (_ids, after) => Promise.resolve(replay.filter((e) => e.eventId > after)),
      lastEventId: () => Promise.resolve(7),
    },
    watchesOf: (accountId) => Promise.resolve(watchesOf[accountId] ?? []),
    logger: new RecordingLogger(),
    options: { maxBufferedBytes: 100 },
  });
  hub.start();
  return { bus, hub };
}

function positionEvent(watchId: string, zoneOnly?: true): PackedPosition {
  return packedFix(watchId, { isZoneOnly: zoneOnly === true });
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the stream hub', () => {
  test("sends hello, then only the events of the client's own watches", async () => {
    const { bus, hub } = hubWith({ mum: ['w1'], other: ['w2'] });
    const mum = new FakeSocket();
    const other = new FakeSocket();
    await hub.connect('mum', mum, undefined);
    await hub.connect('other', other, undefined);
    await bus.publish(subjects.watchEvent('w1', 'status'), {
      type: 'status',
      watchId: 'w1',
      batteryPercent: 50,
      at: 'x',
    });
    await settle();
    assert.deepEqual(mum.types(), ['hello', 'status']);
    assert.equal(mum.sent[0]?.['lastEventId'], 7);
    assert.deepEqual(other.types(), ['hello']);
    hub.stop();
  });

  test('a client that does not read loses positions, and is closed by an alert it cannot take', async () => {
    const { bus, hub } = hubWith({ mum: ['w1'] });
    const slow = new FakeSocket();
    await hub.connect('mum', slow, undefined);
    slow.bufferedAmount = 1000;
    await bus.publish(subjects.positionBatches, {
      type: 'positionBatch',
      positions: [positionEvent('w1')],
    });
    await settle();
    assert.deepEqual(slow.types(), ['hello']);
    await bus.publish(subjects.watchEvent('w1', 'alert'), alertEvent(8));
    await settle();
    assert.equal(slow.closedWith, CLOSE_TOO_SLOW);
    assert.equal(hub.clientCount, 0);
    hub.stop();
  });

  test('resuming replays missed alerts once, then live ones without duplicates', async () => {
    const replayed = [5, 6].map((eventId) => ({
      eventId,
      type: 'raised' as const,
      at: new Date(),
      alert: {
        id: eventId,
        watchId: 'w1',
        kind: 'sos' as const,
        raisedAt: new Date(),
        recordedAt: null,
        location: null,
        details: {},
        acknowledgedAt: null,
        acknowledgedBy: null,
      },
    }));
    const { bus, hub } = hubWith({ mum: ['w1'] }, replayed);
    const socket = new FakeSocket();
    await hub.connect('mum', socket, 4);
    await bus.publish(subjects.watchEvent('w1', 'alert'), alertEvent(6));
    await bus.publish(subjects.watchEvent('w1', 'alert'), alertEvent(9));
    await settle();
    assert.deepEqual(
      socket.sent.filter((m) => m['type'] === 'alert').map((m) => m['eventId']),
      [5, 6, 9],
    );
    hub.stop();
  });

  test("an alarm's early announcement reaches its watch's guardians only, before its stored alert", async () => {
    const { bus, hub } = hubWith({ mum: ['w1'], other: ['w2'] });
    const mum = new FakeSocket();
    const other = new FakeSocket();
    await hub.connect('mum', mum, undefined);
    await hub.connect('other', other, undefined);
    const announcement = {
      type: 'alarmReceived',
      watchId: 'w1',
      alertKinds: ['sos'],
      recordedAt: '2026-03-01T08:00:00.000Z',
      receivedAt: '2026-03-01T08:00:01.000Z',
      location: null,
    };
    await bus.publish(subjects.watchEvent('w1', 'alarmReceived'), announcement);
    await bus.publish(subjects.watchEvent('w1', 'alert'), alertEvent(8));
    await settle();
    assert.deepEqual(mum.types(), ['hello', 'alarmReceived', 'alert']);
    assert.deepEqual(mum.sent[1], announcement);
    assert.deepEqual(other.types(), ['hello']);
    // Not kept for resuming: a client that comes back gets the stored alert only.
    const back = new FakeSocket();
    await hub.connect('mum', back, 7);
    assert.equal(back.types().includes('alarmReceived'), false);
    hub.stop();
  });

  test("a batch of positions reaches each client with its own watches' positions only", async () => {
    const { bus, hub } = hubWith({ mum: ['w1'], other: ['w2'] });
    const mum = new FakeSocket();
    const other = new FakeSocket();
    await hub.connect('mum', mum, undefined);
    await hub.connect('other', other, undefined);
    await bus.publish(subjects.positionBatches, {
      type: 'positionBatch',
      positions: [positionEvent('w1'), positionEvent('w3'), positionEvent('w1', true)],
    });
    await settle();
    assert.deepEqual(mum.types(), ['hello', 'position'], 'zone-only positions are never shown');
    assert.equal(mum.sent[1]?.['watchId'], 'w1');
    assert.deepEqual(other.types(), ['hello']);
    hub.stop();
  });

  test('listens on the bus only for the watches its clients follow', async () => {
    const { bus, hub } = hubWith({ mum: ['w1', 'w2'], dad: ['w1'] });
    const idle = bus.subscriptionCount;
    const closeMum = await hub.connect('mum', new FakeSocket(), undefined);
    const closeDad = await hub.connect('dad', new FakeSocket(), undefined);
    assert.equal(bus.subscriptionCount, idle + 3, 'w1, w2 and the position batches');
    closeMum();
    assert.equal(bus.subscriptionCount, idle + 2, 'w1 and the position batches');
    closeDad();
    assert.equal(bus.subscriptionCount, idle);
    hub.stop();
  });
});
