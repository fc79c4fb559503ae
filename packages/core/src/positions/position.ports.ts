import type { WatchId } from '../watches/watch.model.ts';
import type { Position } from './position.model.ts';

/** The position history: append-only, read by watch and device time. */
export interface PositionRepository {
  /**
   * Stores all positions in one transaction: when the promise resolves every one is durable,
   * when it rejects none is stored. Throws RangeError, storing nothing, when any position fails
   * `positionProblem`. An empty batch does nothing.
   */
  appendBatch(positions: readonly Position[]): Promise<void>;
  /** The position with the greatest `recordedAt` (the last stored on a tie). */
  latest(watchId: WatchId): Promise<Position | undefined>;
  /**
   * Positions with `from <= recordedAt < to`, oldest first (insertion order on a tie), at most
   * `limit` of them.
   */
  range(watchId: WatchId, from: Date, to: Date, limit: number): Promise<Position[]>;
  count(watchId: WatchId): Promise<number>;
}
