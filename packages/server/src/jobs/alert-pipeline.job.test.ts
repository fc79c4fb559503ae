import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  subjects,
  type AlertService,
  type PackedPosition,
  type PositionBatchEvent,
  type StatusEvent,
} from '@kinwatch/core';
import { InstantBus } from '../../../core/src/testing/instant-bus.ts';
import { packedFix } from '../../../core/src/testing/position-fakes.ts';
import { RecordingLogger } from '../../../core/src/testing/recording-observability.ts';
import { AlertPipeline } from './alert-pipeline.job.ts';

function fakeAlerts(raised: string[]): AlertService {
  const alerts = {
    options: { sosRepeatSeconds: 30 },
    fromStatus: (event: StatusEvent) => {
      raised.push(`status ${event.watchId}`);
      return Promise.resolve(undefined);
    },
    repeatOpenSos: () => Promise.resolve(0),
    checkOffline: () => Promise.resolve(0),
  };
  return alerts as unknown as AlertService;
}

function positionEvent(watchId: string, isBuffered = false): PackedPosition {
  return packedFix(watchId, { isBuffered });
}

function batch(...positions: PackedPosition[]): PositionBatchEvent {
  return { type: 'positionBatch', positions };
}

const lowBattery: StatusEvent = {
  type: 'status',
  watchId: 'child',
  batteryPercent: 9,
  at: '2026-03-01T08:00:00.000Z',
};

test('live positions of a batch reach the steps in order; buffered history does not', async () => {
  const bus = new InstantBus();
  const pipeline = new AlertPipeline(bus, fakeAlerts([]), new RecordingLogger());
  const seen: string[] = [];
  pipeline.addPositionStep((event) => {
    seen.push(event.watchId);
    return Promise.resolve();
  });
  pipeline.start();
  await bus.publish(
    subjects.positionBatches,
    batch(positionEvent('a'), positionEvent('b', true), positionEvent('c')),
  );
  assert.deepEqual(seen, ['a', 'c']);
  pipeline.stop();
  assert.equal(bus.subscriptionCount, 0);
});

test('a status update is handled while the steps are still busy with the fleet’s positions', async () => {
  const bus = new InstantBus();
  const raised: string[] = [];
  const pipeline = new AlertPipeline(bus, fakeAlerts(raised), new RecordingLogger());
  let release: () => void = () => undefined;
  const isReleased = new Promise<void>((resolve) => (release = resolve));
  pipeline.addPositionStep(() => isReleased);
  pipeline.start();
  const positions = bus.publish(subjects.positionBatches, batch(positionEvent('fleet')));
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    bus.publish(subjects.watchEvent('child', 'status'), lowBattery).then(() => 'handled'),
    new Promise((resolve) => {
      timer = setTimeout(() => {
        resolve('held up');
      }, 1_000);
    }),
  ]);
  clearTimeout(timer);
  assert.equal(waited, 'handled');
  assert.deepEqual(raised, ['status child']);
  release();
  await positions;
  pipeline.stop();
});

test('without position steps the pipeline takes status only: alarms raise their alerts themselves', async () => {
  const bus = new InstantBus();
  const raised: string[] = [];
  const pipeline = new AlertPipeline(bus, fakeAlerts(raised), new RecordingLogger());
  pipeline.start();
  assert.equal(bus.subscriptionCount, 1, 'status only');
  await bus.publish(subjects.watchEvent('child', 'alarm'), {
    type: 'alarm',
    watchId: 'child',
    alarmId: 1,
    kinds: ['sos'],
    isLive: true,
    alertIds: [4],
    recordedAt: '2026-03-01T08:00:00.000Z',
    location: null,
  });
  await bus.publish(subjects.watchEvent('child', 'status'), lowBattery);
  assert.deepEqual(raised, ['status child']);
  pipeline.stop();
});

test('steps run in order per position, whether they have work, none, or fail', async () => {
  const bus = new InstantBus();
  const logger = new RecordingLogger();
  const pipeline = new AlertPipeline(bus, fakeAlerts([]), logger);
  const seen: string[] = [];
  pipeline.addPositionStep((event) => {
    seen.push(`first ${event.watchId}`);
    // Nothing to do for b (a watch without zones, say): no promise.
    if (event.watchId === 'b') return undefined;
    return new Promise<void>((resolve) => setTimeout(resolve, 5));
  });
  pipeline.addPositionStep((event) => {
    if (event.watchId === 'a') throw new Error('step broke');
    seen.push(`second ${event.watchId}`);
    return event.watchId === 'c' ? Promise.reject(new Error('step failed later')) : undefined;
  });
  pipeline.start();
  await bus.publish(
    subjects.positionBatches,
    batch(positionEvent('a'), positionEvent('b'), positionEvent('c')),
  );
  assert.deepEqual(seen, ['first a', 'first b', 'second b', 'first c', 'second c']);
  const failures = logger.entries.filter((entry) => entry.message === 'alert pipeline step failed');
  assert.deepEqual(
    failures.map((entry) => (entry.fields['err'] as Error).message),
    ['step broke', 'step failed later'],
  );
  pipeline.stop();
});
