import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveStream, streamUrl, type StreamSocket, type StreamState } from './live-stream.ts';
import type { StreamMessage } from './stream-messages.ts';

function at<T>(items: readonly T[], index: number): T {
  const item = items.at(index);
  assert.ok(item !== undefined, `no item ${index}`);
  return item;
}

class FakeSocket implements StreamSocket {
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  closedWith: number | undefined;
  constructor(readonly url: string) {}
  close(code?: number): void {
    this.closedWith = code;
  }
  open(): void {
    this.onopen?.();
  }
  receive(message: object | string): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  drop(code = 1006): void {
    this.onclose?.({ code });
  }
}

function setUp() {
  const sockets: FakeSocket[] = [];
  const timers: { callback: () => void; ms: number }[] = [];
  const stream = new LiveStream({
    url: 'ws://host/api/v1/stream',
    connect: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    setTimer: (callback, ms) => {
      const timer = { callback, ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      const index = timers.indexOf(timer as (typeof timers)[number]);
      if (index >= 0) timers.splice(index, 1);
    },
    random: () => 0.5,
  });
  const received: StreamMessage[] = [];
  const states: StreamState[] = [];
  stream.subscribe((message) => received.push(message));
  stream.onState((state) => states.push(state));
  const fireTimer = () => {
    const timer = timers.shift();
    assert.ok(timer, 'a retry should be planned');
    timer.callback();
    return timer.ms;
  };
  return { stream, sockets, timers, received, states, fireTimer };
}

const alert = (eventId: number) => ({
  type: 'alert',
  watchId: 'w1',
  eventId,
  change: 'raised',
  alert: { id: eventId, kind: 'sos' },
});

describe('LiveStream', () => {
  test('delivers known messages in order and ignores unknown or broken ones', () => {
    const { stream, sockets, received, states } = setUp();
    stream.start();
    const socket = at(sockets, 0);
    socket.open();
    socket.receive({ type: 'hello', watchIds: ['w1'], lastEventId: 7 });
    socket.receive('not json');
    socket.receive({ type: 'somethingNew' });
    socket.receive({ type: 'status', watchId: 'w1', isOnline: true, at: 'now' });
    assert.deepEqual(
      received.map((message) => message.type),
      ['hello', 'status'],
    );
    assert.deepEqual(states, ['connecting', 'open']);
  });

  test('resumes after a drop from the newest alert event it saw', () => {
    const { stream, sockets, fireTimer } = setUp();
    stream.start();
    at(sockets, 0).open();
    at(sockets, 0).receive({ type: 'hello', watchIds: ['w1'], lastEventId: 3 });
    at(sockets, 0).receive(alert(9));
    at(sockets, 0).receive(alert(8));
    at(sockets, 0).drop();
    fireTimer();
    assert.equal(at(sockets, 1).url, 'ws://host/api/v1/stream?since=9');
  });

  test('the first connection after a hello resumes from the hello when no alert came', () => {
    const { stream, sockets, fireTimer } = setUp();
    stream.start();
    assert.equal(at(sockets, 0).url, 'ws://host/api/v1/stream');
    at(sockets, 0).open();
    at(sockets, 0).receive({ type: 'hello', watchIds: [], lastEventId: 41 });
    at(sockets, 0).drop();
    fireTimer();
    assert.equal(at(sockets, 1).url, 'ws://host/api/v1/stream?since=41');
  });

  test('waits longer after each failed attempt, up to the ceiling, and resets once open', () => {
    const { stream, sockets, fireTimer, states } = setUp();
    stream.start();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      at(sockets, -1).drop();
      delays.push(fireTimer());
    }
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    assert.equal(states.at(-1), 'reconnecting');
    at(sockets, -1).open();
    at(sockets, -1).drop();
    assert.equal(fireTimer(), 500);
  });

  test('tells drop listeners the close code, and stop() ends retrying', () => {
    const { stream, sockets, timers } = setUp();
    const drops: (number | null)[] = [];
    stream.onDrop((code) => drops.push(code));
    stream.start();
    at(sockets, 0).open();
    at(sockets, 0).drop(4008);
    assert.deepEqual(drops, [4008]);
    stream.stop();
    assert.equal(timers.length, 0);
    assert.equal(stream.state, 'closed');
  });

  test('reconnectNow skips the wait of a planned retry', () => {
    const { stream, sockets, timers } = setUp();
    stream.start();
    at(sockets, 0).drop();
    assert.equal(timers.length, 1);
    stream.reconnectNow();
    assert.equal(timers.length, 0);
    assert.equal(sockets.length, 2);
  });

  test('streamUrl matches the page scheme', () => {
    assert.equal(
      streamUrl({ protocol: 'https:', host: 'a.example' }),
      'wss://a.example/api/v1/stream',
    );
    assert.equal(
      streamUrl({ protocol: 'http:', host: 'localhost:8080' }),
      'ws://localhost:8080/api/v1/stream',
    );
  });
});
