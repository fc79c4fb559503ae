import { cellKeyText, normalizeMac, type CellKey } from '../geo/geo.model.ts';
import type { CellTowerRepository, WifiRepository } from '../geo/geo.ports.ts';
import { distanceMeters, type LatLon } from '../geo/haversine.ts';
import { weightedCentroid } from '../geo/weighted-centroid.ts';
import type { GeoResolver, ResolvedFix } from './geo-resolver.ports.ts';
import type { ObservedCell, ObservedWifi } from './location-observation.model.ts';

/**
 * Fewest known access points a Wi-Fi fix rests on. One alone is too often a phone hotspot or a
 * router that moved house, and nothing would show it.
 */
export const MIN_WIFI_ACCESS_POINTS = 2;
/**
 * How far a watch hears an access point, metres. Indoors it is less, in the open more; the
 * figure only feeds the accuracy radius, never the point itself.
 */
export const WIFI_REACH_METERS = 75;
/**
 * Floor on a tower's range, metres. OpenCelliD gives towers seen only once or twice ranges of
 * a few metres, which would make a cell fix look as precise as GPS.
 */
export const MIN_CELL_RANGE_METERS = 250;
/** Signals more than this many dB below the strongest all weigh the same, small amount. */
const SIGNAL_SPAN_DB = 40;

/** A tower or access point with a known place, as the estimate sees it. */
interface Emitter extends LatLon {
  /** The watch is assumed to be within this distance of it, metres. */
  readonly rangeMeters: number;
  /** As reported; only differences between emitters of one report matter. */
  readonly signal: number | undefined;
}

interface Estimate extends LatLon {
  readonly accuracyMeters: number;
}

/**
 * Resolves from local tables only, so no location leaves the server: Wi-Fi when at least
 * `MIN_WIFI_ACCESS_POINTS` heard access points are known, otherwise the known cells. Cells whose
 * operator the watch did not know are skipped. See docs/positions.md for the weighting and the
 * accuracy radius.
 */
export class LocalGeoResolver implements GeoResolver {
  readonly #cells: Pick<CellTowerRepository, 'findMany'>;
  readonly #wifi: Pick<WifiRepository, 'findMany'>;

  constructor(ports: {
    readonly cells: Pick<CellTowerRepository, 'findMany'>;
    readonly wifi: Pick<WifiRepository, 'findMany'>;
  }) {
    this.#cells = ports.cells;
    this.#wifi = ports.wifi;
  }

  async resolve(
    cells: readonly ObservedCell[],
    wifi: readonly ObservedWifi[],
  ): Promise<ResolvedFix | undefined> {
    const fromWifi = await this.#fromWifi(wifi);
    if (fromWifi !== undefined) return { source: 'wifi', ...fromWifi };
    const fromCells = await this.#fromCells(cells);
    return fromCells === undefined ? undefined : { source: 'cell', ...fromCells };
  }

  async #fromWifi(heard: readonly ObservedWifi[]): Promise<Estimate | undefined> {
    const signals = new Map<string, number | undefined>();
    for (const { mac, rssi } of heard) {
      const normal = normalizeMac(mac);
      if (normal !== undefined) signals.set(normal, stronger(signals.get(normal), rssi));
    }
    if (signals.size < MIN_WIFI_ACCESS_POINTS) return undefined;
    const known = await this.#wifi.findMany([...signals.keys()]);
    const emitters = known.map((ap) => ({
      latitude: ap.latitude,
      longitude: ap.longitude,
      // The learned place is the mean of fixes taken anywhere within reach of the access point,
      // so it is itself uncertain by about reach / sqrt(samples).
      rangeMeters:
        ap.accuracyMeters + WIFI_REACH_METERS * (1 + 1 / Math.sqrt(Math.max(1, ap.samples))),
      signal: signals.get(ap.mac),
    }));
    return estimate(emitters, MIN_WIFI_ACCESS_POINTS);
  }

  async #fromCells(heard: readonly ObservedCell[]): Promise<Estimate | undefined> {
    const signals = new Map<string, number | undefined>();
    const keys: CellKey[] = [];
    for (const cell of heard) {
      const key = lookupKey(cell);
      if (key === undefined) continue;
      const text = cellKeyText(key);
      if (!signals.has(text)) keys.push(key);
      signals.set(text, stronger(signals.get(text), cell.rssi));
    }
    if (keys.length === 0) return undefined;
    const towers = await this.#cells.findMany(keys);
    const emitters = towers.map((tower) => ({
      latitude: tower.latitude,
      longitude: tower.longitude,
      rangeMeters: Math.max(tower.rangeMeters, MIN_CELL_RANGE_METERS),
      signal: signals.get(cellKeyText(tower)),
    }));
    return estimate(emitters, 1);
  }
}

