import { EARTH_RADIUS_METERS, type LatLon } from '../geo/haversine.ts';

const RADIANS_PER_DEGREE = Math.PI / 180;
const METERS_PER_DEGREE = EARTH_RADIUS_METERS * RADIANS_PER_DEGREE;

/**
 * A polygon projected on a plane tangent at its first vertex (equirectangular), in metres.
 * Zones span at most 100 km, where this projection is off by well under a metre per hundred:
 * far below the accuracy of any fix a watch reports.
 */
export class PlanarPolygon {
  /** x (east) then y (north) of each vertex, metres from the origin; the ring is open. */
  readonly #xy: Float64Array;
  readonly #originLatitude: number;
  readonly #originLongitude: number;
  readonly #metersPerDegreeLongitude: number;

  constructor(vertices: readonly LatLon[]) {
    const origin = vertices[0];
    if (origin === undefined) throw new RangeError('a polygon needs vertices');
    this.#originLatitude = origin.latitude;
    this.#originLongitude = origin.longitude;
    this.#metersPerDegreeLongitude =
      METERS_PER_DEGREE * Math.cos(origin.latitude * RADIANS_PER_DEGREE);
    this.#xy = new Float64Array(vertices.length * 2);
    vertices.forEach((vertex, i) => {
      this.#xy[2 * i] = this.#x(vertex.longitude);
      this.#xy[2 * i + 1] = this.#y(vertex.latitude);
    });
  }

  get vertexCount(): number {
    return this.#xy.length / 2;
  }

  /** Area in square metres (always positive). */
  areaSquareMeters(): number {
    const xy = this.#xy;
    const n = this.vertexCount;
    let twice = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      twice += (xy[2 * j] as number) * (xy[2 * i + 1] as number);
      twice -= (xy[2 * i] as number) * (xy[2 * j + 1] as number);
    }
    return Math.abs(twice) / 2;
  }

  /**
   * Distance from the point to the border in metres: negative inside, positive outside, 0 on
   * the border.
   */
  signedDistanceMeters(latitude: number, longitude: number): number {
    const px = this.#x(longitude);
    const py = this.#y(latitude);
    const xy = this.#xy;
    const n = this.vertexCount;
    let isInside = false;
    let nearestSquared = Infinity;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const ax = xy[2 * j] as number;
      const ay = xy[2 * j + 1] as number;
      const bx = xy[2 * i] as number;
      const by = xy[2 * i + 1] as number;
      if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) {
        isInside = !isInside;
      }
      const squared = segmentDistanceSquared(px, py, ax, ay, bx, by);
      if (squared < nearestSquared) nearestSquared = squared;
    }
    const distance = Math.sqrt(nearestSquared);
    return isInside ? -distance : distance;
  }

  /**
   * A description of the first place where the border touches or crosses itself (two edges
   * that are not neighbours meet, or neighbours fold back over each other), or undefined.
   */
  selfIntersection(): string | undefined {
    const n = this.vertexCount;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const areNeighbours = j === i + 1 || (i === 0 && j === n - 1);
        if (areNeighbours ? this.#foldsBack(i, j) : this.#edgesMeet(i, j)) {
          return `edges ${i + 1} and ${j + 1} cross or touch`;
        }
      }
    }
    return undefined;
  }

  #edgesMeet(i: number, j: number): boolean {
    const [ax, ay, bx, by] = this.#edge(i);
    const [cx, cy, dx, dy] = this.#edge(j);
    return segmentsMeet(ax, ay, bx, by, cx, cy, dx, dy);
  }

  /** Neighbouring edges share one vertex; they overlap when collinear and turned back. */
  #foldsBack(i: number, j: number): boolean {
    const [ax, ay, bx, by] = this.#edge(i);
    const [cx, cy, dx, dy] = this.#edge(j);
    const ux = bx - ax;
    const uy = by - ay;
    const vx = dx - cx;
    const vy = dy - cy;
    const cross = ux * vy - uy * vx;
    const scale = Math.hypot(ux, uy) * Math.hypot(vx, vy);
    return Math.abs(cross) <= scale * 1e-12 && ux * vx + uy * vy < 0;
  }

  /** Edge i runs from vertex i to vertex i + 1 (the last closes the ring). */
  #edge(i: number): [number, number, number, number] {
    const k = (i + 1) % this.vertexCount;
    const xy = this.#xy;
    return [
      xy[2 * i] as number,
      xy[2 * i + 1] as number,
      xy[2 * k] as number,
      xy[2 * k + 1] as number,
    ];
  }

  #x(longitude: number): number {
    return (longitude - this.#originLongitude) * this.#metersPerDegreeLongitude;
  }

  #y(latitude: number): number {
    return (latitude - this.#originLatitude) * METERS_PER_DEGREE;
  }
}

function segmentDistanceSquared(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  let t = lengthSquared === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / lengthSquared;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** Sign of the turn a -> b -> c: 1 left, -1 right, 0 collinear. */
function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number) {
  const value = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function isBetween(ax: number, ay: number, bx: number, by: number, px: number, py: number) {
  return (
    Math.min(ax, bx) <= px &&
    px <= Math.max(ax, bx) &&
    Math.min(ay, by) <= py &&
    py <= Math.max(ay, by)
  );
}

/** True when segments ab and cd share at least one point. */
function segmentsMeet(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const o1 = orientation(ax, ay, bx, by, cx, cy);
  const o2 = orientation(ax, ay, bx, by, dx, dy);
  const o3 = orientation(cx, cy, dx, dy, ax, ay);
  const o4 = orientation(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && isBetween(ax, ay, bx, by, cx, cy)) return true;
  if (o2 === 0 && isBetween(ax, ay, bx, by, dx, dy)) return true;
  if (o3 === 0 && isBetween(cx, cy, dx, dy, ax, ay)) return true;
  return o4 === 0 && isBetween(cx, cy, dx, dy, bx, by);
}
