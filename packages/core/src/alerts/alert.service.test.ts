import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Bus } from '../bus/bus.ports.ts';
import type { WatchEvent } from '../events/watch-event.model.ts';
import type { NewAlarm } from '../positions/alarm.model.ts';
import { RecordingLogger } from '../testing/recording-observability.ts';
import { alertsOfAlarm, type Alert, type AlertEvent, type NewAlert } from './alert.model.ts';
import type { AlertRepository } from './alert.ports.ts';
import { AlertService } from './alert.service.ts';

class MemoryAlerts implements AlertRepository {
  readonly alerts: Alert[] = [];
  readonly events: AlertEvent[] = [];
  silent: { watchId: string; lastSeenAt: Date }[] = [];

  #event(alert: Alert, type: AlertEvent['type'], at: Date): AlertEvent {
    const event = { eventId: this.events.length + 1, type, alert, at };
    this.events.push(event);
    return event;
  }
  create(alert: NewAlert): Promise<AlertEvent> {
    const stored: Alert = {
      ...alert,
      id: this.alerts.length + 1,
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    this.alerts.push(stored);
    return Promise.resolve(this.#event(stored, 'raised', alert.raisedAt));
  }
  list(watchId: string): Promise<Alert[]> {
    return Promise.resolve(this.alerts.filter((a) => a.watchId === watchId).reverse());
  }
  find(watchId: string, id: number): Promise<Alert | undefined> {
    return Promise.resolve(this.alerts.find((a) => a.watchId === watchId && a.id === id));
  }
  acknowledge(
    watchId: string,
    id: number,
    accountId: string,
    at: Date,
  ): Promise<AlertEvent | undefined> {
    const index = this.alerts.findIndex((a) => a.watchId === watchId && a.id === id);
    const alert = this.alerts[index];
    if (alert === undefined || alert.acknowledgedAt !== null) return Promise.resolve(undefined);
    const acknowledged = { ...alert, acknowledgedAt: at, acknowledgedBy: accountId };
    this.alerts[index] = acknowledged;
    return Promise.resolve(this.#event(acknowledged, 'acknowledged', at));
  }
  recordRepeat(alert: Alert, at: Date): Promise<AlertEvent> {
    return Promise.resolve(this.#event(alert, 'repeated', at));
  }
  listOpen(kinds: readonly Alert['kind'][], since: Date): Promise<Alert[]> {
    return Promise.resolve(
      this.alerts.filter(
        (a) => kinds.includes(a.kind) && a.acknowledgedAt === null && a.raisedAt >= since,
      ),
    );
  }
  eventsAfter(): Promise<AlertEvent[]> {
    return Promise.resolve([]);
  }
  lastEventId(): Promise<number> {
    return Promise.resolve(this.events.length);
  }
  findOpen(watchId: string, kind: Alert['kind']): Promise<Alert | undefined> {
    return Promise.resolve(
      this.alerts.find(
        (a) => a.watchId === watchId && a.kind === kind && a.acknowledgedAt === null,
      ),
    );
  }
  silentWatches(): Promise<{ watchId: string; lastSeenAt: Date }[]> {
    return Promise.resolve(this.silent);
  }
}

function setUp(now = new Date('2026-03-01T08:00:00.000Z')) {
  const repository = new MemoryAlerts();
  const published: WatchEvent[] = [];
  const bus: Bus = {
    publish: (_subject, message) => {
      published.push(message as WatchEvent);
      return Promise.resolve();
    },
    subscribe: () => () => undefined,
  };
  const clock = { now: () => now };
  const service = new AlertService({
    alerts: repository,
    bus,
    clock,
    logger: new RecordingLogger(),
    guardianWatch: (accountId) =>
      accountId === 'stranger'
        ? Promise.reject(new Error('not found'))
        : Promise.resolve(undefined),
  });
  return { service, repository, published };
}

const sosAlert: NewAlert = {
  watchId: 'w1',
  kind: 'sos',
  raisedAt: new Date('2026-03-01T08:00:00.000Z'),
  recordedAt: new Date('2026-03-01T07:59:58.000Z'),
  location: { latitude: 51.5, longitude: -0.12, accuracyMeters: 10, source: 'gps' },
  details: {},
};

describe('alerts of alarms', () => {
  const alarm: NewAlarm = {
    watchId: 'w1',
    kinds: ['sos', 'fenceOut', 'fall', 'general'],
    recordedAt: new Date('2026-03-01T07:59:58.000Z'),
    receivedAt: new Date('2026-03-01T08:00:00.000Z'),
    source: 'wifi',
    latitude: 51.5,
    longitude: -0.12,
    accuracyMeters: 40,
  };

  test('an SOS and a fall raise an alert each at the alarm’s place; the watch’s fences and general alarms none', () => {
    const raisedAt = new Date('2026-03-01T08:00:00.500Z');
    assert.deepEqual(alertsOfAlarm(alarm, raisedAt), [
      {
        watchId: 'w1',
        kind: 'sos',
        raisedAt,
        recordedAt: alarm.recordedAt,
        location: { latitude: 51.5, longitude: -0.12, accuracyMeters: 40, source: 'wifi' },
        details: {},
      },
      {
        watchId: 'w1',
        kind: 'fall',
        raisedAt,
        recordedAt: alarm.recordedAt,
        location: { latitude: 51.5, longitude: -0.12, accuracyMeters: 40, source: 'wifi' },
        details: {},
      },
    ]);
  });

  test('an alarm without a place raises alerts without one', () => {
    const nowhere = { ...alarm, kinds: ['removed'] as const, source: 'none' as const };
    const [removed] = alertsOfAlarm(
      { ...nowhere, latitude: null, longitude: null, accuracyMeters: null },
      alarm.receivedAt,
    );
    assert.equal(removed?.kind, 'removed');
    assert.equal(removed.location, null);
  });
});

describe('SOS repeat and acknowledgement', () => {
  test('repeats until the first guardian acknowledges; a second acknowledgement changes nothing', async () => {
    const { service, published } = setUp();
    const sos = await service.raise(sosAlert);
    assert.equal(await service.repeatOpenSos(), 1);
    const first = await service.acknowledge('dad', 'w1', sos.id);
    assert.equal(first.acknowledgedBy, 'dad');
    const second = await service.acknowledge('mum', 'w1', sos.id);
    assert.equal(second.acknowledgedBy, 'dad', 'the first acknowledgement stands');
    assert.equal(await service.repeatOpenSos(), 0);
    assert.deepEqual(
      published.map((e) => e.type === 'alert' && e.change),
      ['raised', 'repeated', 'acknowledged'],
    );
  });

  test('another family cannot acknowledge', async () => {
    const { service } = setUp();
    const sos = await service.raise(sosAlert);
    await assert.rejects(service.acknowledge('stranger', 'w1', sos.id));
  });
});

describe('status and silence', () => {
  test('low battery alerts once until acknowledged', async () => {
    const { service } = setUp();
    const status = {
      type: 'status',
      watchId: 'w1',
      batteryPercent: 12,
      at: '2026-03-01T08:00:00.000Z',
    } as const;
    assert.equal((await service.fromStatus(status))?.kind, 'lowBattery');
    assert.equal(await service.fromStatus(status), undefined);
    assert.equal(await service.fromStatus({ ...status, batteryPercent: 40 }), undefined);
  });

  test('a silent bound watch raises one offline alert', async () => {
    const { service, repository } = setUp();
    repository.silent = [{ watchId: 'w1', lastSeenAt: new Date('2026-03-01T07:00:00.000Z') }];
    assert.equal(await service.checkOffline(), 1);
    assert.equal(await service.checkOffline(), 0);
    assert.equal(repository.alerts[0]?.details['minutesSilent'], 60);
  });
});
