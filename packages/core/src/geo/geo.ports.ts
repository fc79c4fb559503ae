import type { CellKey, CellTower, WifiAccessPointLocation, WifiObservation } from './geo.model.ts';

/** The local cell-tower table the position resolver looks cells up in. */
export interface CellTowerRepository {
  /**
   * Inserts the towers, replacing any row with the same (mcc, mnc, lac, cid), in one
   * transaction. The importer calls it once per chunk of the file.
   */
  upsertMany(towers: readonly CellTower[]): Promise<void>;
  /** The towers known among `keys`, in no particular order; unknown keys are left out. */
  findMany(keys: readonly CellKey[]): Promise<CellTower[]>;
}

/** Wi-Fi access point locations, learned from GPS-tagged reports. */
export interface WifiRepository {
  /**
   * Folds one observation into the access point's running average (creating it on the first).
   * Throws RangeError when the MAC is not one (see `normalizeMac`).
   */
  learn(observation: WifiObservation): Promise<void>;
  /**
   * Folds many observations, in order, in one transaction (one commit, all or nothing).
   * Throws RangeError, storing nothing, when any observation is invalid.
   */
  learnMany(observations: readonly WifiObservation[]): Promise<void>;
  /** The known access points among `macs` (any spelling `normalizeMac` accepts). */
  findMany(macs: readonly string[]): Promise<WifiAccessPointLocation[]>;
}
