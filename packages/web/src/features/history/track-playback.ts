/**
 * Where the marker is on a recorded track at a moment of playback. Points are ordered by their
 * device time; between two points the child is assumed to have moved in a straight line at an
 * even pace, which is what the map can honestly draw.
 */

export interface TrackPoint {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
}

export interface TrackPlace {
  readonly latitude: number;
  readonly longitude: number;
  /** The last point at or before the moment (the first point before the track starts). */
  readonly previousIndex: number;
  /** True when the moment is exactly a point's time: its details describe the marker. */
  readonly isOnPoint: boolean;
}

/** Playback speeds offered: track seconds per real second. */
export const PLAYBACK_SPEEDS = [1, 10, 60, 300, 1800] as const;

/** The points with coordinates, oldest first (stable for equal times). */
export function trackPointsOf<
  P extends { recordedAt: string; latitude: number | null; longitude: number | null },
>(positions: readonly P[]): (TrackPoint & { readonly position: P })[] {
  const points: (TrackPoint & { readonly position: P })[] = [];
  for (const position of positions) {
    if (position.latitude === null || position.longitude === null) continue;
    points.push({
      atMs: Date.parse(position.recordedAt),
      latitude: position.latitude,
      longitude: position.longitude,
      position,
    });
  }
  return points.sort((a, b) => a.atMs - b.atMs);
}

/** Index of the last point whose time is at or before `atMs`; -1 when all are later. */
export function lastIndexAtOrBefore(points: readonly TrackPoint[], atMs: number): number {
  let low = 0;
  let high = points.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((points[middle] as TrackPoint).atMs <= atMs) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** Longitude step from one point to the next the short way round (across the date line). */
function longitudeDelta(from: number, to: number): number {
  let delta = to - from;
  if (delta > 180) delta -= 360;
  if (delta < -180) delta += 360;
  return delta;
}

function wrapLongitude(longitude: number): number {
  if (longitude > 180) return longitude - 360;
  if (longitude < -180) return longitude + 360;
  return longitude;
}

/** The marker's place at `atMs`, clamped to the track's ends; null for an empty track. */
export function placeAt(points: readonly TrackPoint[], atMs: number): TrackPlace | null {
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) return null;
  if (atMs <= first.atMs) {
    return {
      latitude: first.latitude,
      longitude: first.longitude,
      previousIndex: 0,
      isOnPoint: true,
    };
  }
  if (atMs >= last.atMs) {
    return {
      latitude: last.latitude,
      longitude: last.longitude,
      previousIndex: points.length - 1,
      isOnPoint: true,
    };
  }
  const index = lastIndexAtOrBefore(points, atMs);
  const before = points[index] as TrackPoint;
  const after = points[index + 1] as TrackPoint;
  if (before.atMs === atMs) {
    return {
      latitude: before.latitude,
      longitude: before.longitude,
      previousIndex: index,
      isOnPoint: true,
    };
  }
  const fraction = (atMs - before.atMs) / (after.atMs - before.atMs);
  return {
    latitude: before.latitude + (after.latitude - before.latitude) * fraction,
    longitude: wrapLongitude(
      before.longitude + longitudeDelta(before.longitude, after.longitude) * fraction,
    ),
    previousIndex: index,
    isOnPoint: false,
  };
}

/** The time of the next point strictly after `atMs`, or the track's end. */
export function nextPointTime(points: readonly TrackPoint[], atMs: number): number | null {
  const last = points.at(-1);
  if (last === undefined) return null;
  const next = points[lastIndexAtOrBefore(points, atMs) + 1];
  return next === undefined ? last.atMs : next.atMs;
}

/** The time of the last point strictly before `atMs`, or the track's start. */
export function previousPointTime(points: readonly TrackPoint[], atMs: number): number | null {
  const first = points[0];
  if (first === undefined) return null;
  const index = lastIndexAtOrBefore(points, atMs - 1);
  return index < 0 ? first.atMs : (points[index] as TrackPoint).atMs;
}

/**
 * One animation frame of playback: the moment `elapsedMs` of real time later at `speed`, and
 * whether playback has reached `endMs` (where it stops rather than passing it).
 */
export function advancePlayback(
  atMs: number,
  elapsedMs: number,
  speed: number,
  endMs: number,
): { readonly atMs: number; readonly isAtEnd: boolean } {
  const next = atMs + Math.max(0, elapsedMs) * speed;
  return next >= endMs ? { atMs: endMs, isAtEnd: true } : { atMs: next, isAtEnd: false };
}
