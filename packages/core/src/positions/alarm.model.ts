import type { WatchId } from '../watches/watch.model.ts';
import { positionProblem, type PositionSource } from './position.model.ts';

/**
 * The alarms of the status word (bits 16..22), by descriptive name, and `general`: an alarm
 * report with no alarm bit set, which is still an alarm (Traccar issue #5006).
 */
export type AlarmKind =
  | 'sos'
  | 'lowBattery'
  | 'fenceOut'
  | 'fenceIn'
  | 'removed'
  | 'fall'
  | 'heartRateAbnormal'
  | 'general';

export const ALARM_KINDS: readonly AlarmKind[] = [
  'sos',
  'lowBattery',
  'fenceOut',
  'fenceIn',
  'removed',
  'fall',
  'heartRateAbnormal',
  'general',
];

export function isAlarmKind(value: string): value is AlarmKind {
  return (ALARM_KINDS as readonly string[]).includes(value);
}

/** One alarm report as received; one report may raise several alarms at once. */
export interface NewAlarm {
  readonly watchId: WatchId;
  /** At least one, each once. */
  readonly kinds: readonly AlarmKind[];
  readonly recordedAt: Date;
  readonly receivedAt: Date;
  readonly source: PositionSource;
  /** Where the watch was, as far as it knew; null when `source` is `none`. */
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly accuracyMeters: number | null;
}

export interface AlarmRecord extends NewAlarm {
  /** Increases with each alarm stored. */
  readonly id: number;
}

/** Why an alarm cannot be stored, or undefined when it can. */
export function alarmProblem(alarm: NewAlarm): string | undefined {
  if (alarm.kinds.length === 0) return 'an alarm needs at least one kind';
  const unknown = alarm.kinds.find((kind) => !ALARM_KINDS.includes(kind));
  if (unknown !== undefined) return `unknown alarm kind ${unknown}`;
  if (new Set(alarm.kinds).size !== alarm.kinds.length) return 'alarm kinds repeat';
  return positionProblem({
    ...alarm,
    speedKmh: null,
    courseDegrees: null,
    altitudeMeters: null,
    isBuffered: false,
    flags: [],
  });
}
