import type { LocationObservation, ObservedCell } from '@kinwatch/core';
import type { LocationBlock } from '@kinwatch/protocol';

const STATE_MASK = 0xffff;
const ALARM_MASK = 0x7f0000;

/**
 * Translates the protocol's location block into the domain's observation: the one place where
 * the wire format meets the domain, so nothing in core knows about status words or `FFFF`.
 */
export function toObservation(
  watchId: string,
  block: LocationBlock,
  isBuffered: boolean,
  receivedAt: Date,
): LocationObservation {
  const word = Number.parseInt(block.status, 16);
  const network = block.network;
  const cells = network.cells.map((cell): ObservedCell => {
    const observed: { -readonly [K in keyof ObservedCell]: ObservedCell[K] } = {
      lac: cell.lac,
      cid: cell.cid,
      isOperatorKnown: network.isOperatorKnown,
    };
    if (network.mcc !== undefined) observed.mcc = network.mcc;
    if (network.mnc !== undefined) observed.mnc = network.mnc;
    if (cell.rssi !== undefined) observed.rssi = cell.rssi;
    return observed;
  });
  // One object literal of one shape, whether the watch reported an accuracy or not: a copy
  // with the field added would cost as much as building the observation.
  return {
    watchId,
    recordedAt: block.recordedAt,
    receivedAt,
    hasGnssFix: block.hasGnssFix,
    latitude: block.latitude,
    longitude: block.longitude,
    speedKmh: block.speedKmh,
    courseDegrees: block.courseDegrees,
    altitudeMeters: block.altitudeMeters,
    satellites: block.satellites,
    cells,
    wifi: network.wifi.map((ap) => ({ mac: ap.mac, rssi: ap.rssi })),
    isBuffered,
    batteryPercent: block.batteryPercent,
    gsmSignalPercent: block.gsmSignalPercent,
    steps: block.steps,
    stateBits: Number.isNaN(word) ? null : word & STATE_MASK,
    alarmBits: Number.isNaN(word) ? null : word & ALARM_MASK,
    accuracyMeters: block.accuracyMeters,
  };
}
