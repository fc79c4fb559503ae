import {
  cellKeyText,
  type CellKey,
  type CellTower,
  type CellTowerRepository,
} from '@kinwatch/core';
import type { Db } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
import { chunks, rowsPerInsert } from './sql-flavour.ts';

const INSERT_COLUMNS = 10;
/** Keys per lookup: each adds an `or` term, and SQLite nests at most 1000 deep. */
const KEYS_PER_QUERY = 250;

export class SqlCellTowerRepository implements CellTowerRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async upsertMany(towers: readonly CellTower[]): Promise<void> {
    for (const tower of towers) checkTower(tower);
    // PostgreSQL refuses to update one row twice in a statement; keeping the last row of each
    // key gives both databases the result of upserting the rows one by one.
    const lastOfKey = new Map<string, CellTower>();
    for (const tower of towers) lastOfKey.set(cellKeyText(tower), tower);
    const rows = [...lastOfKey.values()].map((tower) => ({
      mcc: tower.mcc,
      mnc: tower.mnc,
      lac: tower.lac,
      cid: tower.cid,
      radio: tower.radio,
      latitude: tower.latitude,
      longitude: tower.longitude,
      range_meters: tower.rangeMeters,
      samples: tower.samples,
      updated_at: toMillis(tower.updatedAt),
    }));
    if (rows.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const chunk of chunks(rows, rowsPerInsert(INSERT_COLUMNS))) {
        await trx
          .insertInto('cell_towers')
          .values(chunk)
          .onConflict((oc) =>
            oc.columns(['mcc', 'mnc', 'lac', 'cid']).doUpdateSet((eb) => ({
              radio: eb.ref('excluded.radio'),
              latitude: eb.ref('excluded.latitude'),
              longitude: eb.ref('excluded.longitude'),
              range_meters: eb.ref('excluded.range_meters'),
              samples: eb.ref('excluded.samples'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    });
  }

  async findMany(keys: readonly CellKey[]): Promise<CellTower[]> {
    const unique = [...new Map(keys.map((key) => [cellKeyText(key), key])).values()];
    const found: CellTower[] = [];
    for (const chunk of chunks(unique, KEYS_PER_QUERY)) {
      const rows = await this.#db
        .selectFrom('cell_towers')
        .selectAll()
        .where((eb) =>
          eb.or(
            chunk.map((key) => eb.and({ mcc: key.mcc, mnc: key.mnc, lac: key.lac, cid: key.cid })),
          ),
        )
        .execute();
      for (const row of rows) {
        found.push({
          mcc: row.mcc,
          mnc: row.mnc,
          lac: row.lac,
          cid: row.cid,
          radio: row.radio,
          latitude: row.latitude,
          longitude: row.longitude,
          rangeMeters: row.range_meters,
          samples: row.samples,
          updatedAt: fromMillis(row.updated_at),
        });
      }
    }
    return found;
  }
}

function checkTower(tower: CellTower): void {
  const keyParts = [tower.mcc, tower.mnc, tower.lac, tower.cid];
  if (!keyParts.every((part) => Number.isSafeInteger(part) && part >= 0)) {
    throw new RangeError(`cell ${cellKeyText(tower)}: key parts must be non-negative integers`);
  }
  if (!isCoordinate(tower.latitude, 90) || !isCoordinate(tower.longitude, 180)) {
    throw new RangeError(`cell ${cellKeyText(tower)}: coordinates out of range`);
  }
  if (!(Number.isFinite(tower.rangeMeters) && tower.rangeMeters >= 0)) {
    throw new RangeError(`cell ${cellKeyText(tower)}: rangeMeters must be non-negative`);
  }
}

function isCoordinate(value: number, limit: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= limit;
}
