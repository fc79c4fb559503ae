import assert from 'node:assert/strict';
import { LOCATION_LIMITS } from '../uplink/location-block.ts';
import type { LocationBlock } from '../uplink/messages.ts';

/**
 * The one shared check that a decoded position is physically possible for a child's watch:
 * on Earth, every reading within the decoder's physical limits, a date this century.
 */
export function assertPhysicallySane(location: LocationBlock): void {
  assert.ok(Math.abs(location.latitude) <= 90, `latitude ${location.latitude}`);
  assert.ok(Math.abs(location.longitude) <= 180, `longitude ${location.longitude}`);
  for (const field of Object.keys(LOCATION_LIMITS) as (keyof typeof LOCATION_LIMITS)[]) {
    const [min, max] = LOCATION_LIMITS[field];
    const value = location[field];
    assert.ok(value >= min && value <= max, `${field} ${value} outside ${min}..${max}`);
  }
  const year = location.recordedAt.getUTCFullYear();
  assert.ok(year >= 2000 && year < 2100, `recorded in ${year}`);
  if (location.accuracyMeters !== undefined) assert.ok(location.accuracyMeters > 0);
  for (const cell of location.network.cells) {
    assert.ok(Number.isSafeInteger(cell.lac) && cell.lac >= 0, 'lac');
    assert.ok(Number.isSafeInteger(cell.cid) && cell.cid >= 0, 'cid');
  }
  for (const ap of location.network.wifi) {
    assert.match(ap.mac, /^([0-9a-f]{1,2}:){5}[0-9a-f]{1,2}$/);
    assert.ok(ap.rssi < 0 && ap.rssi > -130, `wifi rssi ${ap.rssi}`);
  }
}
