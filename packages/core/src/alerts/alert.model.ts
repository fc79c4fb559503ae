import type { AccountId } from '../accounts/account.model.ts';
import type { AlarmKind, NewAlarm } from '../positions/alarm.model.ts';
import type { WatchId } from '../watches/watch.model.ts';

/** What a guardian is alerted to. */
export type AlertKind =
  | 'sos'
  | 'removed'
  | 'lowBattery'
  | 'fall'
  | 'heartRateAbnormal'
  | 'offline'
  | 'zoneEnter'
  | 'zoneLeave'
  | 'expectationMissed';

export const ALERT_KINDS: readonly AlertKind[] = [
  'sos',
  'removed',
  'lowBattery',
  'fall',
  'heartRateAbnormal',
  'offline',
  'zoneEnter',
  'zoneLeave',
  'expectationMissed',
];

/** Where the watch was when it raised the alert, as well as it could be placed. */
export interface AlertLocation {
  readonly latitude: number;
  readonly longitude: number;
  readonly accuracyMeters: number | null;
  readonly source: string;
}

export interface Alert {
  readonly id: number;
  readonly watchId: WatchId;
  readonly kind: AlertKind;
  /** When the server raised it. */
  readonly raisedAt: Date;
  /** When the watch says it happened (device time); null for server-side alerts (offline). */
  readonly recordedAt: Date | null;
  readonly location: AlertLocation | null;
  /** Small facts for the message: zone name, battery percent, minutes offline... */
  readonly details: Readonly<Record<string, string | number | null>>;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: AccountId | null;
}

export type NewAlert = Omit<Alert, 'id' | 'acknowledgedAt' | 'acknowledgedBy'>;

/** A change to an alert, in the order it happened: what a resuming stream client replays. */
export interface AlertEvent {
  /** Increasing across all watches: the id a stream client resumes after. */
  readonly eventId: number;
  readonly type: 'raised' | 'repeated' | 'acknowledged';
  readonly alert: Alert;
  readonly at: Date;
}

/** Alarm kinds of the watch that become alerts (fences are evaluated by the server). */
const ALERT_OF_ALARM: Partial<Record<AlarmKind, AlertKind>> = {
  sos: 'sos',
  removed: 'removed',
  lowBattery: 'lowBattery',
  fall: 'fall',
  heartRateAbnormal: 'heartRateAbnormal',
};

/**
 * The alerts a live alarm raises, one per kind that is an alert, raised at `raisedAt`, at the
 * alarm's place. The watch's own fence alarms and `general` raise none. Buffered history must
 * never get here: its alarms raise no alert.
 */
export function alertsOfAlarm(alarm: NewAlarm, raisedAt: Date): NewAlert[] {
  const location = alarmLocation(alarm);
  return alarm.kinds.flatMap((kind) => {
    const alertKind = ALERT_OF_ALARM[kind];
    return alertKind === undefined
      ? []
      : [
          {
            watchId: alarm.watchId,
            kind: alertKind,
            raisedAt,
            recordedAt: alarm.recordedAt,
            location,
            details: {},
          },
        ];
  });
}

/** Where the watch was when it raised the alarm; null when it could not be placed. */
export function alarmLocation(alarm: NewAlarm): AlertLocation | null {
  return alarm.latitude === null || alarm.longitude === null
    ? null
    : {
        latitude: alarm.latitude,
        longitude: alarm.longitude,
        accuracyMeters: alarm.accuracyMeters,
        source: alarm.source,
      };
}
