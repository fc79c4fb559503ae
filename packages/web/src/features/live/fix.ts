import type { StreamMessage, StreamPosition } from '../../api/stream-messages.ts';
import { isStale } from '../../map/position-display.ts';

/** A position as the screens show it: from the REST API or from the live stream. */
export type Fix = StreamPosition;

/** A fix that can be drawn: it has coordinates. */
export type PlacedFix = Fix & { readonly latitude: number; readonly longitude: number };

export function isPlaced(fix: Fix): fix is PlacedFix {
  return fix.latitude !== null && fix.longitude !== null;
}

/**
 * The time a fix's age is measured from: the watch's clock, or the server's receive time when
 * the watch's clock is flagged as wrong (the server judges staleness the same way).
 */
export function fixTimeOf(fix: Fix): string {
  return fix.flags.includes('clockSkew') ? fix.receivedAt : fix.recordedAt;
}

/** Whether the fix is too old to be shown as where the child is now. */
export function isFixStale(fix: Fix, nowMs: number, staleAfterSeconds: number): boolean {
  return isStale(fixTimeOf(fix), nowMs, staleAfterSeconds);
}

/** The newer of two fixes by the watch's clock; `a` when they are equally new. */
export function newerFix<T extends Fix>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b.recordedAt) > Date.parse(a.recordedAt) ? b : a;
}

/**
 * The live position in a stream message for this watch, or null: buffered positions are
 * history reported late and never stand for where the child is now.
 */
export function livePositionFor(message: StreamMessage, watchId: string): Fix | null {
  if (message.type !== 'position' || message.watchId !== watchId) return null;
  return message.position.isBuffered ? null : message.position;
}

/** An accuracy radius rounded the way people say it: "±8 m", "±150 m", "±1.2 km". */
export function accuracyParts(accuracyMeters: number): {
  readonly value: number;
  readonly unit: 'm' | 'km';
} {
  if (accuracyMeters < 1_000) {
    const step = accuracyMeters < 100 ? 1 : 10;
    return { value: Math.max(1, Math.round(accuracyMeters / step) * step), unit: 'm' };
  }
  return { value: Math.round(accuracyMeters / 100) / 10, unit: 'km' };
}
