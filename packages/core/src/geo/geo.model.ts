/** Identifies a cell worldwide. For LTE/NR `lac` is the TAC and `cid` the cell identity. */
export interface CellKey {
  readonly mcc: number;
  readonly mnc: number;
  readonly lac: number;
  readonly cid: number;
}

/** A row of the cell-tower table (OpenCelliD's CSV layout, renamed). */
export interface CellTower extends CellKey {
  /** `GSM`, `UMTS`, `LTE`, `NR`, `CDMA`, as in the import file; null when unknown. */
  readonly radio: string | null;
  readonly latitude: number;
  readonly longitude: number;
  /** Estimated coverage radius. */
  readonly rangeMeters: number;
  /** How many measurements the estimate rests on. */
  readonly samples: number;
  readonly updatedAt: Date;
}

/** Where a Wi-Fi access point is, learned from this server's own GPS fixes. */
export interface WifiAccessPointLocation {
  /** Normalised, see `normalizeMac`. */
  readonly mac: string;
  /** Running averages over every observation. */
  readonly latitude: number;
  readonly longitude: number;
  readonly accuracyMeters: number;
  readonly samples: number;
  readonly updatedAt: Date;
}

export interface WifiObservation {
  readonly mac: string;
  readonly latitude: number;
  readonly longitude: number;
  /** Accuracy of the GPS fix the access point was heard with. */
  readonly accuracyMeters: number;
  readonly at: Date;
}

/**
 * `aa:bb:cc:dd:ee:ff`, lower-case, each octet two digits; undefined when not a MAC. Watches
 * send octets unpadded on some firmware (`1c:fa:68:d:f:6a`), so the same access point arrives
 * spelt differently.
 */
export function normalizeMac(raw: string): string | undefined {
  const octets = raw.trim().toLowerCase().split(/[:-]/);
  if (octets.length !== 6) return undefined;
  if (!octets.every((octet) => /^[0-9a-f]{1,2}$/.test(octet))) return undefined;
  return octets.map((octet) => octet.padStart(2, '0')).join(':');
}

export function cellKeyText(key: CellKey): string {
  return `${key.mcc}-${key.mnc}-${key.lac}-${key.cid}`;
}
