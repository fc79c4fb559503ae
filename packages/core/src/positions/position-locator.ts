import type { Logger } from '../observability/logger.ports.ts';
import type { Counter, Metrics } from '../observability/metrics.ports.ts';
import type { GeoResolver } from './geo-resolver.ports.ts';
import type { LocationObservation } from './location-observation.model.ts';
import type { Position } from './position.model.ts';

/** Where a report places the watch: the location fields of a `Position`. */
export type ReportLocation = Pick<
  Position,
  | 'source'
  | 'latitude'
  | 'longitude'
  | 'accuracyMeters'
  | 'speedKmh'
  | 'courseDegrees'
  | 'altitudeMeters'
>;

const NOWHERE: ReportLocation = {
  source: 'none',
  latitude: null,
  longitude: null,
  accuracyMeters: null,
  speedKmh: null,
  courseDegrees: null,
  altitudeMeters: null,
};

/**
 * Locates a report: its GNSS fix when it has a usable one, otherwise the geo resolver's
 * answer, otherwise nowhere (source `none`). Shared by the position and alarm services so both
 * place a report the same way.
 */
export class PositionLocator {
  readonly #resolver: GeoResolver;
  readonly #logger: Logger;
  readonly #failures: Counter;

  constructor(ports: {
    readonly resolver: GeoResolver;
    readonly logger: Logger;
    readonly metrics: Metrics;
  }) {
    this.#resolver = ports.resolver;
    this.#logger = ports.logger;
    this.#failures = ports.metrics.counter(
      'kinwatch_geo_resolve_failures_total',
      'Cell/Wi-Fi lookups that failed; the report was stored without a location',
    );
  }

  /**
   * The location of a report that needs no lookup (a usable GNSS fix, or nothing to look up);
   * undefined for one that does, which `locate` resolves.
   */
  locateAtOnce(observation: LocationObservation): ReportLocation | undefined {
    if (hasUsableGnssFix(observation)) return gnssLocation(observation);
    if (observation.cells.length === 0 && observation.wifi.length === 0) return NOWHERE;
    return undefined;
  }

  /** Never rejects: a failed lookup is logged and counted, and gives source `none`. */
  async locate(observation: LocationObservation): Promise<ReportLocation> {
    const known = this.locateAtOnce(observation);
    if (known !== undefined) return known;
    try {
      const fix = await this.#resolver.resolve(observation.cells, observation.wifi);
      return fix === undefined ? NOWHERE : { ...NOWHERE, ...fix };
    } catch (error) {
      this.#failures.inc();
      const reason = error instanceof Error ? error.message : String(error);
      this.#logger.warn({ watchId: observation.watchId, err: reason }, 'geo resolution failed');
      return NOWHERE;
    }
  }
}

/**
 * True when the report claims a GNSS fix whose coordinates are in range and not exactly 0,0:
 * watches that lost the fix send 0,0 with the fix bit still set on some firmware, and no child
 * is at that spot in the Gulf of Guinea.
 */
export function hasUsableGnssFix(observation: LocationObservation): boolean {
  const { latitude, longitude } = observation;
  if (!observation.hasGnssFix) return false;
  if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) return false;
  return !(latitude === 0 && longitude === 0);
}

/** The fix with its extras made storable: an impossible value becomes unknown (null). */
function gnssLocation(observation: LocationObservation): ReportLocation {
  const { speedKmh, courseDegrees, altitudeMeters, accuracyMeters } = observation;
  return {
    source: 'gps',
    latitude: observation.latitude,
    longitude: observation.longitude,
    // Some firmware sends 0.0 in the accuracy field when it has no estimate.
    accuracyMeters: isPositive(accuracyMeters) ? accuracyMeters : null,
    speedKmh: speedKmh !== null && Number.isFinite(speedKmh) && speedKmh >= 0 ? speedKmh : null,
    courseDegrees:
      courseDegrees !== null && Number.isFinite(courseDegrees)
        ? ((courseDegrees % 360) + 360) % 360
        : null,
    altitudeMeters:
      altitudeMeters !== null && Number.isFinite(altitudeMeters) ? altitudeMeters : null,
  };
}

function isPositive(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}
