import type {
  DeviceId,
  KnownWatch,
  NewSecurityEvent,
  ProvisionResult,
  SecurityEvent,
  UnknownWatchSighting,
  Watch,
  WatchActivity,
  WatchConnection,
  WatchId,
  WatchIdentityReport,
  WatchStatus,
  WatchStatusUpdate,
} from './watch.model.ts';

/** The registry of watches: provisioned ones, unknown ids knocking, status, security events. */
export interface WatchRepository {
  /**
   * Makes watches of these device ids; ids already provisioned are left as they are, so running
   * it twice is harmless. The sighting of an id that was unknown moves onto the new watch.
   * Throws RangeError, storing nothing, when any id is not a device id (see `isDeviceId`).
   */
  provision(deviceIds: readonly DeviceId[], at: Date): Promise<ProvisionResult>;

  findById(watchId: WatchId): Promise<Watch | undefined>;
  findByDeviceId(deviceId: DeviceId): Promise<Watch | undefined>;
  /** Every provisioned watch, in no particular order: what a gateway keeps in memory. */
  listKnown(): Promise<KnownWatch[]>;

  /** Records a connection of a known watch: last seen, address, vendor; first seen once. */
  recordConnection(watchId: WatchId, connection: WatchConnection): Promise<void>;
  /** Stores the IMEI/ICCID the watch reported. Fields absent from the report are kept. */
  recordIdentity(watchId: WatchId, report: WatchIdentityReport): Promise<void>;
  setPossibleClone(watchId: WatchId, isPossibleClone: boolean): Promise<void>;

  /**
   * Counts a sighting of an unprovisioned id: created on the first, then last seen, address
   * and count updated. The caller rate-limits.
   */
  recordSighting(deviceId: DeviceId, address: string, at: Date): Promise<void>;
  /** Most recently seen first. */
  listUnknownSightings(limit: number): Promise<UnknownWatchSighting[]>;

  /** Merges the given fields into the watch's status (see `WatchStatusUpdate`). */
  updateStatus(watchId: WatchId, update: WatchStatusUpdate): Promise<void>;
  /**
   * Writes the status changes and connections of many watches in one transaction, all or
   * nothing: each status as `updateStatus` would, each connection as `recordConnection` would.
   * A watch listed more than once has its entries merged in order (later fields win). Throws,
   * writing nothing, when any watch does not exist.
   */
  recordActivity(batch: readonly WatchActivity[]): Promise<void>;
  getStatus(watchId: WatchId): Promise<WatchStatus | undefined>;

  recordSecurityEvent(event: NewSecurityEvent): Promise<SecurityEvent>;
  /** Newest first; filtered by watch or device id when given. */
  listSecurityEvents(query: {
    readonly watchId?: WatchId;
    readonly deviceId?: DeviceId;
    readonly limit: number;
  }): Promise<SecurityEvent[]>;

  /**
   * Deletes the watch with everything stored about it (status, positions, alarms, commands,
   * twin, its security events). Its data key is destroyed first, so sealed data that outlives
   * the deletion (free pages, a row a concurrent write adds) cannot be read. A backup taken
   * before still holds the wrapped key: see docs/adr/0004-encryption-at-rest.md. False when
   * there was no such watch (the key is destroyed anyway).
   */
  remove(watchId: WatchId): Promise<boolean>;
}
