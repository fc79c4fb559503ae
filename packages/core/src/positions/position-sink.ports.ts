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
  /**
   * For a caller that does not wait for each `submit`: undefined while the sink takes positions
   * at once, else a promise that resolves when it does again. Waiting for it is that caller's
   * backpressure. A sink without a limit leaves it out.
   */
  room?(): Promise<void> | undefined;
}
