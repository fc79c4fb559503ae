import {
  normalizeMac,
  type WifiAccessPointLocation,
  type WifiObservation,
  type WifiRepository,
} from '@kinwatch/core';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { executeAtomically } from './atomic-statements.ts';
import type { Database, Db } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { chunks } from './sql-flavour.ts';

const MACS_PER_QUERY = 1000;

export class SqlWifiRepository implements WifiRepository {
  readonly #db: Db;
  readonly #upsertText: string;

  constructor(db: Db) {
    this.#db = db;
    let placeholder = 0;
    this.#upsertText = sql`select ${0}`.compile(db).sql.includes('$1')
      ? UPSERT_TEXT.replace(/\?/g, () => `$${String((placeholder += 1))}`)
      : UPSERT_TEXT;
  }

  async learn(observation: WifiObservation): Promise<void> {
    await this.#upsert(this.#db, checkedObservation(observation));
  }

  async learnMany(observations: readonly WifiObservation[]): Promise<void> {
    const checked = observations.map(checkedObservation);
    await executeAtomically(
      this.#db,
      checked.map((observation) => this.#upsertQuery(observation)),
    );
  }

  /**
   * One statement, so concurrent observations of one access point are all counted. Its text is
   * fixed, so SQLite prepares it once (see SqliteStatementCache) and no query is built per
   * observation: built with the query builder, an upsert cost about 100 µs of CPU, most of a
   * learning transaction's time on the event loop.
   */
  async #upsert(db: Kysely<Database>, observation: WifiObservation): Promise<void> {
    await db.executeQuery(this.#upsertQuery(observation));
  }

  #upsertQuery(observation: WifiObservation): CompiledQuery {
    const { mac, latitude, longitude, accuracyMeters, at } = observation;
    return CompiledQuery.raw(this.#upsertText, [
      mac,
      latitude,
      longitude,
      accuracyMeters,
      toMillis(at),
    ]);
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

/** The mean over every sample so far, the new one included. */
function runningAverage(column: string): string {
  return (
    `"${column}" = ("wifi_access_points"."${column}" * "wifi_access_points"."samples" + ` +
    `"excluded"."${column}") / ("wifi_access_points"."samples" + 1)`
  );
}

/**
 * The upsert of one observation, in the syntax SQLite and PostgreSQL share, with `?`
 * placeholders (numbered for PostgreSQL). The right-hand sides see the row as it was before
 * the update.
 */
const UPSERT_TEXT =
  'insert into "wifi_access_points" ' +
  '("mac", "latitude", "longitude", "accuracy_meters", "samples", "updated_at") ' +
  'values (?, ?, ?, ?, 1, ?) on conflict ("mac") do update set ' +
  [
    runningAverage('latitude'),
    runningAverage('longitude'),
    runningAverage('accuracy_meters'),
    '"samples" = "wifi_access_points"."samples" + 1',
    '"updated_at" = "excluded"."updated_at"',
  ].join(', ');

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
