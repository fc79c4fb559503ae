import type { AlertEvent, NewAlert } from '../alerts/alert.model.ts';
import type { WatchId } from '../watches/watch.model.ts';
import type { AlarmRecord, NewAlarm } from './alarm.model.ts';

/** An alarm as stored, with the alerts stored in its transaction. */
export interface RecordedAlarm {
  readonly alarm: AlarmRecord;
  /** The `raised` event of each alert, in the order given. */
  readonly alerts: readonly AlertEvent[];
}

export interface AlarmRepository {
  /**
   * Stores one alarm, and the alerts it raises, in one transaction, and resolves once it is
   * durable: the gateway acknowledges the watch's alarm only after this, and an alarm is never
   * stored without its alerts (one commit, one disk sync, for an SOS to reach its guardians).
   * Each alert is linked to the alarm (`details.alarmId` when read back). Throws RangeError when
   * `alarmProblem` finds one, or when an alert belongs to another watch.
   */
  record(alarm: NewAlarm, alerts?: readonly NewAlert[]): Promise<RecordedAlarm>;
  /** Newest first (by id, the order they were stored). */
  list(watchId: WatchId, limit: number): Promise<AlarmRecord[]>;
}
