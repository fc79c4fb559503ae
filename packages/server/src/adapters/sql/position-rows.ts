import { isPositionFlag, isPositionSource, type Position, type WatchId } from '@kinwatch/core';
import { fromMillis } from './epoch-millis.ts';
import type { SealedPosition } from './position-field-opener.ts';
import type { SensitivePositionFields } from './position-fields.ts';
import { knownValue, splitNames } from './stored-value.ts';

/** The columns of `positions` a read needs (the watch id is the caller's). */
export const POSITION_READ_COLUMNS = [
  'id',
  'recorded_at',
  'received_at',
  'source',
  'is_buffered',
  'flags',
  'sealed',
] as const;

/** A row of `positions` as a read selects it. */
export interface StoredPosition extends SealedPosition {
  readonly received_at: number;
  readonly source: string;
  readonly is_buffered: number;
  readonly flags: string;
}

/** The position a stored row and its opened fields stand for. */
export function positionOfRow(
  watchId: WatchId,
  row: StoredPosition,
  fields: SensitivePositionFields,
): Position {
  return {
    watchId,
    recordedAt: fromMillis(row.recorded_at),
    receivedAt: fromMillis(row.received_at),
    source: knownValue(row.source, isPositionSource, 'position source'),
    latitude: fields.latitude,
    longitude: fields.longitude,
    accuracyMeters: fields.accuracyMeters,
    speedKmh: fields.speedKmh,
    courseDegrees: fields.courseDegrees,
    altitudeMeters: fields.altitudeMeters,
    isBuffered: row.is_buffered === 1,
    flags: splitNames(row.flags, isPositionFlag, 'position flag'),
  };
}
