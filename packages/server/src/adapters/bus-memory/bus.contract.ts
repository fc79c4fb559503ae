/**
 * The behaviour every Bus adapter must have, as a node:test suite. The memory bus runs it in
 * memory-bus.test.ts; the NATS bus is to run the same suite against a real NATS server.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Bus } from '@kinwatch/core';

export interface BusUnderTest {
  readonly bus: Bus;
  /** Releases the adapter (connections, timers) after the suite. */
  close(): Promise<void>;
}

const WAIT_MS = 2_000;

interface Received {
  readonly subject: string;
  readonly message: unknown;
}

/** Records what one subscription receives and waits until it has received enough. */
class Inbox {
  readonly received: Received[] = [];
  #waiters: (() => void)[] = [];

  readonly handler = (message: unknown, subject: string): void => {
    this.received.push({ subject, message });
    for (const wake of this.#waiters) wake();
  };

  async waitFor(count: number): Promise<Received[]> {
    const deadline = Date.now() + WAIT_MS;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        assert.fail(`expected ${count} messages within ${WAIT_MS} ms, got ${this.received.length}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.#waiters = [];
    }
    return this.received;
  }

  subjects(): string[] {
    return this.received.map((entry) => entry.subject);
  }
}

/**
 * Defines the contract suite for a Bus adapter. `open` is called once; each test works under its
 * own random subject prefix, so a shared server does not mix tests up.
 */
export function busContract(adapterName: string, open: () => Promise<BusUnderTest>): void {
  void describe(`Bus contract: ${adapterName}`, () => {
    let underTest: BusUnderTest | undefined;
    before(async () => {
      underTest = await open();
    });
    after(async () => {
      await underTest?.close();
    });
    const bus = (): Bus => {
      if (underTest === undefined) throw new Error('the bus did not open');
      return underTest.bus;
    };
    const prefix = (): string => `t${randomBytes(4).toString('hex')}`;

    deliveryTests(bus, prefix);
    wildcardTests(bus, prefix);
    isolationTests(bus, prefix);
    subjectValidationTests(bus);
  });
}

function deliveryTests(bus: () => Bus, prefix: () => string): void {
  void test('delivers a message to every subscriber of its subject, and to no other', async () => {
    const p = prefix();
    const [first, second, other] = [new Inbox(), new Inbox(), new Inbox()];
    const stops = [
      bus().subscribe(`${p}.watch.1.event`, first.handler),
      bus().subscribe(`${p}.watch.1.event`, second.handler),
      bus().subscribe(`${p}.watch.2.event`, other.handler),
    ];
    await bus().publish(`${p}.watch.1.event`, { kind: 'position', batteryPercent: 80 });
    await bus().publish(`${p}.watch.2.event`, { kind: 'sentinel' });
    for (const inbox of [first, second]) {
      assert.deepEqual(await inbox.waitFor(1), [
        { subject: `${p}.watch.1.event`, message: { kind: 'position', batteryPercent: 80 } },
      ]);
    }
    assert.deepEqual(await other.waitFor(1), [
      { subject: `${p}.watch.2.event`, message: { kind: 'sentinel' } },
    ]);
    for (const stop of stops) stop();
  });

  void test('each subscription gets its messages in publish order, one at a time', async () => {
    const p = prefix();
    const seen: number[] = [];
    let running = 0;
    let mostRunning = 0;
    const done = new Inbox();
    const stop = bus().subscribe(`${p}.ordered`, async (message) => {
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      // Handlers that take different times must not overtake each other.
      if (Number(message) % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      else await Promise.resolve();
      seen.push(Number(message));
      running -= 1;
      done.handler(message, `${p}.ordered`);
    });
    const count = 200;
    for (let index = 0; index < count; index += 1) await bus().publish(`${p}.ordered`, index);
    await done.waitFor(count);
    assert.deepEqual(
      seen,
      Array.from({ length: count }, (_, index) => index),
    );
    assert.equal(mostRunning, 1);
    stop();
  });

  void test('unsubscribing stops delivery, and doing it twice is harmless', async () => {
    const p = prefix();
    const [leaving, staying] = [new Inbox(), new Inbox()];
    const stop = bus().subscribe(`${p}.x`, leaving.handler);
    const stopStaying = bus().subscribe(`${p}.x`, staying.handler);
    await bus().publish(`${p}.x`, 1);
    await leaving.waitFor(1);
    stop();
    stop();
    await bus().publish(`${p}.x`, 2);
    await staying.waitFor(2);
    assert.deepEqual(
      leaving.received.map((entry) => entry.message),
      [1],
    );
    stopStaying();
  });

  void test('a handler may publish', async () => {
    const p = prefix();
    const pongs = new Inbox();
    const stops = [
      bus().subscribe(`${p}.ping`, async (message) => {
        await bus().publish(`${p}.pong`, { echo: message });
      }),
      bus().subscribe(`${p}.pong`, pongs.handler),
    ];
    await bus().publish(`${p}.ping`, 'hello');
    assert.deepEqual((await pongs.waitFor(1))[0]?.message, { echo: 'hello' });
    for (const s of stops) s();
  });
}

function wildcardTests(bus: () => Bus, prefix: () => string): void {
  void test('* matches exactly one token', async () => {
    const p = prefix();
    const inbox = new Inbox();
    const stop = bus().subscribe(`${p}.watch.*.event`, inbox.handler);
    for (const subject of ['watch.1.event', 'watch.1.2.event', 'watch.event', 'watch.1.command']) {
      await bus().publish(`${p}.${subject}`, subject);
    }
    await bus().publish(`${p}.watch.last.event`, 'sentinel');
    await inbox.waitFor(2);
    assert.deepEqual(inbox.subjects(), [`${p}.watch.1.event`, `${p}.watch.last.event`]);
    stop();
  });

  void test('a final > matches one or more tokens, never none', async () => {
    const p = prefix();
    const inbox = new Inbox();
    const stop = bus().subscribe(`${p}.watch.>`, inbox.handler);
    for (const subject of ['watch', 'watch.1', 'other.1', 'watch.1.event.extra']) {
      await bus().publish(`${p}.${subject}`, subject);
    }
    await inbox.waitFor(2);
    assert.deepEqual(inbox.subjects(), [`${p}.watch.1`, `${p}.watch.1.event.extra`]);
    stop();
  });
}

function isolationTests(bus: () => Bus, prefix: () => string): void {
  void test('a handler that throws or rejects stops neither itself nor other subscribers', async () => {
    const p = prefix();
    const [failing, healthy] = [new Inbox(), new Inbox()];
    const stops = [
      bus().subscribe(`${p}.y`, (message, subject) => {
        failing.handler(message, subject);
        if (message === 1) throw new Error('handler failure on purpose');
        if (message === 2) return Promise.reject(new Error('async failure on purpose'));
        return undefined;
      }),
      bus().subscribe(`${p}.y`, healthy.handler),
    ];
    for (const message of [1, 2, 3]) await bus().publish(`${p}.y`, message);
    await failing.waitFor(3);
    await healthy.waitFor(3);
    assert.deepEqual(
      failing.received.map((entry) => entry.message),
      [1, 2, 3],
    );
    for (const stop of stops) stop();
  });

  void test('a slow subscriber holds up no other subscriber', async () => {
    const p = prefix();
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const [slow, fast] = [new Inbox(), new Inbox()];
    const stops = [
      bus().subscribe(`${p}.z`, async (message, subject) => {
        await gate;
        slow.handler(message, subject);
      }),
      bus().subscribe(`${p}.z`, fast.handler),
    ];
    for (const message of [1, 2, 3]) await bus().publish(`${p}.z`, message);
    await fast.waitFor(3);
    assert.equal(slow.received.length, 0);
    release();
    await slow.waitFor(3);
    for (const stop of stops) stop();
  });

  void test('subscribers get JSON copies: no one sees another’s changes', async () => {
    const p = prefix();
    const [mutating, reading] = [new Inbox(), new Inbox()];
    const stops = [
      bus().subscribe(`${p}.copy`, (message, subject) => {
        (message as { count: number }).count = 99;
        mutating.handler(message, subject);
      }),
      bus().subscribe(`${p}.copy`, reading.handler),
    ];
    const published = { count: 1, at: new Date('2024-05-01T10:00:00.000Z') };
    await bus().publish(`${p}.copy`, published);
    published.count = 2;
    await mutating.waitFor(1);
    assert.deepEqual((await reading.waitFor(1))[0]?.message, {
      count: 1,
      at: '2024-05-01T10:00:00.000Z',
    });
    for (const stop of stops) stop();
  });
}

function subjectValidationTests(bus: () => Bus): void {
  void test('invalid subjects are refused', async () => {
    for (const subject of ['', 'a..b', 'a.*', 'a.>', 'a b', '.a']) {
      await assert.rejects(bus().publish(subject, 1), RangeError, subject);
    }
    for (const subject of ['', 'a..b', 'a.>.b', 'a.b*', 'a. b']) {
      assert.throws(() => bus().subscribe(subject, () => undefined), RangeError, subject);
    }
  });
}
