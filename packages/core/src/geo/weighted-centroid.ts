import type { LatLon } from './haversine.ts';

export interface WeightedPoint extends LatLon {
  /** Relative importance; non-negative. */
  readonly weight: number;
}

const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * The weighted mean of points on the sphere. Averages 3-D unit vectors rather than degrees, so
 * points either side of the antimeridian (179.9 and -179.9) average to 180, not to 0.
 * Undefined when there are no points, the weights sum to zero, or the points cancel out
 * (antipodes with equal weights).
 */
export function weightedCentroid(points: readonly WeightedPoint[]): LatLon | undefined {
  let x = 0;
  let y = 0;
  let z = 0;
  for (const point of points) {
    if (!(point.weight > 0)) continue;
    const lat = point.latitude * RADIANS_PER_DEGREE;
    const lon = point.longitude * RADIANS_PER_DEGREE;
    x += point.weight * Math.cos(lat) * Math.cos(lon);
    y += point.weight * Math.cos(lat) * Math.sin(lon);
    z += point.weight * Math.sin(lat);
  }
  const length = Math.hypot(x, y, z);
  if (!(length > 1e-12)) return undefined;
  const latitude = Math.asin(Math.max(-1, Math.min(1, z / length))) / RADIANS_PER_DEGREE;
  const longitude = Math.atan2(y, x) / RADIANS_PER_DEGREE;
  return { latitude, longitude };
}
