import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bus } from '../bus/bus.ports.ts';
import type { NewAlarm } from '../positions/alarm.model.ts';
import type { RecordedAlarm } from '../positions/alarm.ports.ts';
import { AlarmService } from '../positions/alarm.service.ts';
import type { GeoResolver } from '../positions/geo-resolver.ports.ts';
import type { Position } from '../positions/position.model.ts';
import { InMemoryAlarms, observation } from '../testing/position-fakes.ts';
import { RecordingLogger, RecordingMetrics } from '../testing/recording-observability.ts';
import type { NewAlert } from '../alerts/alert.model.ts';
import { PublishingAlarms, PublishingPositionSink } from './event-publishers.ts';
import { unpackPosition, type PackedPosition } from './watch-event.model.ts';

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
  const positions = (message?.['positions'] ?? []) as PackedPosition[];
  return positions.map((packed) => unpackPosition(packed) as unknown as Record<string, unknown>);
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

/** An alarm service over `alarms`, with no place lookup beyond the report's own fix. */
function alarmService(alarms: Pick<InMemoryAlarms, 'record'>): AlarmService {
  const resolver: GeoResolver = { resolve: () => Promise.resolve(undefined) };
  return new AlarmService({
    resolver,
    alarms,
    logger: new RecordingLogger(),
    metrics: new RecordingMetrics(),
  });
}

test('an SOS is announced before its commit, its stored alert after it, then the alarm', async () => {
  const { published, bus } = recording();
  const stored = new InMemoryAlarms();
  let commit: () => void = () => undefined;
  const held = {
    record: (alarm: NewAlarm, alerts?: readonly NewAlert[]) =>
      new Promise<RecordedAlarm>((resolve) => {
        commit = () => {
          resolve(stored.record(alarm, alerts));
        };
      }),
  };
  const publisher = new PublishingAlarms(alarmService(held), bus, new RecordingLogger());
  let isSettled = false;
  const raising = publisher.raise(observation(), ['sos']).then(() => {
    isSettled = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  // Before the commit: the announcement only, and the watch not yet acknowledged.
  assert.equal(isSettled, false);
  assert.deepEqual(
    published.map((p) => p.subject),
    ['watch.w.event.alarmReceived'],
  );
  assert.deepEqual(published[0]?.message, {
    type: 'alarmReceived',
    watchId: 'w',
    alertKinds: ['sos'],
    recordedAt: '2025-03-01T08:00:00.000Z',
    receivedAt: '2025-03-01T08:00:02.000Z',
    location: { latitude: 52.52, longitude: 13.405, accuracyMeters: 12, source: 'gps' },
  });
  commit();
  await raising;
  assert.deepEqual(
    published.map((p) => p.subject),
    ['watch.w.event.alarmReceived', 'watch.w.event.alert', 'watch.w.event.alarm'],
  );
  const alert = published[1]?.message as { eventId: number; alert: Record<string, unknown> };
  assert.equal(alert.eventId, 1);
  // The stored alert carries what the announcement said, so a client can match the two.
  assert.equal(alert.alert['recordedAt'], '2025-03-01T08:00:00.000Z');
  assert.equal(alert.alert['raisedAt'], '2025-03-01T08:00:02.000Z');
});

test('alarms that raise no live alert are announced only once stored', async () => {
  const { published, bus } = recording();
  const publisher = new PublishingAlarms(
    alarmService(new InMemoryAlarms()),
    bus,
    new RecordingLogger(),
  );
  await publisher.raise(observation({ isBuffered: true }), ['sos']);
  await publisher.raise(observation(), ['general']);
  assert.deepEqual(
    published.map((p) => p.subject),
    ['watch.w.event.alarm', 'watch.w.event.alarm'],
  );
});

test('a failed commit rejects after the announcement, and no alert is announced', async () => {
  const { published, bus } = recording();
  const failing = new InMemoryAlarms();
  failing.failure = new Error('disk full');
  const publisher = new PublishingAlarms(alarmService(failing), bus, new RecordingLogger());
  await assert.rejects(publisher.raise(observation(), ['sos', 'fall']), /disk full/);
  assert.deepEqual(
    published.map((p) => [p.subject, p.message['alertKinds']]),
    [['watch.w.event.alarmReceived', ['sos', 'fall']]],
  );
});
