import { DomainError } from '../errors/domain-error.ts';
import type { LatLon } from '../geo/haversine.ts';
import type { WatchId } from '../watches/watch.model.ts';
import { isTimeZone, minuteOfDay } from './expectation-schedule.ts';
import { PlanarPolygon } from './planar-polygon.ts';

export type ZoneId = string;

export const MIN_RADIUS_METERS = 30;
export const MAX_RADIUS_METERS = 50_000;
export const MIN_POLYGON_VERTICES = 3;
export const MAX_POLYGON_VERTICES = 100;
/** A polygon must enclose at least this much (a sliver is a drawing mistake). */
export const MIN_POLYGON_AREA_SQUARE_METERS = 100;
/** Width and height of a polygon's bounding box at most; a circle's diameter is below it too. */
export const MAX_EXTENT_METERS = 100_000;
/** Zones stay off the polar caps, where flat approximations of the border break down. */
export const MAX_ZONE_LATITUDE = 85;
export const MAX_ZONE_NAME_LENGTH = 60;
export const MAX_EXPECTATIONS_PER_ZONE = 10;
export const MAX_ZONES_PER_WATCH = 500;

export interface CircleShape {
  readonly kind: 'circle';
  readonly latitude: number;
  readonly longitude: number;
  readonly radiusMeters: number;
}

/** The ring closes itself: the last vertex joins the first. Stored without a repeated vertex. */
export interface PolygonShape {
  readonly kind: 'polygon';
  readonly vertices: readonly LatLon[];
}

export type ZoneShape = CircleShape | PolygonShape;

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** In the order of `Date#getUTCDay()`. */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * "Arrive between `start` and `end` on these days": local wall-clock times `HH:MM` in the IANA
 * `timeZone`; `end` is after `start` on the same day. Missed when the watch was not inside the
 * zone at any moment of the window.
 */
export interface ZoneExpectation {
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
}

/** What a guardian draws. */
export interface ZoneDraft {
  readonly name: string;
  readonly shape: ZoneShape;
  readonly expectations: readonly ZoneExpectation[];
}

