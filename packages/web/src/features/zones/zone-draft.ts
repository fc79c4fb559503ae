/**
 * A zone while the guardian draws or edits it, the problems that keep it from being saved,
 * and the request body it becomes.
 */
import {
  clampRadiusMeters,
  isZonePoint,
  MAX_POLYGON_VERTICES,
  MIN_POLYGON_VERTICES,
  polygonAreaSquareMeters,
  selfIntersection,
  type LatLon,
} from './zone-geometry.ts';
import {
  expectationProblems,
  sortedDays,
  type ExpectationDraft,
  type Weekday,
} from './zone-schedule.ts';

export const MAX_ZONE_NAME_LENGTH = 60;
export const DEFAULT_RADIUS_METERS = 150;
/** The server refuses slivers under this area. */
export const MIN_POLYGON_AREA_SQUARE_METERS = 100;

export type DraftShape =
  | {
      readonly kind: 'circle';
      /** Null until the guardian places it. */
      readonly centre: LatLon | null;
      readonly radiusMeters: number;
    }
  | { readonly kind: 'polygon'; readonly vertices: readonly LatLon[] };

export interface ZoneDraft {
  /** The zone being edited; null for a new one. */
  readonly zoneId: string | null;
  readonly name: string;
  readonly shape: DraftShape;
  readonly expectations: readonly ExpectationDraft[];
}

/** The zone as the server sends it (only the fields a draft needs). */
export interface ZoneRecord {
  readonly id: string;
  readonly name: string;
  readonly shape:
    | {
        readonly kind: 'circle';
        readonly latitude: number;
        readonly longitude: number;
        readonly radiusMeters: number;
      }
    | { readonly kind: 'polygon'; readonly vertices: readonly LatLon[] };
  readonly expectations: readonly {
    readonly days: readonly string[];
    readonly start: string;
    readonly end: string;
    readonly timeZone: string;
  }[];
}

export type DraftProblem =
  | 'nameMissing'
  | 'nameTooLong'
  | 'noCentre'
  | 'centreOutOfRange'
  | 'tooFewVertices'
  | 'tooManyVertices'
  | 'vertexOutOfRange'
  | 'selfIntersecting'
  | 'tooSmall'
  | 'expectations';

export function newCircleDraft(centre: LatLon | null = null): ZoneDraft {
  return {
    zoneId: null,
    name: '',
    shape: { kind: 'circle', centre, radiusMeters: DEFAULT_RADIUS_METERS },
    expectations: [],
  };
}

export function newPolygonDraft(): ZoneDraft {
  return { zoneId: null, name: '', shape: { kind: 'polygon', vertices: [] }, expectations: [] };
}

const WEEKDAYS = new Set<string>(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export function draftFromZone(zone: ZoneRecord): ZoneDraft {
  const shape: DraftShape =
    zone.shape.kind === 'circle'
      ? {
          kind: 'circle',
          centre: { latitude: zone.shape.latitude, longitude: zone.shape.longitude },
          radiusMeters: zone.shape.radiusMeters,
        }
      : { kind: 'polygon', vertices: zone.shape.vertices.map((v) => ({ ...v })) };
  return {
    zoneId: zone.id,
    name: zone.name,
    shape,
    expectations: zone.expectations.map((e) => ({
      days: sortedDays(e.days.filter((d): d is Weekday => WEEKDAYS.has(d))),
      start: e.start,
      end: e.end,
      timeZone: e.timeZone,
    })),
  };
}

/** Everything that keeps the draft from being saved, in the order the form shows them. */
export function draftProblems(draft: ZoneDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const name = draft.name.trim();
  if (name === '') problems.push('nameMissing');
  else if (name.length > MAX_ZONE_NAME_LENGTH) problems.push('nameTooLong');
  problems.push(...shapeProblems(draft.shape));
  if (draft.expectations.some((e) => expectationProblems(e).length > 0)) {
    problems.push('expectations');
  }
  return problems;
}

export function shapeProblems(shape: DraftShape): DraftProblem[] {
  if (shape.kind === 'circle') {
    if (shape.centre === null) return ['noCentre'];
    return isZonePoint(shape.centre) ? [] : ['centreOutOfRange'];
  }
  const { vertices } = shape;
  if (vertices.length < MIN_POLYGON_VERTICES) return ['tooFewVertices'];
  if (vertices.length > MAX_POLYGON_VERTICES) return ['tooManyVertices'];
  if (!vertices.every(isZonePoint)) return ['vertexOutOfRange'];
  if (selfIntersection(vertices) !== null) return ['selfIntersecting'];
  if (polygonAreaSquareMeters(vertices) < MIN_POLYGON_AREA_SQUARE_METERS) return ['tooSmall'];
  return [];
}

export function withCentre(draft: ZoneDraft, centre: LatLon): ZoneDraft {
  if (draft.shape.kind !== 'circle') return draft;
  return { ...draft, shape: { ...draft.shape, centre } };
}

export function withRadius(draft: ZoneDraft, radiusMeters: number): ZoneDraft {
  if (draft.shape.kind !== 'circle') return draft;
  return { ...draft, shape: { ...draft.shape, radiusMeters: clampRadiusMeters(radiusMeters) } };
}

export function withVertexAdded(draft: ZoneDraft, vertex: LatLon): ZoneDraft {
  if (draft.shape.kind !== 'polygon' || draft.shape.vertices.length >= MAX_POLYGON_VERTICES) {
    return draft;
  }
  return { ...draft, shape: { kind: 'polygon', vertices: [...draft.shape.vertices, vertex] } };
}

export function withLastVertexRemoved(draft: ZoneDraft): ZoneDraft {
  if (draft.shape.kind !== 'polygon' || draft.shape.vertices.length === 0) return draft;
  return { ...draft, shape: { kind: 'polygon', vertices: draft.shape.vertices.slice(0, -1) } };
}

export function withVertexMoved(draft: ZoneDraft, index: number, vertex: LatLon): ZoneDraft {
  if (draft.shape.kind !== 'polygon' || index < 0 || index >= draft.shape.vertices.length) {
    return draft;
  }
  const vertices = draft.shape.vertices.slice();
  vertices[index] = vertex;
  return { ...draft, shape: { kind: 'polygon', vertices } };
}

/** Coordinates rounded to 7 decimals (about 1 cm): the precision a watch fix has at best. */
function rounded(point: LatLon): LatLon {
  const round = (value: number) => Math.round(value * 1e7) / 1e7;
  return { latitude: round(point.latitude), longitude: round(point.longitude) };
}

/** The body of POST .../zones and PUT .../zones/{zoneId}; call only when there is no problem. */
export function requestBody(draft: ZoneDraft): {
  name: string;
  shape:
    | { kind: 'circle'; latitude: number; longitude: number; radiusMeters: number }
    | { kind: 'polygon'; vertices: { latitude: number; longitude: number }[] };
  expectations: { days: Weekday[]; start: string; end: string; timeZone: string }[];
} {
  const { shape } = draft;
  const body =
    shape.kind === 'circle'
      ? {
          kind: 'circle' as const,
          ...rounded(shape.centre ?? { latitude: 0, longitude: 0 }),
          radiusMeters: clampRadiusMeters(shape.radiusMeters),
        }
      : { kind: 'polygon' as const, vertices: shape.vertices.map(rounded) };
  return {
    name: draft.name.trim(),
    shape: body,
    expectations: draft.expectations.map((e) => ({
      days: sortedDays(e.days),
      start: e.start,
      end: e.end,
      timeZone: e.timeZone.trim(),
    })),
  };
}
