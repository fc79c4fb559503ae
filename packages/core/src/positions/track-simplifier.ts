import { EARTH_RADIUS_METERS, type LatLon } from '../geo/haversine.ts';

const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * The points of a track that stay within `toleranceMeters` of the original line
 * (Douglas-Peucker), in their order; the first and last are always kept. Distances are measured
 * on a local flat projection around each segment's start, so they are right to well under a
 * metre for segments of a few kilometres, and across the antimeridian. Iterative: a track of
 * any length cannot overflow the stack.
 */
export function simplifyTrack<T extends LatLon>(
  points: readonly T[],
  toleranceMeters: number,
): T[] {
  if (!(toleranceMeters >= 0)) throw new RangeError('toleranceMeters must be 0 or more');
  if (points.length <= 2) return [...points];
  const isKept = new Uint8Array(points.length);
  isKept[0] = 1;
  isKept[points.length - 1] = 1;
  const spans: [number, number][] = [[0, points.length - 1]];
  for (let span = spans.pop(); span !== undefined; span = spans.pop()) {
    const [first, last] = span;
    const { index, meters } = farthestFrom(points, first, last);
    if (index !== undefined && meters > toleranceMeters) {
      isKept[index] = 1;
      spans.push([first, index], [index, last]);
    }
  }
  return points.filter((_, index) => isKept[index] === 1);
}

/** The point strictly between `first` and `last` farthest from the segment joining them. */
function farthestFrom(
  points: readonly LatLon[],
  first: number,
  last: number,
): { readonly index: number | undefined; readonly meters: number } {
  const origin = points[first] as LatLon;
  const end = project(origin, points[last] as LatLon);
  let index: number | undefined;
  let meters = -1;
  for (let i = first + 1; i < last; i++) {
    const distance = distanceToSegment(project(origin, points[i] as LatLon), end);
    if (distance > meters) {
      meters = distance;
      index = i;
    }
  }
  return { index, meters };
}

/** Metres east and north of `origin` (equirectangular around it). */
function project(origin: LatLon, point: LatLon): { readonly x: number; readonly y: number } {
  let dLon = point.longitude - origin.longitude;
  if (dLon > 180) dLon -= 360;
  if (dLon < -180) dLon += 360;
  const cosLat = Math.cos(origin.latitude * RADIANS_PER_DEGREE);
  return {
    x: dLon * RADIANS_PER_DEGREE * EARTH_RADIUS_METERS * cosLat,
    y: (point.latitude - origin.latitude) * RADIANS_PER_DEGREE * EARTH_RADIUS_METERS,
  };
}

/** Distance from `p` to the segment from (0, 0) to `end`. */
function distanceToSegment(
  p: { readonly x: number; readonly y: number },
  end: { readonly x: number; readonly y: number },
): number {
  const lengthSquared = end.x * end.x + end.y * end.y;
  const t =
    lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, (p.x * end.x + p.y * end.y) / lengthSquared));
  return Math.hypot(p.x - t * end.x, p.y - t * end.y);
}
