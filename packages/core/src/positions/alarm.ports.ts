import type { WatchId } from '../watches/watch.model.ts';
import type { AlarmRecord, NewAlarm } from './alarm.model.ts';

export interface AlarmRepository {
  /**
   * Stores one alarm in its own transaction and resolves once it is durable: the gateway
   * acknowledges the watch's alarm only after this. Throws RangeError when `alarmProblem`
   * finds one.
   */
  record(alarm: NewAlarm): Promise<AlarmRecord>;
  /** Newest first (by id, the order they were stored). */
  list(watchId: WatchId, limit: number): Promise<AlarmRecord[]>;
}
