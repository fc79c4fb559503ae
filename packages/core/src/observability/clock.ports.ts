/** The time, as a port: services never read the clock themselves, so tests can set it. */
export interface Clock {
  now(): Date;
}
