import { EARTH_RADIUS_METERS } from '../geo/haversine.ts';
import { ASSUMED_ACCURACY_METERS } from '../positions/plausibility.ts';
import { BoxIndex } from './box-index.ts';
import { PlanarPolygon } from './planar-polygon.ts';
import type { Zone, ZoneId } from './zone.model.ts';

/**
 * Hysteresis at the border: a watch inside a zone is declared outside only once its whole
 * likely area (the fix plus its accuracy) lies this far beyond the border.
 */
export const BORDER_MARGIN_METERS = 25;

/** Metres per degree of latitude on the sphere of `distanceMeters`, rounded down. */
const METERS_PER_DEGREE = 111_194;
const METERS_PER_DEGREE_EXACT = (EARTH_RADIUS_METERS * Math.PI) / 180;

/** A located fix, as the evaluator needs it. */
export interface ZoneFix {
  readonly latitude: number;
  readonly longitude: number;
  /** Null when the watch stated none: `ASSUMED_ACCURACY_METERS` is used. */
  readonly accuracyMeters: number | null;
  readonly at: Date;
  /** Reported late from the watch's buffer: stored as history, never a live alert. */
  readonly isBuffered: boolean;
}

/** Where the watch is for one zone, and since the fix that put it there. */
export interface ZoneState {
  readonly zoneId: ZoneId;
  readonly isInside: boolean;
  readonly since: Date;
}

export type ZoneTransitionKind = 'enter' | 'leave';

/** An arrival (`enter`) or a departure (`leave`) at the time of the fix that showed it. */
export interface ZoneTransition {
  readonly zoneId: ZoneId;
  readonly kind: ZoneTransitionKind;
  readonly at: Date;
  readonly isBuffered: boolean;
}

type SignedDistance = (latitude: number, longitude: number) => number;

/**
 * The zones of one watch made ready for evaluation, with the watch's state for each: every
 * zone's bounding box in a packed R-tree and its border as a distance function. Build one when
 * the zones change; feed it the watch's fixes in order.
 *
 * The rule, with d the distance from the fix to the border (negative inside) and a the fix's
 * accuracy: the watch **enters** when d <= -a (the whole likely area is inside) and **leaves**
 * when d >= a + BORDER_MARGIN_METERS. Anything in between is uncertain and keeps the previous
 * state, so a fix on the border, or a fix too coarse for the zone, never flips it back and forth.
 * A zone without a state counts as outside. A fix older than a zone's state does not change it.
 */
export class ZoneTracker {
  readonly #ids: ZoneId[];
  readonly #itemOf: ReadonlyMap<ZoneId, number>;
  readonly #distances: SignedDistance[];
  readonly #index: BoxIndex;
  readonly #isInside: Uint8Array;
  /** Epoch ms of the fix behind each zone's state; -Infinity when it has none. */
  readonly #sinceMs: Float64Array;
  /** Zones the watch is inside: the only ones a far-away fix can leave. */
  readonly #insideItems = new Set<number>();
  /** `#stamp` marks the zones the current search reached. */
  readonly #reached: Uint32Array;
  #stamp = 0;
  #fix: ZoneFix | undefined;
  #accuracy = 0;
  #transitions: ZoneTransition[] = [];

  constructor(zones: readonly Zone[], states: readonly ZoneState[] = []) {
    this.#ids = zones.map((zone) => zone.id);
    this.#itemOf = new Map(this.#ids.map((id, item) => [id, item]));
    this.#distances = zones.map(signedDistanceOf);
    const boxes = new Float64Array(zones.length * 4);
    zones.forEach((zone, i) => {
      boxes.set(boundingBox(zone), i * 4);
    });
    this.#index = new BoxIndex(boxes);
    this.#isInside = new Uint8Array(zones.length);
    this.#sinceMs = new Float64Array(zones.length).fill(-Infinity);
    this.#reached = new Uint32Array(zones.length);
    for (const state of states) {
      const item = this.#itemOf.get(state.zoneId);
      if (item === undefined) continue;
      this.#sinceMs[item] = state.since.getTime();
      this.#isInside[item] = state.isInside ? 1 : 0;
      if (state.isInside) this.#insideItems.add(item);
    }
  }

  get size(): number {
    return this.#ids.length;
  }

