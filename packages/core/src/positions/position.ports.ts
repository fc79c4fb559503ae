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
  /**
   * Keyset paging through `from <= recordedAt < to`, oldest first (insertion order on a tie):
   * at most `limit` positions after `after` (from the start when undefined). `next` is the key
   * to pass as `after` for the following page, undefined when this page reached the end.
   */
  listRange(
    watchId: WatchId,
    from: Date,
    to: Date,
    after: PositionKey | undefined,
    limit: number,
  ): Promise<PositionPage>;
  /** The newest live (not buffered) position with coordinates, by `recordedAt`. */
  latestFix(watchId: WatchId): Promise<Position | undefined>;
}

/** Where a stored position sits in the order of `listRange`. */
export interface PositionKey {
  readonly recordedAt: Date;
  /** Storage order: increases with every position stored. */
  readonly sequence: number;
}

export interface PositionPage {
  readonly positions: Position[];
  readonly next: PositionKey | undefined;
}
