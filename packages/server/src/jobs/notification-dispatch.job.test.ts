import assert from 'node:assert/strict';
import { test } from 'node:test';
import { subjects, type AlertChangeEvent, type WatchEvent } from '@kinwatch/core';
import { RecordingLogger } from '../../../core/src/testing/recording-observability.ts';
import { InstantBus } from '../../../core/src/testing/instant-bus.ts';
import { NotificationDispatch } from './notification-dispatch.job.ts';

function alertEvent(id: number): AlertChangeEvent {
  return {
    type: 'alert',
    watchId: 'w1',
    eventId: id,
    change: 'raised',
    alert: {
      id,
      kind: 'sos',
      raisedAt: '2026-03-01T08:00:00.000Z',
      recordedAt: null,
      location: null,
      details: {},
      acknowledgedAt: null,
      acknowledgedBy: null,
    },
  };
}

test('alert events are notified without waiting for a slow one; failures are logged', async () => {
  const logger = new RecordingLogger();
  const bus = new InstantBus();
  const started: number[] = [];
  let releaseFirst: () => void = () => undefined;
  const dispatch = new NotificationDispatch(
    bus,
    {
      notify: (event) => {
        started.push(event.alert.id);
        if (event.alert.id === 1) return new Promise((resolve) => (releaseFirst = resolve));
        if (event.alert.id === 3) return Promise.reject(new Error('database gone'));
        return Promise.resolve();
      },
    },
    logger,
  );
  dispatch.start();
  const status: WatchEvent = { type: 'status', watchId: 'w1', at: '2026-03-01T08:00:00.000Z' };
  for (const event of [alertEvent(1), status, alertEvent(2), alertEvent(3)]) {
    await bus.publish(
      subjects.watchEvent('w1', event.type === 'status' ? 'status' : 'alert'),
      event,
    );
  }
  assert.deepEqual(started, [1, 2, 3], 'the slow first alert held up no other');
  let isStopped = false;
  const stopping = dispatch.stop().then(() => (isStopped = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(isStopped, false, 'stop waits for the notification still being sent');
  releaseFirst();
  await stopping;
  assert.ok(logger.entries.some((e) => e.message === 'alert notifications not sent'));
});

test('a burst is sent a few at a time, and an overflowing queue keeps SOS only', async () => {
  const logger = new RecordingLogger();
  const bus = new InstantBus();
  let running = 0;
  let mostAtOnce = 0;
  const notified: string[] = [];
  const dispatch = new NotificationDispatch(
    bus,
    {
      notify: async (event) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        notified.push(`${event.alert.kind}${String(event.alert.id)}`);
        running -= 1;
      },
    },
    logger,
    { maxConcurrent: 2, maxQueued: 3 },
  );
  dispatch.start();
  for (let id = 1; id <= 6; id++) {
    await bus.publish(subjects.watchEvent('w1', 'alert'), {
      ...alertEvent(id),
      alert: { ...alertEvent(id).alert, kind: 'offline' },
    });
  }
  await bus.publish(subjects.watchEvent('w1', 'alert'), alertEvent(7));
  await dispatch.stop();
  assert.equal(mostAtOnce, 2);
  assert.deepEqual(notified, ['offline1', 'offline2', 'offline3', 'offline4', 'offline5', 'sos7']);
  assert.equal(logger.entries.filter((e) => e.message.includes('queue full')).length, 1);
});
