import { cellKeyText, normalizeMac } from '../geo/geo.model.ts';
import type {
  CellKey,
  CellTower,
  WifiAccessPointLocation,
  WifiObservation,
} from '../geo/geo.model.ts';
import type { AlertEvent, NewAlert } from '../alerts/alert.model.ts';
import type { PackedPosition } from '../events/watch-event.model.ts';
import type { CellTowerRepository, WifiRepository } from '../geo/geo.ports.ts';
import type { AlarmRecord, NewAlarm } from '../positions/alarm.model.ts';
import type { AlarmRepository, RecordedAlarm } from '../positions/alarm.ports.ts';
import type { LocationObservation } from '../positions/location-observation.model.ts';
import type { PositionSink } from '../positions/position-sink.ports.ts';
import type { Position } from '../positions/position.model.ts';
import type { WatchId, WatchStatusUpdate } from '../watches/watch.model.ts';
import type { WatchRepository } from '../watches/watch.ports.ts';

/** The cell table in memory, for unit tests. */
export class InMemoryCellTowers implements CellTowerRepository {
  readonly towers = new Map<string, CellTower>();
  lookups = 0;

  upsertMany(towers: readonly CellTower[]): Promise<void> {
    for (const tower of towers) this.towers.set(cellKeyText(tower), tower);
    return Promise.resolve();
  }

  findMany(keys: readonly CellKey[]): Promise<CellTower[]> {
    this.lookups += 1;
    const found = new Map<string, CellTower>();
    for (const key of keys) {
      const tower = this.towers.get(cellKeyText(key));
      if (tower !== undefined) found.set(cellKeyText(key), tower);
    }
    return Promise.resolve([...found.values()]);
  }
}

/** The Wi-Fi table in memory, for unit tests; `learn` keeps the same running average. */
export class InMemoryWifi implements WifiRepository {
  readonly accessPoints = new Map<string, WifiAccessPointLocation>();
  readonly learned: WifiObservation[] = [];

  learn(observation: WifiObservation): Promise<void> {
    const mac = normalizeMac(observation.mac);
    if (mac === undefined) return Promise.reject(new RangeError('not a MAC'));
    this.learned.push(observation);
    const known = this.accessPoints.get(mac);
    const n = known?.samples ?? 0;
    const mean = (old: number | undefined, value: number) => ((old ?? 0) * n + value) / (n + 1);
    this.accessPoints.set(mac, {
      mac,
      latitude: mean(known?.latitude, observation.latitude),
      longitude: mean(known?.longitude, observation.longitude),
      accuracyMeters: mean(known?.accuracyMeters, observation.accuracyMeters),
      samples: n + 1,
      updatedAt: observation.at,
    });
    return Promise.resolve();
  }

  async learnMany(observations: readonly WifiObservation[]): Promise<void> {
    for (const observation of observations) await this.learn(observation);
  }

  findMany(macs: readonly string[]): Promise<WifiAccessPointLocation[]> {
    const normal = new Set(macs.flatMap((mac) => normalizeMac(mac) ?? []));
    return Promise.resolve(
      [...normal].flatMap((mac) => {
        const known = this.accessPoints.get(mac);
        return known === undefined ? [] : [known];
      }),
    );
  }
}

/** A sink that stores at once, or fails every submit while `failure` is set. */
export class RecordingSink implements PositionSink {
  readonly positions: Position[] = [];
  failure: Error | undefined;

  submit(position: Position): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.positions.push(position);
    return Promise.resolve();
  }
}

/** Records status updates; fails them while `failure` is set. */
export class RecordingWatchStatus implements Pick<WatchRepository, 'updateStatus'> {
  readonly updates: { watchId: WatchId; update: WatchStatusUpdate }[] = [];
  failure: Error | undefined;

  updateStatus(watchId: WatchId, update: WatchStatusUpdate): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.updates.push({ watchId, update });
    return Promise.resolve();
  }
}

/**
 * Alarms in memory, numbered from 1, with the alerts stored with them (alerts and their events
 * numbered from 1 too); fails while `failure` is set, storing nothing.
 */
export class InMemoryAlarms implements Pick<AlarmRepository, 'record'> {
  readonly records: AlarmRecord[] = [];
  readonly alerts: AlertEvent[] = [];
  failure: Error | undefined;

  record(alarm: NewAlarm, alerts: readonly NewAlert[] = []): Promise<RecordedAlarm> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const record = { ...alarm, id: this.records.length + 1 };
    this.records.push(record);
    const events = alerts.map((alert): AlertEvent => {
      const id = this.alerts.length + 1;
      const event: AlertEvent = {
        eventId: id,
        type: 'raised',
        at: alert.raisedAt,
        alert: {
          ...alert,
          id,
          details: { ...alert.details, alarmId: record.id },
          acknowledgedAt: null,
          acknowledgedBy: null,
        },
      };
      this.alerts.push(event);
      return event;
    });
    return Promise.resolve({ alarm: record, alerts: events });
  }
}

export const T0 = new Date('2025-03-01T08:00:00.000Z');

/** A live report of watch `w` at T0 with a GNSS fix in Berlin; override what a test needs. */
export function observation(overrides: Partial<LocationObservation> = {}): LocationObservation {
  return {
    watchId: 'w',
    recordedAt: T0,
    receivedAt: new Date(T0.getTime() + 2_000),
    hasGnssFix: true,
    latitude: 52.52,
    longitude: 13.405,
    speedKmh: 3,
    courseDegrees: 90,
    altitudeMeters: 40,
    satellites: 8,
    accuracyMeters: 12,
    cells: [],
    wifi: [],
    isBuffered: false,
    batteryPercent: 80,
    gsmSignalPercent: 60,
    steps: 1200,
    stateBits: 0x8,
    alarmBits: 0,
    ...overrides,
  };
}

/** The report `seconds` after T0 (device and receive time), at the given place. */
export function observationAt(
  seconds: number,
  latitude: number,
  longitude: number,
  overrides: Partial<LocationObservation> = {},
): LocationObservation {
  const at = new Date(T0.getTime() + seconds * 1000);
  return observation({ recordedAt: at, receivedAt: at, latitude, longitude, ...overrides });
}

/** A GPS fix of the watch in London, packed as position announcements carry it. */
export function packedFix(
  watchId: string,
  options: { readonly isBuffered?: boolean; readonly isZoneOnly?: boolean } = {},
): PackedPosition {
  return [
    watchId,
    Date.parse('2026-03-01T08:00:00.000Z'),
    Date.parse('2026-03-01T08:00:01.000Z'),
    'gps',
    51.5,
    -0.12,
    10,
    null,
    null,
    options.isBuffered === true ? 1 : 0,
    [],
    options.isZoneOnly === true ? 1 : 0,
  ];
}
