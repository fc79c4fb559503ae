/**
 * The server's own identifier of a watch: random and opaque, never derived from the device id,
 * so that it can appear in URLs and logs without revealing which physical watch it is.
 */
export type WatchId = string;

/** The id a watch puts in every frame (`[3G*8800000015*...]`): its IMEI tail or serial. */
export type DeviceId = string;

const DEVICE_ID = /^[0-9]{5,20}$/;

/** True for 5 to 20 ASCII digits, the shapes of device id seen across firmware families. */
export function isDeviceId(value: string): boolean {
  return DEVICE_ID.test(value);
}

/** A provisioned watch: one that may store data and be bound to a family. */
export interface Watch {
  readonly id: WatchId;
  readonly deviceId: DeviceId;
  readonly provisionedAt: Date;
  /** The vendor tag of the last connection (`3G`, `SG`, `CS`...), echoed in replies. */
  readonly vendor: string | null;
  /** Null until the watch first connects. */
  readonly firstSeenAt: Date | null;
  readonly lastSeenAt: Date | null;
  /** Remote `host:port` of the last connection. */
  readonly lastAddress: string | null;
  /** As last reported by the watch (`RYIMEI`, `ICCID`); unverified. */
  readonly imei: string | null;
  readonly iccid: string | null;
  /** A second live connection with this device id was seen; see the security events. */
  readonly isPossibleClone: boolean;
}

/** A connection of a known watch, as the gateway saw it. */
export interface WatchConnection {
  readonly at: Date;
  readonly address: string;
  readonly vendor: string;
}

/** What the gateway needs to know of a provisioned watch when it connects. */
export type KnownWatch = Pick<Watch, 'id' | 'deviceId' | 'imei' | 'iccid'>;

/**
 * What happened to one watch since the last write: a change of status, its latest connection,
 * or both. The gateway buffers these and writes them in batches.
 */
export interface WatchActivity {
  readonly watchId: WatchId;
  readonly status?: WatchStatusUpdate;
  readonly connection?: WatchConnection;
}

/** Identity fields a watch reports about itself; absent fields are left unchanged. */
export interface WatchIdentityReport {
  readonly imei?: string;
  readonly iccid?: string;
}

/** An id that connected without being provisioned. Nothing else it sends is stored. */
export interface UnknownWatchSighting {
  readonly deviceId: DeviceId;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
  readonly lastAddress: string;
  /** How many sightings were recorded (the caller rate-limits, so not every frame). */
  readonly sightings: number;
}

/**
 * The latest device state. Null fields have never been reported.
 * Bit masks keep the positions of the protocol's status word: state bits 0..15 (0 low battery,
 * 3 on wrist, 14 power cut...), alarm bits 16..22 (16 SOS...).
 */
export interface WatchStatus {
  readonly batteryPercent: number | null;
  readonly gsmSignalPercent: number | null;
  readonly steps: number | null;
  readonly alarmBits: number | null;
  readonly stateBits: number | null;
  readonly isOnline: boolean;
  readonly updatedAt: Date;
}

/** A change of status: the fields given replace the stored ones, the others are kept. */
export type WatchStatusUpdate = Partial<Omit<WatchStatus, 'updatedAt'>> & {
  readonly updatedAt: Date;
};

export interface ProvisionResult {
  /** Device ids that became watches. */
  readonly created: number;
  /** Device ids that were already provisioned (input duplicates count once). */
  readonly existing: number;
}

export type SecurityEventKind =
  /** A second live connection used a device id that already had one. */
  | 'possibleClone'
  /** A watch reported an IMEI or ICCID different from the one it reported before. */
  | 'identityChanged';

export const SECURITY_EVENT_KINDS: readonly SecurityEventKind[] = [
  'possibleClone',
  'identityChanged',
];

export function isSecurityEventKind(value: string): value is SecurityEventKind {
  return (SECURITY_EVENT_KINDS as readonly string[]).includes(value);
}

export interface SecurityEvent {
  readonly id: number;
  /** Null when the device id was not provisioned. */
  readonly watchId: WatchId | null;
  readonly deviceId: DeviceId;
  readonly kind: SecurityEventKind;
  /** Addresses, previous and new values...: what an operator needs to investigate. */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
  readonly occurredAt: Date;
}

export type NewSecurityEvent = Omit<SecurityEvent, 'id'>;
