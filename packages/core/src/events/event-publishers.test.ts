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

test('a position is stored, then announced', async () => {
  const { stored, published, bus, sink } = recording();
  await new PublishingPositionSink(sink, bus, new RecordingLogger()).submit(position('w1'));
  assert.deepEqual(stored, ['w1']);
  assert.equal(published.at(0)?.subject, 'watch.w1.event');
  assert.equal(published.at(0)?.message['zoneOnly'], undefined);
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
  assert.equal(published.at(0)?.message['zoneOnly'], true);
});

test('a failed store is not announced', async () => {
  const { published, bus } = recording();
  const failing = { submit: () => Promise.reject(new Error('disk full')) };
  await assert.rejects(
    new PublishingPositionSink(failing, bus, new RecordingLogger()).submit(position('w1')),
  );
  assert.equal(published.length, 0);
});
