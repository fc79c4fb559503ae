/**
 * The geometry the zone editor needs before anything is sent: distances, points offset by
 * metres, and whether a drawn border crosses itself. The server checks the same rules and
 * refuses with `invalidZone`; checking here lets the guardian fix the drawing first.
 */

export interface LatLon {
  readonly latitude: number;
  readonly longitude: number;
}

/** The limits the server accepts (docs/api.md, "Safe zones"). */
export const MIN_RADIUS_METERS = 30;
export const MAX_RADIUS_METERS = 50_000;
export const MIN_POLYGON_VERTICES = 3;
export const MAX_POLYGON_VERTICES = 100;
export const MAX_ZONE_LATITUDE = 85;

const EARTH_RADIUS_METERS = 6_371_008.8;
const RADIANS = Math.PI / 180;

/** Great-circle distance in metres. */
export function distanceMeters(a: LatLon, b: LatLon): number {
  const dLat = (b.latitude - a.latitude) * RADIANS;
  const dLon = (b.longitude - a.longitude) * RADIANS;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * RADIANS) * Math.cos(b.latitude * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point `eastMeters` east and `northMeters` north of `origin` (flat-earth, town scale). */
export function offsetPoint(origin: LatLon, eastMeters: number, northMeters: number): LatLon {
  const metersPerDegree = EARTH_RADIUS_METERS * RADIANS;
  const cosLatitude = Math.max(0.01, Math.cos(origin.latitude * RADIANS));
  return {
    latitude: origin.latitude + northMeters / metersPerDegree,
    longitude: origin.longitude + eastMeters / (metersPerDegree * cosLatitude),
  };
}

/** A radius the server accepts: rounded to whole metres and held within its limits. */
export function clampRadiusMeters(radiusMeters: number): number {
  if (!Number.isFinite(radiusMeters)) return MIN_RADIUS_METERS;
  return Math.min(MAX_RADIUS_METERS, Math.max(MIN_RADIUS_METERS, Math.round(radiusMeters)));
}

/** Whether a point is one the server takes as a zone's centre or corner. */
export function isZonePoint(point: LatLon): boolean {
  return (
    Number.isFinite(point.latitude) &&
    Number.isFinite(point.longitude) &&
    Math.abs(point.latitude) <= MAX_ZONE_LATITUDE &&
    Math.abs(point.longitude) <= 180
  );
}

interface Xy {
  readonly x: number;
  readonly y: number;
}

/** Sign of the turn a -> b -> c: positive left, negative right, 0 when in line. */
function turn(a: Xy, b: Xy, c: Xy, tolerance: number): number {
  const cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  return Math.abs(cross) <= tolerance ? 0 : Math.sign(cross);
}

/** Whether c, known to be in line with a-b, lies within the segment's box. */
function isWithin(a: Xy, b: Xy, c: Xy): boolean {
  return (
    Math.min(a.x, b.x) <= c.x &&
    c.x <= Math.max(a.x, b.x) &&
    Math.min(a.y, b.y) <= c.y &&
    c.y <= Math.max(a.y, b.y)
  );
}

/**
 * Whether segments a-b and c-d share any point: a proper crossing, an end touching the other
 * segment, or an overlap of segments in line. Planar coordinates.
 */
export function segmentsIntersect(a: Xy, b: Xy, c: Xy, d: Xy): boolean {
  const scale = Math.max(
    1e-12,
    Math.hypot(b.x - a.x, b.y - a.y) * Math.hypot(d.x - c.x, d.y - c.y),
  );
  const tolerance = scale * 1e-12;
  const d1 = turn(c, d, a, tolerance);
  const d2 = turn(c, d, b, tolerance);
  const d3 = turn(a, b, c, tolerance);
  const d4 = turn(a, b, d, tolerance);
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  if (d1 === 0 && isWithin(c, d, a)) return true;
  if (d2 === 0 && isWithin(c, d, b)) return true;
  if (d3 === 0 && isWithin(a, b, c)) return true;
  if (d4 === 0 && isWithin(a, b, d)) return true;
  return false;
}

/** The vertices on a plane tangent at the first one, in metres (x east, y north). */
function project(vertices: readonly LatLon[]): Xy[] {
  const origin = vertices[0];
  if (origin === undefined) return [];
  const metersPerDegree = EARTH_RADIUS_METERS * RADIANS;
  const cosLatitude = Math.cos(origin.latitude * RADIANS);
  return vertices.map((v) => ({
    x: (v.longitude - origin.longitude) * metersPerDegree * cosLatitude,
    y: (v.latitude - origin.latitude) * metersPerDegree,
  }));
}

/**
 * The first pair of edges (0-based; edge i runs from vertex i to vertex i + 1, the last one
 * back to vertex 0) where the closed border touches or crosses itself, or null when it does
 * not. Neighbouring edges always share a corner, so for them only folding back over each other
 * counts. A repeated corner counts as touching.
 */
export function selfIntersection(vertices: readonly LatLon[]): readonly [number, number] | null {
  const points = project(vertices);
  const n = points.length;
  if (n < 3) return null;
  const edge = (i: number): [Xy, Xy] => [points[i] as Xy, points[(i + 1) % n] as Xy];
  for (let i = 0; i < n; i++) {
    const [a, b] = edge(i);
    if (a.x === b.x && a.y === b.y) return [i, (i + 1) % n];
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const [a, b] = edge(i);
      const [c, d] = edge(j);
      const areNeighbours = j === i + 1 || (i === 0 && j === n - 1);
      if (areNeighbours ? foldsBack(a, b, c, d) : segmentsIntersect(a, b, c, d)) return [i, j];
    }
  }
  return null;
}

/** Neighbouring edges in line and pointing against each other overlap along their length. */
function foldsBack(a: Xy, b: Xy, c: Xy, d: Xy): boolean {
  const ux = b.x - a.x;
  const uy = b.y - a.y;
  const vx = d.x - c.x;
  const vy = d.y - c.y;
  const cross = ux * vy - uy * vx;
  const scale = Math.hypot(ux, uy) * Math.hypot(vx, vy);
  return Math.abs(cross) <= scale * 1e-12 && ux * vx + uy * vy < 0;
}

/** Area enclosed by the ring in square metres. */
export function polygonAreaSquareMeters(vertices: readonly LatLon[]): number {
  const points = project(vertices);
  let twice = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const p = points[i] as Xy;
    const q = points[j] as Xy;
    twice += q.x * p.y - p.x * q.y;
  }
  return Math.abs(twice) / 2;
}

/** The middle of the points' bounding box; null without points. */
export function centreOf(points: readonly LatLon[]): LatLon | null {
  if (points.length === 0) return null;
  const latitudes = points.map((p) => p.latitude);
  const longitudes = points.map((p) => p.longitude);
  return {
    latitude: (Math.min(...latitudes) + Math.max(...latitudes)) / 2,
    longitude: (Math.min(...longitudes) + Math.max(...longitudes)) / 2,
  };
}
