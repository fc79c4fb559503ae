/**
 * Where a simulated child is: a walk along waypoints, out and back, with a pause at each end
 * (school, home). Positions are computed from elapsed time, so any watch can be asked where it
 * is at any moment without keeping state.
 */
import type { Random } from './seeded-random.ts';

export interface Waypoint {
  /** Signed decimal degrees. */
  readonly latitude: number;
  readonly longitude: number;
}

export interface Route {
  readonly name: string;
  /** At least two. The walker goes first to last, pauses, walks back, pauses, and repeats. */
  readonly waypoints: readonly Waypoint[];
  /** Seconds standing still at each end of the route. */
  readonly dwellSeconds: number;
}

export interface RoutePosition {
  readonly latitude: number;
  readonly longitude: number;
  /** 0 while standing. */
  readonly speedKmh: number;
  /** Degrees clockwise from north, 0 <= course < 360. */
  readonly courseDegrees: number;
  readonly isMoving: boolean;
  /** Metres walked since the start (ends included), for the pedometer. */
  readonly walkedMeters: number;
}

const EARTH_RADIUS_METERS = 6_371_000;
const RADIANS = Math.PI / 180;

/** Local flat-earth offsets in metres (east, north): exact enough across a town. */
function offsetMeters(from: Waypoint, to: Waypoint): { east: number; north: number } {
  const meanLatitude = ((from.latitude + to.latitude) / 2) * RADIANS;
  return {
    east: (to.longitude - from.longitude) * RADIANS * Math.cos(meanLatitude) * EARTH_RADIUS_METERS,
    north: (to.latitude - from.latitude) * RADIANS * EARTH_RADIUS_METERS,
  };
}

/** Length of the route one way, in metres. */
export function routeLengthMeters(route: Route): number {
  let total = 0;
  for (let i = 1; i < route.waypoints.length; i++) {
    const { east, north } = offsetMeters(
      route.waypoints[i - 1] as Waypoint,
      route.waypoints[i] as Waypoint,
    );
    total += Math.hypot(east, north);
  }
  return total;
}

function courseOf(from: Waypoint, to: Waypoint): number {
  const { east, north } = offsetMeters(from, to);
  const degrees = Math.atan2(east, north) / RADIANS;
  return degrees < 0 ? degrees + 360 : degrees;
}

/** The point `distance` metres along the waypoints (clamped to the ends), and the heading there. */
function pointAlong(
  waypoints: readonly Waypoint[],
  distance: number,
): { point: Waypoint; course: number } {
  let left = distance;
  for (let i = 1; i < waypoints.length; i++) {
    const from = waypoints[i - 1] as Waypoint;
    const to = waypoints[i] as Waypoint;
    const { east, north } = offsetMeters(from, to);
    const length = Math.hypot(east, north);
    if (left <= length || i === waypoints.length - 1) {
      const share = length === 0 ? 0 : Math.min(1, Math.max(0, left / length));
      const point = {
        latitude: from.latitude + (to.latitude - from.latitude) * share,
        longitude: from.longitude + (to.longitude - from.longitude) * share,
      };
      return { point, course: courseOf(from, to) };
    }
    left -= length;
  }
  return { point: waypoints[0] as Waypoint, course: 0 };
}

/**
 * Where the walker is `elapsedSeconds` after starting at the first waypoint, walking at
 * `speedKmh`. Exact, without GPS noise. Throws RangeError for a route without waypoints.
 */
