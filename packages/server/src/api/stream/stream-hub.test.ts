import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlertEvent, Bus } from '@kinwatch/core';
import { RecordingLogger } from '../../../../core/src/testing/recording-observability.ts';
import { CLOSE_TOO_SLOW, StreamHub, type StreamSocket } from './stream-hub.ts';

/** Delivers to subscribers of `watch.*.event` at once. */
class FakeBus implements Bus {
  readonly #handlers: ((message: unknown, subject: string) => void | Promise<void>)[] = [];
  async publish(subject: string, message: unknown): Promise<void> {
    for (const handler of this.#handlers) await handler(message, subject);
  }
  subscribe(
    _subject: string,
    handler: (message: unknown, subject: string) => void | Promise<void>,
  ) {
    this.#handlers.push(handler);
    return () => undefined;
  }
}

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
  const bus = new FakeBus();
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

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the stream hub', () => {
  test("sends hello, then only the events of the client's own watches", async () => {
    const { bus, hub } = hubWith({ mum: ['w1'], other: ['w2'] });
    const mum = new FakeSocket();
    const other = new FakeSocket();
    await hub.connect('mum', mum, undefined);
    await hub.connect('other', other, undefined);
    await bus.publish('watch.w1.event', {
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
    await bus.publish('watch.w1.event', { type: 'position', watchId: 'w1', position: {} });
    await settle();
    assert.deepEqual(slow.types(), ['hello']);
    await bus.publish('watch.w1.event', alertEvent(8));
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
    await bus.publish('watch.w1.event', alertEvent(6));
    await bus.publish('watch.w1.event', alertEvent(9));
    await settle();
    assert.deepEqual(
      socket.sent.filter((m) => m['type'] === 'alert').map((m) => m['eventId']),
      [5, 6, 9],
    );
    hub.stop();
  });
});
