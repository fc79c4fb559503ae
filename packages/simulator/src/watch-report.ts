/**
 * What a simulated watch puts in its location block: a GPS fix, or only the Wi-Fi access points
 * and cells around it, the way real watches report indoors. The radio environment is a
 * deterministic function of the position (cells on a ~1 km grid, access points on a ~50 m
 * grid), so a server that learns Wi-Fi positions from GPS-tagged reports sees the same access
 * points again when a later Wi-Fi-only report comes from the same place.
 */
import type { LocationBlockInput, NetworkInput } from '@kinwatch/protocol';
import type { RoutePosition } from './route.ts';
import type { Random } from './seeded-random.ts';

/** How a watch locates itself: `mix` picks per report (mostly GPS, some Wi-Fi, a few cell). */
export type ReportMode = 'gps' | 'wifi' | 'cell' | 'mix';
export type ReportSource = Exclude<ReportMode, 'mix'>;

export interface WatchCounters {
  readonly batteryPercent: number;
  readonly steps: number;
}

/** Test network 001-01: no real operator's cells are claimed. */
const MCC = 1;
const MNC = 1;
const CELL_GRID_DEGREES = 0.01;
const WIFI_GRID_DEGREES = 0.0005;
const METRES_PER_DEGREE = 111_195;

/** A 31-bit hash of two grid coordinates (integer mixing; stable across runs and processes). */
function gridHash(a: number, b: number, salt: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b ^ salt, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) & 0x7fffffff;
}

function macOf(nodeLat: number, nodeLon: number): string {
  const high = gridHash(nodeLat, nodeLon, 11);
  const low = gridHash(nodeLat, nodeLon, 13);
  // 02: a locally administered address, so the simulator never claims a vendor's range.
  const octets = [
    0x02,
    high >>> 24,
    (high >>> 16) & 0xff,
    (high >>> 8) & 0xff,
    high & 0xff,
    low & 0xff,
  ];
  return octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
}

/**
 * The serving cell and two neighbours, and the three nearest access points (strongest first),
 * at a position.
 */
export function radioAround(latitude: number, longitude: number): Required<NetworkInput> {
  const cellLat = Math.floor(latitude / CELL_GRID_DEGREES);
  const cellLon = Math.floor(longitude / CELL_GRID_DEGREES);
  const cells = [0, 1, -1].map((k, i) => {
    const hash = gridHash(cellLat + k, cellLon, 7);
    return { lac: 1000 + (hash % 9000), cid: hash % 268_435_455, rssi: 140 - 20 * i };
  });
  const wifiLat = Math.round(latitude / WIFI_GRID_DEGREES);
  const wifiLon = Math.round(longitude / WIFI_GRID_DEGREES);
  const candidates = [
    [0, 0],
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
  ].map(([dLat = 0, dLon = 0]) => {
    const nodeLat = (wifiLat + dLat) * WIFI_GRID_DEGREES;
    const nodeLon = (wifiLon + dLon) * WIFI_GRID_DEGREES;
    const meters = Math.hypot(nodeLat - latitude, nodeLon - longitude) * METRES_PER_DEGREE;
    const mac = macOf(wifiLat + dLat, wifiLon + dLon);
    const rssi = Math.max(-95, Math.round(-40 - meters / 2));
    return { ssid: `Lindenhall-${mac.slice(-5).replace(':', '')}`, mac, rssi };
  });
  const wifi = candidates.sort((a, b) => b.rssi - a.rssi).slice(0, 3);
  return { timingAdvance: 1, mcc: MCC, mnc: MNC, cells, wifi };
}

/** Resolves `mix` to one source: 70 % GPS, 20 % Wi-Fi only, 10 % cells only. */
export function pickSource(mode: ReportMode, random: Random): ReportSource {
  if (mode !== 'mix') return mode;
  const roll = random.next();
  return roll < 0.7 ? 'gps' : roll < 0.9 ? 'wifi' : 'cell';
}

/**
 * The location block for one report. Without a fix (`wifi`, `cell`) the coordinates are 0, as
 * most firmware sends them, and the server has to resolve the position from the radio lists.
 */
export function buildLocation(
  position: RoutePosition,
  source: ReportSource,
  recordedAt: Date,
  counters: WatchCounters,
  random: Random,
): LocationBlockInput {
  const radio = radioAround(position.latitude, position.longitude);
  const hasGnssFix = source === 'gps';
  return {
    recordedAt,
    hasGnssFix,
    latitude: hasGnssFix ? position.latitude : 0,
    longitude: hasGnssFix ? position.longitude : 0,
    speedKmh: hasGnssFix ? position.speedKmh : 0,
    courseDegrees: hasGnssFix ? position.courseDegrees : 0,
    altitudeMeters: hasGnssFix ? Math.round(120 + 3 * random.gaussian()) : 0,
    satellites: hasGnssFix ? random.integer(5, 11) : 0,
    gsmSignalPercent: random.integer(55, 100),
    batteryPercent: counters.batteryPercent,
    steps: counters.steps,
    tumbles: 0,
    // Bit 3: worn on the wrist, set in ordinary frames by many watches (`00000008`).
    stateBits: [3],
    network: { ...radio, wifi: source === 'cell' ? [] : radio.wifi },
    accuracyMeters: hasGnssFix ? Math.round(random.between(4, 15) * 10) / 10 : undefined,
  };
}
