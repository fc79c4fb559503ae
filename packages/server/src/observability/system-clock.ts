import type { Clock } from '@kinwatch/core';

/** The Clock port on the machine's wall clock. */
export const systemClock: Clock = {
  now: () => new Date(),
};
