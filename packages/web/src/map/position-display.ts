/** Whether a fix is too old to be shown as where the child is now. */
export function isStale(recordedAt: string, nowMs: number, staleAfterSeconds: number): boolean {
  return nowMs - Date.parse(recordedAt) > staleAfterSeconds * 1000;
}

/** The zoom that shows an accuracy circle of this radius with some context around it. */
export function zoomForAccuracy(accuracyMeters: number | null): number {
  if (accuracyMeters === null) return 15;
  if (accuracyMeters <= 50) return 17;
  if (accuracyMeters <= 200) return 16;
  if (accuracyMeters <= 1_000) return 14;
  if (accuracyMeters <= 5_000) return 12;
  return 10;
}

/** The initial of a child's name for the map marker; '?' when there is none. */
export function initialOf(name: string): string {
  const segments = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(name.trim());
  const first = segments[Symbol.iterator]().next();
  return first.done === true ? '?' : first.value.segment.toLocaleUpperCase();
}
