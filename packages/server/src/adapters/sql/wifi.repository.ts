import {
  normalizeMac,
  type WifiAccessPointLocation,
  type WifiObservation,
  type WifiRepository,
} from '@kinwatch/core';
import { sql, type Kysely } from 'kysely';
import type { Database, Db } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { chunks } from './sql-flavour.ts';

const MACS_PER_QUERY = 1000;

export class SqlWifiRepository implements WifiRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async learn(observation: WifiObservation): Promise<void> {
    await upsertObservation(this.#db, checkedObservation(observation));
  }

  async learnMany(observations: readonly WifiObservation[]): Promise<void> {
    const checked = observations.map(checkedObservation);
    if (checked.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const observation of checked) await upsertObservation(trx, observation);
    });
  }

  async findMany(macs: readonly string[]): Promise<WifiAccessPointLocation[]> {
    const normalized = new Set<string>();
    for (const mac of macs) {
      const normal = normalizeMac(mac);
      if (normal !== undefined) normalized.add(normal);
    }
    const found: WifiAccessPointLocation[] = [];
    for (const chunk of chunks([...normalized], MACS_PER_QUERY)) {
      const rows = await this.#db
        .selectFrom('wifi_access_points')
        .selectAll()
        .where('mac', 'in', chunk)
        .execute();
      for (const row of rows) {
        found.push({
          mac: row.mac,
          latitude: row.latitude,
          longitude: row.longitude,
          accuracyMeters: row.accuracy_meters,
          samples: row.samples,
          updatedAt: fromMillis(row.updated_at),
        });
      }
    }
    return found;
  }
}

type AveragedColumn = 'latitude' | 'longitude' | 'accuracy_meters';

/** The mean over every sample so far, the new one included. */
function runningAverage(column: AveragedColumn) {
  const stored = sql.ref(`wifi_access_points.${column}`);
  const incoming = sql.ref(`excluded.${column}`);
  return sql<number>`(${stored} * wifi_access_points.samples + ${incoming}) / (wifi_access_points.samples + 1)`;
}

/** The observation with its MAC normalized; RangeError when it cannot be stored. */
function checkedObservation(observation: WifiObservation): WifiObservation {
  const mac = normalizeMac(observation.mac);
  if (mac === undefined) throw new RangeError(`${JSON.stringify(observation.mac)} is not a MAC`);
  const { latitude, longitude, accuracyMeters } = observation;
  if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) {
    throw new RangeError(`access point ${mac}: coordinates out of range`);
  }
  if (!(Number.isFinite(accuracyMeters) && accuracyMeters >= 0)) {
    throw new RangeError(`access point ${mac}: accuracyMeters must be non-negative`);
  }
  return { ...observation, mac };
}

/**
 * One statement, so concurrent observations of one access point are all counted. The
 * right-hand sides see the row as it was before the update.
 */
async function upsertObservation(
  db: Kysely<Database>,
  observation: WifiObservation,
): Promise<void> {
  await db
    .insertInto('wifi_access_points')
    .values({
      mac: observation.mac,
      latitude: observation.latitude,
      longitude: observation.longitude,
      accuracy_meters: observation.accuracyMeters,
      samples: 1,
      updated_at: toMillis(observation.at),
    })
    .onConflict((oc) =>
      oc.column('mac').doUpdateSet((eb) => ({
        latitude: runningAverage('latitude'),
        longitude: runningAverage('longitude'),
        accuracy_meters: runningAverage('accuracy_meters'),
        samples: eb('wifi_access_points.samples', '+', 1),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
