import type { WatchId } from '../watches/watch.model.ts';
import type { PositionJsonBuffer } from './position-json.ts';
import type { PositionKey } from './position.ports.ts';

/** What `PositionJsonReader.listRangeJson` wrote. */
export interface PositionJsonPage {
  /** How many positions it wrote. */
  readonly count: number;
  /** As `PositionPage.next`. */
  readonly next: PositionKey | undefined;
}

/** The history read as the API sends it, for stores that keep positions' JSON ready-made. */
export interface PositionJsonReader {
  /**
   * Appends to `into` the page `PositionRepository.listRange` returns for the same arguments,
   * as JSON: the same positions, in the same order, each written as `PositionJsonBuffer`
   * writes it, separated by commas (the inside of the page's array).
   */
  listRangeJson(
    watchId: WatchId,
    from: Date,
    to: Date,
    after: PositionKey | undefined,
    limit: number,
    into: PositionJsonBuffer,
  ): Promise<PositionJsonPage>;
}