export function positionAt(route: Route, elapsedSeconds: number, speedKmh: number): RoutePosition {
  const length = routeLengthMeters(route);
  const start = route.waypoints[0];
  if (start === undefined) throw new RangeError('a route needs waypoints');
  // A one-point route, or a child who does not walk, stays put.
  if (length === 0 || !(speedKmh > 0)) return standing(start, 0);
  const speedMps = speedKmh / 3.6;
  const walkSeconds = length / speedMps;
  const cycleSeconds = 2 * walkSeconds + 2 * route.dwellSeconds;
  const cycles = Math.floor(elapsedSeconds / cycleSeconds);
  const t = elapsedSeconds - cycles * cycleSeconds;
  const forward = pointAlong(route.waypoints, Math.min(t, walkSeconds) * speedMps);
  let walked = cycles * 2 * length;
  if (t < walkSeconds) {
    return { ...moving(forward, speedKmh), walkedMeters: walked + t * speedMps };
  }
  walked += length;
  const backT = t - walkSeconds - route.dwellSeconds;
  if (backT < 0) return standing(forward.point, walked);
  if (backT >= walkSeconds) return standing(start, walked + length);
  const reversed = [...route.waypoints].reverse();
  const back = pointAlong(reversed, backT * speedMps);
  return { ...moving(back, speedKmh), walkedMeters: walked + backT * speedMps };
}

function moving(at: { point: Waypoint; course: number }, speedKmh: number) {
  return { ...at.point, speedKmh, courseDegrees: at.course, isMoving: true };
}

function standing(point: Waypoint, walkedMeters: number): RoutePosition {
  return { ...point, speedKmh: 0, courseDegrees: 0, isMoving: false, walkedMeters };
}

/**
 * The position as a phone-class GPS receiver reports it: each coordinate off by a normally
 * distributed error with the given standard deviation (metres; 4 m is typical in the open),
 * and the speed jittering by about 5 %.
 */
export function withGpsNoise(
  position: RoutePosition,
  random: Random,
  sigmaMeters = 4,
): RoutePosition {
  const metresPerDegree = EARTH_RADIUS_METERS * RADIANS;
  const cosLatitude = Math.max(0.01, Math.cos(position.latitude * RADIANS));
  const latitude = position.latitude + (random.gaussian() * sigmaMeters) / metresPerDegree;
  const longitude =
    position.longitude + (random.gaussian() * sigmaMeters) / (metresPerDegree * cosLatitude);
  const speedKmh = position.isMoving
    ? Math.max(0, position.speedKmh * (1 + 0.05 * random.gaussian()))
    : 0;
  return {
    ...position,
    latitude: Math.min(90, Math.max(-90, latitude)),
    longitude: Math.min(180, Math.max(-180, longitude)),
    speedKmh,
  };
}

// The demo town, Lindenhall, is invented. Its routes are small offsets from round-number
// coordinates, picked for looking obviously synthetic, not for anything that is there.
const base = (latitude: number, longitude: number) => (dLat: number, dLon: number) => ({
  latitude: latitude + dLat,
  longitude: longitude + dLon,
});
const lindenhall = base(50, 10);
const harbour = base(-34.5, -58.5);

/** Built-in routes: walking to school, a park loop, and one south and west of Greenwich. */
export const DEMO_ROUTES: readonly Route[] = [
  {
    name: 'school-run',
    dwellSeconds: 300,
    waypoints: [
      lindenhall(0, 0),
      lindenhall(0.0012, 0.0004),
      lindenhall(0.0021, 0.0031),
      lindenhall(0.0043, 0.0036),
      lindenhall(0.0058, 0.0071),
      lindenhall(0.0079, 0.0083),
    ],
  },
  {
    name: 'park-loop',
    dwellSeconds: 120,
    waypoints: [
      lindenhall(-0.002, 0.001),
      lindenhall(-0.0035, 0.0032),
      lindenhall(-0.0061, 0.0029),
      lindenhall(-0.0064, -0.0008),
      lindenhall(-0.0039, -0.0021),
      lindenhall(-0.002, 0.001),
    ],
  },
  {
    name: 'harbour-walk',
    dwellSeconds: 180,
    waypoints: [
      harbour(0, 0),
      harbour(0.0015, -0.002),
      harbour(0.0009, -0.0054),
      harbour(0.0031, -0.0077),
    ],
  },
];

/** A built-in route by name; throws RangeError for an unknown name. */
export function demoRoute(name: string): Route {
  const route = DEMO_ROUTES.find((r) => r.name === name);
  if (route === undefined) {
    throw new RangeError(
      `unknown route ${name}; known: ${DEMO_ROUTES.map((r) => r.name).join(', ')}`,
    );
  }
  return route;
}
