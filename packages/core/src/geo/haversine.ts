/** A point in WGS84 decimal degrees. */
export interface LatLon {
  readonly latitude: number;
  readonly longitude: number;
}

/** Mean Earth radius (IUGG), in metres. */
export const EARTH_RADIUS_METERS = 6_371_008.8;

const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * Great-circle distance between two points, in metres. Treats the Earth as a sphere, which is
 * off by at most about 0.5%: far below the accuracy of any fix a watch reports.
 */
export function distanceMeters(a: LatLon, b: LatLon): number {
  const lat1 = a.latitude * RADIANS_PER_DEGREE;
  const lat2 = b.latitude * RADIANS_PER_DEGREE;
  const dLat = lat2 - lat1;
  const dLon = (b.longitude - a.longitude) * RADIANS_PER_DEGREE;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) ** 2;
  // Rounding can push h a hair above 1 for antipodal points; asin would then return NaN.
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.sqrt(Math.min(1, h)));
}
