import type { WatchId } from '../watches/watch.model.ts';

/** How the coordinates were obtained. `none`: the report carried no usable fix. */
export type PositionSource = 'gps' | 'wifi' | 'cell' | 'none';

export const POSITION_SOURCES: readonly PositionSource[] = ['gps', 'wifi', 'cell', 'none'];

/** Findings of the plausibility check, stored with the position rather than dropping it. */
export type PositionFlag =
  /** Reaching this point from the previous one needs an implausible speed. */
  | 'impossibleJump'
  /** The device time is too far from the server's receive time. */
  | 'clockSkew';

export const POSITION_FLAGS: readonly PositionFlag[] = ['impossibleJump', 'clockSkew'];

export function isPositionSource(value: string): value is PositionSource {
  return (POSITION_SOURCES as readonly string[]).includes(value);
}

export function isPositionFlag(value: string): value is PositionFlag {
  return (POSITION_FLAGS as readonly string[]).includes(value);
}

export interface Position {
  readonly watchId: WatchId;
  /** Device time of the fix; may be wrong (see the `clockSkew` flag). */
  readonly recordedAt: Date;
  /** Server time the report arrived. */
  readonly receivedAt: Date;
  readonly source: PositionSource;
  /** WGS84 decimal degrees; null exactly when `source` is `none`. */
  readonly latitude: number | null;
  readonly longitude: number | null;
  /** Radius of the likely area; null when unknown. */
  readonly accuracyMeters: number | null;
  /** Null when the source does not measure them (Wi-Fi, cell). */
  readonly speedKmh: number | null;
  /** 0 (north) inclusive to 360 exclusive, clockwise. */
  readonly courseDegrees: number | null;
  readonly altitudeMeters: number | null;
  /** Reported late from the watch's buffer (`UD2`): history only, never "where is it now". */
  readonly isBuffered: boolean;
  readonly flags: readonly PositionFlag[];
}

/**
 * Why a position cannot be stored, or undefined when it can. Checks the shape only (ranges,
 * units, the source/coordinates pairing), not whether the movement is plausible.
 */
export function positionProblem(position: Position): string | undefined {
  const { latitude, longitude, source } = position;
  if (!isValidDate(position.recordedAt)) return 'recordedAt is not a valid date';
  if (!isValidDate(position.receivedAt)) return 'receivedAt is not a valid date';
  if (!POSITION_SOURCES.includes(source)) return `unknown source ${source}`;
  if ((source === 'none') !== (latitude === null || longitude === null)) {
    return 'coordinates must be present unless the source is none, and absent when it is';
  }
  if (latitude !== null && !inRange(latitude, -90, 90)) return `latitude ${latitude} out of range`;
  if (longitude !== null && !inRange(longitude, -180, 180)) {
    return `longitude ${longitude} out of range`;
  }
  const { accuracyMeters, speedKmh, courseDegrees, altitudeMeters } = position;
  if (accuracyMeters !== null && !inRange(accuracyMeters, 0, Number.MAX_VALUE)) {
    return `accuracyMeters ${accuracyMeters} must be a non-negative number`;
  }
  if (speedKmh !== null && !inRange(speedKmh, 0, Number.MAX_VALUE)) {
    return `speedKmh ${speedKmh} must be a non-negative number`;
  }
  if (courseDegrees !== null && !(inRange(courseDegrees, 0, 360) && courseDegrees < 360)) {
    return `courseDegrees ${courseDegrees} must be in [0, 360)`;
  }
  if (altitudeMeters !== null && !Number.isFinite(altitudeMeters)) {
    return `altitudeMeters ${altitudeMeters} must be finite`;
  }
  const unknown = position.flags.find((flag) => !POSITION_FLAGS.includes(flag));
  if (unknown !== undefined) return `unknown flag ${unknown}`;
  return undefined;
}

export function isValidDate(value: Date): boolean {
  return value instanceof Date && Number.isFinite(value.getTime());
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}
