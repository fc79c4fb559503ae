import { EARTH_RADIUS_METERS, type LatLon } from '../geo/haversine.ts';

const RADIANS_PER_DEGREE = Math.PI / 180;

/** The point `meters` away from `from` towards `bearingDegrees` (0 north, 90 east). */
export function destination(from: LatLon, bearingDegrees: number, meters: number): LatLon {
  const angle = meters / EARTH_RADIUS_METERS;
  const bearing = bearingDegrees * RADIANS_PER_DEGREE;
  const lat1 = from.latitude * RADIANS_PER_DEGREE;
  const lon1 = from.longitude * RADIANS_PER_DEGREE;
  const lat2 = Math.asin(
    Math.sin(lat1) * Math.cos(angle) + Math.cos(lat1) * Math.sin(angle) * Math.cos(bearing),
  );
  const lon2 =
    lon1 +
    Math.atan2(
      Math.sin(bearing) * Math.sin(angle) * Math.cos(lat1),
      Math.cos(angle) - Math.sin(lat1) * Math.sin(lat2),
    );
  return { latitude: lat2 / RADIANS_PER_DEGREE, longitude: lon2 / RADIANS_PER_DEGREE };
}

/** Corners on a circle around `centre` at the given bearings and distances. */
export function ring(centre: LatLon, corners: readonly (readonly [number, number])[]): LatLon[] {
  return corners.map(([bearing, meters]) => destination(centre, bearing, meters));
}
