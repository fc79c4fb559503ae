/**
 * A small seeded pseudo-random generator, so that a simulation run (phases, GPS noise, report
 * modes) can be repeated exactly from its seed. Not for anything secret.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Uniform integer in [min, max]. */
  integer(min: number, max: number): number;
  /** Normally distributed, mean 0, standard deviation 1. */
  gaussian(): number;
  /** A generator of its own, seeded from this one: lets each watch own a repeatable stream. */
  fork(): Random;
}

/** Mulberry32: 32 bits of state, good enough statistics for simulation, and fast. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const random: Random = {
    next,
    between: (min, max) => min + (max - min) * next(),
    integer: (min, max) => min + Math.floor((max - min + 1) * next()),
    gaussian: () => {
      // Box-Muller; 1 - next() keeps the logarithm away from zero.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      return radius * Math.cos(2 * Math.PI * next());
    },
    fork: () => createRandom(Math.floor(next() * 4_294_967_296)),
  };
  return random;
}
