/**
 * Checks a value read back from the database against the domain's list of names. A value
 * outside it means the row was written by a newer version or altered by hand.
 */
export function knownValue<T extends string>(
  value: string,
  isKnown: (value: string) => value is T,
  what: string,
): T {
  if (!isKnown(value)) throw new Error(`unknown ${what} ${JSON.stringify(value)} in the database`);
  return value;
}

/** Names stored as one comma-separated column (position flags, alarm kinds). */
export function joinNames(names: readonly string[]): string {
  return names.join(',');
}

export function splitNames<T extends string>(
  text: string,
  isKnown: (value: string) => value is T,
  what: string,
): T[] {
  if (text === '') return [];
  return text.split(',').map((name) => knownValue(name, isKnown, what));
}

/** A limit a caller passes straight into SQL. */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }
  return limit;
}
