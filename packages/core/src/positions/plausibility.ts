import { distanceMeters, type LatLon } from '../geo/haversine.ts';
import type { Position, PositionFlag } from './position.model.ts';

/** Faster than any child travels on land, including high-speed trains. */
export const MAX_PLAUSIBLE_SPEED_KMH = 300;
/** Device time this far from the receive time, either way, is a wrong clock. */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;
/**
 * Device time this far ahead of the receive time is a wrong clock: more than network delay and
 * the minute or two a watch's clock drifts between network time syncs.
 */
export const MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000;
/**
 * Buffered history may be legitimately old (the watch was offline for days), so for it only
 * device times older than this count as a wrong clock.
 */
export const MAX_BUFFERED_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Assumed accuracy of a fix that states none, metres: a typical watch GNSS fix outdoors. */
export const ASSUMED_ACCURACY_METERS = 50;
/** Shortest time between fixes used for speed, so that two fixes in one second do not divide by 0. */
const MIN_ELAPSED_MS = 1000;

/** The times of a report, as `isClockSkewed` needs them. */
export interface ReportTimes {
  readonly recordedAt: Date;
  readonly receivedAt: Date;
  readonly isBuffered: boolean;
}

/**
 * True when the device time cannot be right: ahead of the receive time by more than
 * `MAX_CLOCK_AHEAD_MS`, or behind it by more than `MAX_CLOCK_SKEW_MS` (`MAX_BUFFERED_AGE_MS`
 * for buffered history). Watches whose clock reset report dates like 2000-01-01 or 1980.
 */
export function isClockSkewed(times: ReportTimes): boolean {
  const aheadMs = times.recordedAt.getTime() - times.receivedAt.getTime();
  const maxBehindMs = times.isBuffered ? MAX_BUFFERED_AGE_MS : MAX_CLOCK_SKEW_MS;
  return !Number.isFinite(aheadMs) || aheadMs > MAX_CLOCK_AHEAD_MS || -aheadMs > maxBehindMs;
}

/**
 * The time to show and to order by: the device time, unless it was flagged `clockSkew`, then
 * the receive time.
 */
export function displayTime(position: Pick<Position, 'recordedAt' | 'receivedAt' | 'flags'>): Date {
  const flags: readonly PositionFlag[] = position.flags;
  return flags.includes('clockSkew') ? position.receivedAt : position.recordedAt;
}

/** A located point in time, for the jump check. */
export interface TimedFix extends LatLon {
  /** Null when unknown; `ASSUMED_ACCURACY_METERS` is used then. */
  readonly accuracyMeters: number | null;
  readonly at: Date;
}

/**
 * The slowest speed, km/h, that explains moving from one fix to the other: the distance left
 * after both accuracy radii are taken off, over the time between them (at least one second;
 * the order of the fixes does not matter).
 */
export function impliedSpeedKmh(from: TimedFix, to: TimedFix): number {
  const slackMeters = radius(from) + radius(to);
  const meters = Math.max(0, distanceMeters(from, to) - slackMeters);
  const elapsedMs = Math.max(Math.abs(to.at.getTime() - from.at.getTime()), MIN_ELAPSED_MS);
  return (meters / (elapsedMs / 1000)) * 3.6;
}

/** True when no plausible speed (`MAX_PLAUSIBLE_SPEED_KMH`) leads from one fix to the other. */
export function isImpossibleJump(from: TimedFix, to: TimedFix): boolean {
  return impliedSpeedKmh(from, to) > MAX_PLAUSIBLE_SPEED_KMH;
}

function radius(fix: TimedFix): number {
  const accuracy = fix.accuracyMeters;
  return accuracy !== null && Number.isFinite(accuracy) && accuracy >= 0
    ? accuracy
    : ASSUMED_ACCURACY_METERS;
}
