import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEMO_ROUTES,
  demoRoute,
  positionAt,
  routeLengthMeters,
  withGpsNoise,
  type Route,
} from './route.ts';
import { createRandom } from './seeded-random.ts';

const ROUTE = demoRoute('school-run');
const SPEED_KMH = 3.6; // 1 m/s keeps the arithmetic readable

function metresBetween(a: { latitude: number; longitude: number }, b: typeof a): number {
  const cos = Math.cos((a.latitude * Math.PI) / 180);
  return Math.hypot(
    (a.latitude - b.latitude) * 111_195,
    (a.longitude - b.longitude) * 111_195 * cos,
  );
}

test('walks out, pauses, walks back and pauses, at the given speed', () => {
  const length = routeLengthMeters(ROUTE);
  const first = ROUTE.waypoints[0];
  const last = ROUTE.waypoints.at(-1);
  assert.ok(first !== undefined && last !== undefined);
  const start = positionAt(ROUTE, 0, SPEED_KMH);
  assert.ok(metresBetween(start, first) < 0.01 && start.isMoving);
  const arrived = positionAt(ROUTE, length + 1, SPEED_KMH);
  assert.ok(metresBetween(arrived, last) < 0.01);
  assert.equal(arrived.isMoving, false);
  assert.equal(arrived.speedKmh, 0);
  const homeward = positionAt(ROUTE, length + ROUTE.dwellSeconds + length / 2, SPEED_KMH);
  assert.ok(homeward.isMoving);
  const outward = positionAt(ROUTE, length / 2, SPEED_KMH);
  assert.ok(metresBetween(homeward, outward) < 0.5, 'the way back passes the same midpoint');
  // Walking back means heading the opposite way.
  assert.ok(Math.abs(((homeward.courseDegrees - outward.courseDegrees + 360) % 360) - 180) < 1);
  const nextDay = positionAt(ROUTE, 2 * length + 2 * ROUTE.dwellSeconds + 10, SPEED_KMH);
  assert.ok(metresBetween(nextDay, positionAt(ROUTE, 10, SPEED_KMH)) < 0.01);
  assert.ok(Math.abs(nextDay.walkedMeters - (2 * length + 10)) < 0.01);
});

test('moves at walking speed between consecutive seconds', () => {
  for (let t = 0; t < routeLengthMeters(ROUTE) - 1; t += 37) {
    const step = metresBetween(
      positionAt(ROUTE, t, SPEED_KMH),
      positionAt(ROUTE, t + 1, SPEED_KMH),
    );
    assert.ok(step <= 1.0001, `${step} m in one second at ${t} s`);
  }
});

test('GPS noise is a few metres, as configured', () => {
  const random = createRandom(42);
  const exact = positionAt(ROUTE, 100, SPEED_KMH);
  let sumSquares = 0;
  const samples = 2000;
  for (let i = 0; i < samples; i++)
    sumSquares += metresBetween(withGpsNoise(exact, random, 4), exact) ** 2;
  const rms = Math.sqrt(sumSquares / samples);
  // Two axes of 4 m each: the radial RMS is 4 * sqrt(2), about 5.7 m.
  assert.ok(rms > 5 && rms < 6.5, `rms ${rms}`);
});

test('a one-point route or a standing child never moves; demo routes are a walk long', () => {
  const home: Route = {
    name: 'home',
    dwellSeconds: 0,
    waypoints: [{ latitude: 50, longitude: 10 }],
  };
  assert.equal(positionAt(home, 1234, 4.5).isMoving, false);
  assert.equal(positionAt(ROUTE, 50, 0).isMoving, false);
  for (const route of DEMO_ROUTES) {
    const km = routeLengthMeters(route) / 1000;
    assert.ok(km > 0.5 && km < 3, `${route.name}: ${km} km`);
  }
  assert.throws(() => demoRoute('nowhere'), RangeError);
});