  /** The watch's state for the zone, undefined before the first confident fix. */
  state(zoneId: ZoneId): ZoneState | undefined {
    const item = this.#itemOf.get(zoneId);
    if (item === undefined || this.#sinceMs[item] === -Infinity) return undefined;
    const since = new Date(this.#sinceMs[item] as number);
    return { zoneId, isInside: this.#isInside[item] === 1, since };
  }

  /** Evaluates the fix, applies the transitions it causes and returns them. */
  evaluate(fix: ZoneFix): ZoneTransition[] {
    this.#fix = fix;
    this.#accuracy = fix.accuracyMeters ?? ASSUMED_ACCURACY_METERS;
    this.#transitions = [];
    this.#stamp = (this.#stamp + 1) >>> 0 || 1;
    const [dLat, dLon] = degreesAround(fix.latitude, this.#accuracy + BORDER_MARGIN_METERS);
    this.#index.search(
      fix.longitude - dLon,
      fix.latitude - dLat,
      fix.longitude + dLon,
      fix.latitude + dLat,
      this.#visit,
    );
    // Beyond reach of a zone's box the fix is surely outside it.
    for (const item of this.#insideItems) {
      if (this.#reached[item] !== this.#stamp) this.#judge(item, Infinity);
    }
    const transitions = this.#transitions;
    for (const t of transitions) this.#apply(t);
    return transitions;
  }

  readonly #visit = (item: number): void => {
    const fix = this.#fix as ZoneFix;
    this.#reached[item] = this.#stamp;
    if (fix.at.getTime() < (this.#sinceMs[item] as number)) return;
    this.#judge(item, (this.#distances[item] as SignedDistance)(fix.latitude, fix.longitude));
  };

  #judge(item: number, distance: number): void {
    const fix = this.#fix as ZoneFix;
    if (fix.at.getTime() < (this.#sinceMs[item] as number)) return;
    const isInside = this.#isInside[item] === 1;
    const kind: ZoneTransitionKind | undefined =
      !isInside && distance <= -this.#accuracy
        ? 'enter'
        : isInside && distance >= this.#accuracy + BORDER_MARGIN_METERS
          ? 'leave'
          : undefined;
    if (kind === undefined) return;
    const zoneId = this.#ids[item] as ZoneId;
    this.#transitions.push({ zoneId, kind, at: fix.at, isBuffered: fix.isBuffered });
  }

  #apply(transition: ZoneTransition): void {
    const item = this.#itemOf.get(transition.zoneId) as number;
    const isInside = transition.kind === 'enter';
    this.#isInside[item] = isInside ? 1 : 0;
    this.#sinceMs[item] = transition.at.getTime();
    if (isInside) this.#insideItems.add(item);
    else this.#insideItems.delete(item);
  }
}

/** The states the transitions lead to. */
export function statesAfter(transitions: readonly ZoneTransition[]): ZoneState[] {
  return transitions.map((t) => ({ zoneId: t.zoneId, isInside: t.kind === 'enter', since: t.at }));
}

/** Distance from the border in metres, negative inside. */
export function signedDistanceOf(zone: Zone): SignedDistance {
  const { shape } = zone;
  if (shape.kind === 'circle') {
    const { latitude: centreLatitude, longitude: centreLongitude, radiusMeters } = shape;
    // Flat over the short span of a zone, with the scale of the mean latitude: off by a few
    // metres at 50 km, centimetres at school-zone sizes; no trigonometry but one cosine.
    return (latitude, longitude) => {
      const kx = Math.cos(((latitude + centreLatitude) * Math.PI) / 360);
      const dx = (longitude - centreLongitude) * kx;
      const dy = latitude - centreLatitude;
      return Math.sqrt(dx * dx + dy * dy) * METERS_PER_DEGREE_EXACT - radiusMeters;
    };
  }
  const polygon = new PlanarPolygon(shape.vertices);
  return (latitude, longitude) => polygon.signedDistanceMeters(latitude, longitude);
}

/** Half-sizes in degrees of a box that surely holds every point within `meters` (1% spare). */
function degreesAround(latitude: number, meters: number): [number, number] {
  const dLat = (meters * 1.01) / METERS_PER_DEGREE;
  const poleward = Math.min(89.9, Math.abs(latitude) + dLat);
  return [dLat, dLat / Math.cos((poleward * Math.PI) / 180)];
}

/** minLon, minLat, maxLon, maxLat. */
function boundingBox(zone: Zone): [number, number, number, number] {
  const { shape } = zone;
  if (shape.kind === 'circle') {
    const [dLat, dLon] = degreesAround(shape.latitude, shape.radiusMeters);
    return [
      shape.longitude - dLon,
      shape.latitude - dLat,
      shape.longitude + dLon,
      shape.latitude + dLat,
    ];
  }
  const latitudes = shape.vertices.map((v) => v.latitude);
  const longitudes = shape.vertices.map((v) => v.longitude);
  return [
    Math.min(...longitudes),
    Math.min(...latitudes),
    Math.max(...longitudes),
    Math.max(...latitudes),
  ];
}
