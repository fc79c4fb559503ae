/** Dates are stored as integer epoch milliseconds on both databases. */
export function toMillis(date: Date): number {
  const millis = date.getTime();
  if (!Number.isFinite(millis)) throw new RangeError('cannot store an invalid Date');
  return millis;
}

export function fromMillis(millis: number): Date {
  return new Date(millis);
}

export function fromNullableMillis(millis: number | null): Date | null {
  return millis === null ? null : new Date(millis);
}
