import type { Position } from './position.model.ts';

/** Where the position service hands positions for storage. */
export interface PositionSink {
  /**
   * Resolves once the position is durable (the batch it was written in has committed); rejects
   * when it could not be stored (RangeError when it fails `positionProblem`, or the error of the
   * failed commit). May wait before accepting the position when many are pending: that wait is
   * the backpressure the caller should feel.
   */
  submit(position: Position): Promise<void>;
}