export interface Zone extends ZoneDraft {
  readonly id: ZoneId;
  readonly watchId: WatchId;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function invalidZone(message: string): DomainError {
  return new DomainError('invalid', 'invalidZone', message);
}

/**
 * The draft made canonical (name trimmed, a repeated closing vertex dropped, days in week
 * order without repeats), or throws DomainError `invalidZone` naming the first problem.
 */
export function validZoneDraft(draft: ZoneDraft): ZoneDraft {
  const name = draft.name.trim();
  if (name.length === 0 || name.length > MAX_ZONE_NAME_LENGTH) {
    throw invalidZone(`name: between 1 and ${MAX_ZONE_NAME_LENGTH} characters.`);
  }
  const shape =
    draft.shape.kind === 'circle' ? validCircle(draft.shape) : validPolygon(draft.shape);
  if (draft.expectations.length > MAX_EXPECTATIONS_PER_ZONE) {
    throw invalidZone(`expectations: at most ${MAX_EXPECTATIONS_PER_ZONE} per zone.`);
  }
  const expectations = draft.expectations.map((e, i) => validExpectation(e, `expectations[${i}]`));
  return { name, shape, expectations };
}

function checkPoint(point: LatLon, field: string): void {
  const { latitude, longitude } = point;
  if (!Number.isFinite(latitude) || Math.abs(latitude) > MAX_ZONE_LATITUDE) {
    throw invalidZone(
      `${field}.latitude: a number from -${MAX_ZONE_LATITUDE} to ${MAX_ZONE_LATITUDE}.`,
    );
  }
  if (!Number.isFinite(longitude) || Math.abs(longitude) > 180) {
    throw invalidZone(`${field}.longitude: a number from -180 to 180.`);
  }
}

function validCircle(shape: CircleShape): CircleShape {
  checkPoint(shape, 'shape');
  const { radiusMeters } = shape;
  if (!(radiusMeters >= MIN_RADIUS_METERS && radiusMeters <= MAX_RADIUS_METERS)) {
    throw invalidZone(
      `shape.radiusMeters: from ${MIN_RADIUS_METERS} to ${MAX_RADIUS_METERS} metres.`,
    );
  }
  return {
    kind: 'circle',
    latitude: shape.latitude,
    longitude: shape.longitude,
    radiusMeters,
  };
}

function validPolygon(shape: PolygonShape): PolygonShape {
  let vertices = shape.vertices.map((v) => ({ latitude: v.latitude, longitude: v.longitude }));
  vertices.forEach((v, i) => {
    checkPoint(v, `shape.vertices[${i}]`);
  });
  const first = vertices[0];
  const last = vertices.at(-1);
  if (
    vertices.length > 1 &&
    first !== undefined &&
    last !== undefined &&
    isSamePoint(first, last)
  ) {
    vertices = vertices.slice(0, -1);
  }
  if (vertices.length < MIN_POLYGON_VERTICES || vertices.length > MAX_POLYGON_VERTICES) {
    throw invalidZone(
      `shape.vertices: from ${MIN_POLYGON_VERTICES} to ${MAX_POLYGON_VERTICES} distinct corners.`,
    );
  }
  const repeated = vertices.findIndex((v, i) => i > 0 && isSamePoint(v, vertices[i - 1] as LatLon));
  if (repeated > 0) throw invalidZone(`shape.vertices[${repeated}]: repeats the corner before it.`);
  checkExtent(vertices);
  const planar = new PlanarPolygon(vertices);
  const crossing = planar.selfIntersection();
  if (crossing !== undefined) throw invalidZone(`shape: the border crosses itself (${crossing}).`);
  if (planar.areaSquareMeters() < MIN_POLYGON_AREA_SQUARE_METERS) {
    throw invalidZone(
      `shape: the polygon encloses less than ${MIN_POLYGON_AREA_SQUARE_METERS} square metres.`,
    );
  }
  return { kind: 'polygon', vertices };
}

/** Also refuses a polygon across the antimeridian: its longitudes span nearly 360 degrees. */
function checkExtent(vertices: readonly LatLon[]): void {
  const latitudes = vertices.map((v) => v.latitude);
  const longitudes = vertices.map((v) => v.longitude);
  const metersPerDegree = 111_195;
  const height = (Math.max(...latitudes) - Math.min(...latitudes)) * metersPerDegree;
  const widest = Math.cos((Math.min(...latitudes.map(Math.abs)) * Math.PI) / 180);
  const width = (Math.max(...longitudes) - Math.min(...longitudes)) * metersPerDegree * widest;
  if (height > MAX_EXTENT_METERS || width > MAX_EXTENT_METERS) {
    throw invalidZone(`shape: a polygon spans at most ${MAX_EXTENT_METERS / 1000} km each way.`);
  }
}

function isSamePoint(a: LatLon, b: LatLon): boolean {
  return a.latitude === b.latitude && a.longitude === b.longitude;
}

function validExpectation(expectation: ZoneExpectation, field: string): ZoneExpectation {
  const days = WEEKDAYS.filter((day) => expectation.days.includes(day));
  if (days.length === 0 || expectation.days.some((d) => !WEEKDAYS.includes(d))) {
    throw invalidZone(`${field}.days: one or more of ${WEEKDAYS.join(', ')}.`);
  }
  const start = minuteOfDay(expectation.start);
  const end = minuteOfDay(expectation.end);
  if (start === undefined) throw invalidZone(`${field}.start: a time HH:MM from 00:00 to 23:59.`);
  if (end === undefined) throw invalidZone(`${field}.end: a time HH:MM from 00:00 to 23:59.`);
  if (end <= start) {
    throw invalidZone(
      `${field}: ends at ${expectation.end}, not after it starts at ${expectation.start}.`,
    );
  }
  if (!isTimeZone(expectation.timeZone)) {
    throw invalidZone(`${field}.timeZone: an IANA time zone name such as Europe/Berlin.`);
  }
  return {
    days: days,
    start: expectation.start,
    end: expectation.end,
    timeZone: expectation.timeZone,
  };
}
