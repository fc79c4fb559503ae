import type { WatchId } from '../watches/watch.model.ts';

/** A mobile cell the watch heard. The first of a report is the cell it is attached to. */
export interface ObservedCell {
  /** Mobile country code; undefined when the watch sent none. */
  readonly mcc?: number;
  /** Mobile network code (the SID on CDMA); undefined when the watch sent none. */
  readonly mnc?: number;
  /** Location area code; the tracking area code on LTE/NR, the NID on CDMA. */
  readonly lac: number;
  /** Cell identity; the base station id on CDMA. Up to 36 bits on NR. */
  readonly cid: number;
  /**
   * Received signal as the watch reports it: larger means stronger, but the unit depends on the
   * firmware (dBm on some, a positive level on others), so only differences within one report
   * are meaningful. Undefined when the watch left it empty.
   */
  readonly rssi?: number;
  /**
   * False when the watch said it does not know the operator (MCC/MNC sent as `FFFF`): the cell
   * cannot be looked up and is ignored for positioning.
   */
  readonly isOperatorKnown: boolean;
}

/** A Wi-Fi access point the watch heard. */
export interface ObservedWifi {
  /** BSSID in any spelling `normalizeMac` accepts; anything else is ignored. */
  readonly mac: string;
  /** Received signal in dBm (negative; larger is stronger). */
  readonly rssi: number;
}

/**
 * What a watch reported in one location report, free of any protocol detail: the gateway
 * builds it from the frame, the position and alarm services turn it into stored data.
 */
export interface LocationObservation {
  readonly watchId: WatchId;
  /** Device time of the report: untrusted, checked against `receivedAt` (see plausibility). */
  readonly recordedAt: Date;
  /** Server time the frame arrived. */
  readonly receivedAt: Date;
  /** True when the GNSS receiver had a fix; otherwise the coordinates below are 0 or stale. */
  readonly hasGnssFix: boolean;
  /** WGS84 decimal degrees, signed, exactly as sent; meaningless unless `hasGnssFix`. */
  readonly latitude: number;
  readonly longitude: number;
  readonly speedKmh: number | null;
  /** Clockwise from north, degrees. */
  readonly courseDegrees: number | null;
  readonly altitudeMeters: number | null;
  readonly satellites: number | null;
  /** Accuracy of the GNSS fix, metres, from newer firmware; undefined when not sent. */
  readonly accuracyMeters?: number;
  readonly cells: readonly ObservedCell[];
  readonly wifi: readonly ObservedWifi[];
  /**
   * Recorded while the watch was offline and sent late from its buffer: stored as history,
   * never taken as where the watch is now, and never a reason for a live alert.
   */
  readonly isBuffered: boolean;
  /** 0..100; null when absent from the report. */
  readonly batteryPercent: number | null;
  /** 0..100; null when absent from the report. */
  readonly gsmSignalPercent: number | null;
  /** Pedometer count for the day; null when absent. */
  readonly steps: number | null;
  /**
   * The status word split as `WatchStatus` keeps it: state bits 0..15 in `stateBits`, alarm
   * bits 16..22 (in place, not shifted) in `alarmBits`. Null when absent.
   */
  readonly stateBits: number | null;
  readonly alarmBits: number | null;
}
