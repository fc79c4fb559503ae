/**
 * Zone evaluation per position with 200 zones on one watch (100 circles of 50 m to 1.5 km, 100
 * polygons of 4 to 24 corners, spread over a 20 x 20 km city), for a child walking in and out of
 * them, against two baselines measured in the same run, interleaved:
 *
 * - brute force: the same rule with every zone's border distance computed (no index);
 * - haversine: 200 plain great-circle distances per position (the least any per-zone loop does).
 *
 *   npm run bench:zones                 # 7 interleaved rounds, medians
 *
 * Times are wall-clock microseconds per position on one core; medians of the rounds.
 */
import { performance } from 'node:perf_hooks';
import {
  ZoneTracker,
  distanceMeters,
  ZoneService,
  signedDistanceOf,
  BORDER_MARGIN_METERS,
  type Zone,
  type ZoneFix,
} from '../packages/core/src/index.ts';
import { MemoryZoneRepository } from '../packages/core/src/testing/memory-zone-repository.ts';
import { destination, ring } from '../packages/core/src/testing/zone-geometry.ts';

const CITY = { latitude: 48.137, longitude: 11.575 };
const ZONES = 200;
const POSITIONS = 20_000;
const ROUNDS = 7;

/** A small deterministic generator, so that every run measures the same city. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function cityZones(): Zone[] {
  const next = random(7);
  const at = new Date('2025-03-03T07:00:00Z');
  return Array.from({ length: ZONES }, (_, i) => {
    const centre = destination(CITY, next() * 360, Math.sqrt(next()) * 10_000);
    const size = 50 + next() * 1450;
    const corners = 4 + Math.floor(next() * 21);
    const shape =
      i % 2 === 0
        ? ({ kind: 'circle', ...centre, radiusMeters: size } as const)
        : ({
            kind: 'polygon',
            vertices: ring(
              centre,
              Array.from({ length: corners }, (_, c) => [
                ((c + 0.2 + next() * 0.6) * 360) / corners,
                size * (0.5 + next() * 0.5),
              ]),
            ),
          } as const);
    return {
      id: `zone-${i}`,
      watchId: 'w',
      name: `Zone ${i}`,
      shape,
      expectations: [],
      createdAt: at,
      updatedAt: at,
    };
  });
}

/** A walk that visits zone after zone: towards a zone's centre, then on to the next. */
function walk(zones: readonly Zone[]): ZoneFix[] {
  const next = random(11);
  const fixes: ZoneFix[] = [];
  let here = CITY;
  let t = Date.parse('2025-03-03T07:00:00Z');
  while (fixes.length < POSITIONS) {
    const target = zones[Math.floor(next() * zones.length)] as Zone;
    const goal = target.shape.kind === 'circle' ? target.shape : (target.shape.vertices[0] ?? CITY);
    for (let step = 0; step < 40 && fixes.length < POSITIONS; step++) {
      const f = step / 40;
      here = {
        latitude: here.latitude + (goal.latitude - here.latitude) * f * 0.2,
        longitude: here.longitude + (goal.longitude - here.longitude) * f * 0.2,
      };
      t += 10_000;
      fixes.push({ ...here, accuracyMeters: 5 + next() * 60, at: new Date(t), isBuffered: false });
    }
  }
  return fixes;
}

function timeIt(run: () => number): { microseconds: number; transitions: number } {
  const started = performance.now();
  const transitions = run();
  return { microseconds: ((performance.now() - started) * 1000) / POSITIONS, transitions };
}

function indexed(zones: readonly Zone[], fixes: readonly ZoneFix[]): number {
  const tracker = new ZoneTracker(zones);
  let count = 0;
  for (const fix of fixes) count += tracker.evaluate(fix).length;
  return count;
}

function bruteForce(zones: readonly Zone[], fixes: readonly ZoneFix[]): number {
  const distances = zones.map(signedDistanceOf);
  const inside = new Uint8Array(zones.length);
  let count = 0;
  for (const fix of fixes) {
    const accuracy = fix.accuracyMeters ?? 50;
    for (let i = 0; i < zones.length; i++) {
      const d = (distances[i] as (lat: number, lon: number) => number)(fix.latitude, fix.longitude);
      if (inside[i] === 0 && d <= -accuracy) {
        inside[i] = 1;
        count++;
      } else if (inside[i] === 1 && d >= accuracy + BORDER_MARGIN_METERS) {
        inside[i] = 0;
        count++;
      }
    }
  }
  return count;
}

function haversineOnly(zones: readonly Zone[], fixes: readonly ZoneFix[]): number {
  const centres = zones.map((z) =>
    z.shape.kind === 'circle' ? z.shape : (z.shape.vertices[0] ?? CITY),
  );
  let sum = 0;
  for (const fix of fixes) for (const centre of centres) sum += distanceMeters(centre, fix);
  return sum > 0 ? 0 : 1;
}

async function throughService(zones: readonly Zone[], fixes: readonly ZoneFix[]): Promise<number> {
  const repository = new MemoryZoneRepository();
  for (const zone of zones) await repository.insertZone(zone);
  const service = new ZoneService({
    zones: repository,
    access: { watchFor: () => Promise.resolve({}) },
    ids: { id: () => 'x' },
    clock: { now: () => new Date('2025-03-03T07:00:00Z') },
  });
  let count = 0;
  const started = performance.now();
  for (const fix of fixes) count += (await service.evaluate('w', fix)).length;
  const microseconds = ((performance.now() - started) * 1000) / POSITIONS;
  return count >= 0 ? microseconds : 0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const zones = cityZones();
  const fixes = walk(zones);
  const rows = {
    index: [] as number[],
    service: [] as number[],
    brute: [] as number[],
    haversine: [] as number[],
  };
  let transitions = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const a = timeIt(() => indexed(zones, fixes));
    const s = await throughService(zones, fixes);
    const b = timeIt(() => bruteForce(zones, fixes));
    const h = timeIt(() => haversineOnly(zones, fixes));
    if (a.transitions !== b.transitions) {
      throw new Error(`index found ${a.transitions} transitions, brute force ${b.transitions}`);
    }
    transitions = a.transitions;
    if (round === 0) continue; // warm-up
    rows.index.push(a.microseconds);
    rows.service.push(s);
    rows.brute.push(b.microseconds);
    rows.haversine.push(h.microseconds);
  }
  const build = performance.now();
  for (let i = 0; i < 100; i++) new ZoneTracker(zones);
  const buildMs = (performance.now() - build) / 100;
  const cell = (values: number[]) =>
    `${median(values).toFixed(2)} (${values.map((v) => v.toFixed(2)).join(', ')})`;
  console.log(
    `Node ${process.version}; ${ZONES} zones, ${POSITIONS} positions, ${transitions} transitions per pass`,
  );
  console.log(`${ROUNDS} interleaved rounds after a warm-up; µs per position, median (rounds)\n`);
  console.log('| what | µs per position |');
  console.log('|---|---|');
  console.log(`| ZoneTracker.evaluate (R-tree) | ${cell(rows.index)} |`);
  console.log(`| ZoneService.evaluate, cached zones, in-memory store | ${cell(rows.service)} |`);
  console.log(`| baseline: brute force, every zone's border distance | ${cell(rows.brute)} |`);
  console.log(`| baseline: ${ZONES} haversine distances | ${cell(rows.haversine)} |`);
  console.log(`\nBuilding the index for ${ZONES} zones: ${buildMs.toFixed(3)} ms`);
  console.log(`Ratio brute force ÷ index: ${(median(rows.brute) / median(rows.index)).toFixed(1)}`);
}

await main();
