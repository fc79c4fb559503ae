import type { ObservedCell, ObservedWifi } from './location-observation.model.ts';

/** A position worked out from the radio environment rather than from GNSS. */
export interface ResolvedFix {
  readonly source: 'wifi' | 'cell';
  /** WGS84 decimal degrees. */
  readonly latitude: number;
  readonly longitude: number;
  /** Radius around the point the watch is very likely within, metres; positive. */
  readonly accuracyMeters: number;
}

/**
 * Turns the cells and access points a watch heard into a position. The local implementation
 * (`LocalGeoResolver`) uses the imported cell table and the Wi-Fi table learned from this
 * server's own GPS fixes; online services, if ever added, sit behind this same port and are off
 * unless configured.
 */
export interface GeoResolver {
  /**
   * Undefined when nothing heard is known well enough. Rejects only when the lookup itself
   * failed (a database or network error), never for unknown cells or access points.
   */
  resolve(
    cells: readonly ObservedCell[],
    wifi: readonly ObservedWifi[],
  ): Promise<ResolvedFix | undefined>;
}
