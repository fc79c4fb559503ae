import assert from 'node:assert/strict';
import type { LocationBlock } from '../uplink/messages.ts';

/**
 * The one shared check that a decoded position is physically possible for a child's watch:
 * on Earth, slower than an airliner, a real percentage of battery and signal, a date this
 * century.
 */
export function assertPhysicallySane(location: LocationBlock): void {
  assert.ok(Math.abs(location.latitude) <= 90, `latitude ${location.latitude}`);
  assert.ok(Math.abs(location.longitude) <= 180, `longitude ${location.longitude}`);
  assert.ok(location.speedKmh >= 0 && location.speedKmh <= 1000, `speed ${location.speedKmh}`);
  assert.ok(
    location.courseDegrees >= 0 && location.courseDegrees <= 360,
    `course ${location.courseDegrees}`,
  );
  assert.ok(location.altitudeMeters >= -500 && location.altitudeMeters <= 10_000, 'altitude');
  assert.ok(location.satellites >= 0 && location.satellites <= 64, 'satellites');
  assert.ok(location.gsmSignalPercent >= 0 && location.gsmSignalPercent <= 100, 'gsm signal');
  assert.ok(location.batteryPercent >= 0 && location.batteryPercent <= 100, 'battery');
  assert.ok(location.steps >= 0 && location.tumbles >= 0, 'counters');
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
