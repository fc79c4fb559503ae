import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bus } from '../bus/bus.ports.ts';
import type { JsonObject, JsonValue } from '../json/json-value.ts';
import type { NewCommand, QueuedCommand } from './command.model.ts';
import type { CommandQueueRepository } from './command.ports.ts';
import { CommandRefusedError, CommandService } from './command.service.ts';

const NOW = new Date('2026-01-05T10:00:00.000Z');

class FakeQueue implements Pick<CommandQueueRepository, 'enqueue' | 'setDesired'> {
  readonly enqueued: NewCommand[] = [];
  readonly desired: [string, string, JsonValue][] = [];

  enqueue(command: NewCommand): Promise<QueuedCommand> {
    this.enqueued.push(command);
    return Promise.resolve({
      ...command,
      id: this.enqueued.length,
      status: 'queued',
      sentAt: null,
      settledAt: null,
      attempts: 0,
    });
  }

  setDesired(watchId: string, key: string, value: JsonValue): Promise<void> {
    this.desired.push([watchId, key, value]);
    return Promise.resolve();
  }
}

function setup(defaultTtlSeconds?: number) {
  const queue = new FakeQueue();
  const published: [string, unknown][] = [];
  const bus: Bus = {
    publish: (subject, message) => {
      published.push([subject, message]);
      return Promise.resolve();
    },
    subscribe: () => () => undefined,
  };
  const service = new CommandService(
    queue as unknown as CommandQueueRepository,
    bus,
    { now: () => NOW },
    defaultTtlSeconds,
  );
  return { queue, published, service };
}

test('a command is stored, then announced to the gateway holding the watch', async () => {
  const { queue, published, service } = setup();
  const command = await service.send('w1', 'locateNow', {});
  assert.equal(queue.enqueued.length, 1);
  assert.deepEqual(published, [['watch.w1.command', { commandId: command.id }]]);
  assert.equal(command.expiresAt, null);
  assert.deepEqual(queue.desired, [], 'locating is not a setting');
});

test('commands outside the allowlist are refused and nothing is stored', async () => {
  const { queue, published, service } = setup();
  for (const type of ['covertListening', 'MONITOR', 'redirectServer', '']) {
    await assert.rejects(service.send('w1', type, {}), CommandRefusedError);
  }
  assert.equal(queue.enqueued.length, 0);
  assert.equal(published.length, 0);
});

test('the default time to live applies unless the caller gives one', async () => {
  const { service } = setup(3600);
  const byDefault = await service.send('w1', 'findWatch', {});
  assert.equal(byDefault.expiresAt?.toISOString(), '2026-01-05T11:00:00.000Z');
  const given = await service.send('w1', 'findWatch', {}, { ttlSeconds: 60 });
  assert.equal(given.expiresAt?.toISOString(), '2026-01-05T10:01:00.000Z');
});

test('a setting command becomes the desired value of the device twin', async () => {
  const { queue, service } = setup();
  const parameters: JsonObject = { intervalSeconds: 600 };
  await service.send('w1', 'setUploadInterval', parameters);
  assert.deepEqual(queue.desired, [['w1', 'setUploadInterval', parameters]]);
});
