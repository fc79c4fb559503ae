import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bus } from '../bus/bus.ports.ts';
import type { Position } from '../positions/position.model.ts';
import { RecordingLogger } from '../testing/recording-observability.ts';
import { PublishingPositionSink } from './event-publishers.ts';

function position(watchId: string): Position {
  const at = new Date('2026-03-01T08:00:00.000Z');
  return {
    watchId,
    recordedAt: at,
    receivedAt: at,
    source: 'gps',
    latitude: 51.5,
    longitude: -0.12,
    accuracyMeters: 10,
    speedKmh: 3,
    courseDegrees: 90,
    altitudeMeters: null,
    isBuffered: false,
    flags: [],
  };
}

function recording() {
  const stored: string[] = [];
  const published: { subject: string; message: Record<string, unknown> }[] = [];
  const bus: Bus = {
    publish: (subject, message) => {
      published.push({ subject, message: message as Record<string, unknown> });
      return Promise.resolve();
    },
    subscribe: () => () => undefined,
  };
  const sink = {
    submit: (p: Position) => {
      stored.push(p.watchId);
      return Promise.resolve();
    },
  };
  return { stored, published, bus, sink };
}

function announced(message: Record<string, unknown> | undefined): Record<string, unknown>[] {
  return (message?.['positions'] ?? []) as Record<string, unknown>[];
}

test('a position is stored, then announced', async () => {
  const { stored, published, bus, sink } = recording();
  await new PublishingPositionSink(sink, bus, new RecordingLogger()).submit(position('w1'));
  assert.deepEqual(stored, ['w1']);
  assert.equal(published.at(0)?.subject, 'watches.positions');
  assert.equal(published.at(0)?.message['type'], 'positionBatch');
  const [event] = announced(published.at(0)?.message);
  assert.ok(event !== undefined);
  assert.equal(event['watchId'], 'w1');
  assert.equal(event['zoneOnly'], undefined);
});

test('positions that one commit makes durable are announced in one message, in order', async () => {
  const { published, bus } = recording();
  let commit: () => void = () => undefined;
  const committed = new Promise<void>((resolve) => (commit = resolve));
  const batchSink = { submit: () => committed };
  const publisher = new PublishingPositionSink(batchSink, bus, new RecordingLogger());
  const submits = ['w1', 'w2', 'w3'].map((id) => publisher.submit(position(id)));
  commit();
  await Promise.all(submits);
  assert.equal(published.length, 1);
  assert.deepEqual(
    announced(published[0]?.message).map((event) => event['watchId']),
    ['w1', 'w2', 'w3'],
  );
  await publisher.submit(position('w4'));
  assert.equal(published.length, 2, 'a later commit is a message of its own');
});

test('a zone-only watch keeps no trail: not stored, announced for zones only', async () => {
  const { stored, published, bus, sink } = recording();
  const publisher = new PublishingPositionSink(
    sink,
    bus,
    new RecordingLogger(),
    (id) => id === 'w2',
  );
  await publisher.submit(position('w2'));
  assert.deepEqual(stored, []);
  assert.equal(announced(published.at(0)?.message)[0]?.['zoneOnly'], true);
});

test('a failed store is not announced', async () => {
  const { published, bus } = recording();
  const failing = { submit: () => Promise.reject(new Error('disk full')) };
  await assert.rejects(
    new PublishingPositionSink(failing, bus, new RecordingLogger()).submit(position('w1')),
  );
  assert.equal(published.length, 0);
});