function lookupKey(cell: ObservedCell): CellKey | undefined {
  const { mcc, mnc, lac, cid } = cell;
  if (!cell.isOperatorKnown || mcc === undefined || mnc === undefined) return undefined;
  const parts = [mcc, mnc, lac, cid];
  if (!parts.every((part) => Number.isSafeInteger(part) && part >= 0)) return undefined;
  return { mcc, mnc, lac, cid };
}

function stronger(a: number | undefined, b: number | undefined): number | undefined {
  const valid = [a, b].filter((s): s is number => s !== undefined && Number.isFinite(s));
  return valid.length === 0 ? undefined : Math.max(...valid);
}

/**
 * Weighted centroid of the emitters and its accuracy radius, or undefined when fewer than
 * `minCount` remain after dropping outliers.
 *
 * Outliers: while more than `minCount` remain, the emitter whose coverage lies farthest from
 * the centroid is dropped if the centroid is more than twice its range away from it (a tower
 * mislocated in the table, an access point that moved).
 *
 * Accuracy: the watch heard every emitter, so it is within range r_i of each, and therefore
 * within d_i + r_i of the centroid, d_i being the emitter's distance from the centroid. The
 * radius is the tightest of these bounds, min(d_i + r_i).
 */
function estimate(all: readonly Emitter[], minCount: number): Estimate | undefined {
  let kept = all;
  for (;;) {
    if (kept.length < minCount) return undefined;
    const centre = weightedCentroid(weigh(kept));
    if (centre === undefined) return undefined;
    const distances = kept.map((emitter) => distanceMeters(centre, emitter));
    const excess = kept.map((emitter, i) => (distances[i] ?? 0) - 2 * emitter.rangeMeters);
    const worst = excess.indexOf(Math.max(...excess));
    if (kept.length > minCount && (excess[worst] ?? 0) > 0) {
      kept = kept.filter((_, i) => i !== worst);
      continue;
    }
    const bounds = kept.map((emitter, i) => (distances[i] ?? 0) + emitter.rangeMeters);
    return {
      // 7 decimals is about 1 cm: enough, and a lone tower comes back exactly where it is.
      latitude: Number(centre.latitude.toFixed(7)),
      longitude: Number(centre.longitude.toFixed(7)),
      accuracyMeters: Math.round(Math.min(...bounds)),
    };
  }
}

/**
 * Weight = relative signal amplitude / range. The amplitude, 10^(dB below the strongest / 20),
 * needs only differences, so it works whatever unit the firmware reports in; dividing by the
 * range lets a small cell pull harder than a macro cell heard as well. Emitters without a
 * signal get the weakest weight of the report (all 1 when none has one).
 */
function weigh(emitters: readonly Emitter[]) {
  const signals = emitters.flatMap((e) => (e.signal === undefined ? [] : [e.signal]));
  const strongest = signals.length === 0 ? 0 : Math.max(...signals);
  const weakest = signals.length === 0 ? 0 : Math.min(...signals);
  return emitters.map((emitter) => {
    const below = Math.min(strongest - (emitter.signal ?? weakest), SIGNAL_SPAN_DB);
    return { ...emitter, weight: 10 ** (-below / 20) / emitter.rangeMeters };
  });
}
