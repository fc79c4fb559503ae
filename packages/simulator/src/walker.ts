/**
 * The child wearing a simulated watch: where they are along their route at a moment, as the
 * watch's GPS sees it, and what the pedometer and battery say by then.
 */
import { positionAt, withGpsNoise, type Route, type RoutePosition } from './route.ts';
import type { Random } from './seeded-random.ts';

/** Steps per metre walked, for a child's stride of about 70 cm. */
const STEPS_PER_METRE = 1.4;
/** Battery percent used per hour of wear. */
const DRAIN_PERCENT_PER_HOUR = 4;

export interface WalkerOptions {
  readonly route: Route;
  readonly speedKmh: number;
  /** Seconds of walking already done at `startedAtMs`: the phase along the route. */
  readonly offsetSeconds: number;
  readonly random: Random;
}

export class Walker {
  readonly #options: WalkerOptions;
  #startedAtMs = 0;

  constructor(options: WalkerOptions) {
    this.#options = options;
  }

  /** Starts the walk at `nowMs` (clock milliseconds). */
  startAt(nowMs: number): void {
    this.#startedAtMs = nowMs;
  }

  /** The position at `atMs` with GPS noise (a new draw on each call). */
  positionAt(atMs: number): RoutePosition {
    return withGpsNoise(this.#exactAt(atMs), this.#options.random);
  }

  /** Pedometer steps and battery percent at `atMs`; the battery never reads below 5 %. */
  countersAt(atMs: number): { steps: number; batteryPercent: number } {
    const hours = Math.max(0, (atMs - this.#startedAtMs) / 3_600_000);
    return {
      steps: Math.round(this.#exactAt(atMs).walkedMeters * STEPS_PER_METRE),
      batteryPercent: Math.max(5, 100 - Math.floor(hours * DRAIN_PERCENT_PER_HOUR)),
    };
  }

  #exactAt(atMs: number): RoutePosition {
    const { route, speedKmh, offsetSeconds } = this.#options;
    const seconds = Math.max(0, (atMs - this.#startedAtMs) / 1000 + offsetSeconds);
    return positionAt(route, seconds, speedKmh);
  }
}
