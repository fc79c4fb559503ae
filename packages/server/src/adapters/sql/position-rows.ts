import {
  isPositionFlag,
  isPositionSource,
  type Position,
  type PositionKey,
  type WatchId,
} from '@kinwatch/core';
import type { Db } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';
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

/**
 * A watch's positions in [from, to) after `after`, in (recorded_at, id) order: the keyset query
 * of a history page, by the (watch_id, recorded_at) index. The caller selects the columns.
 */
export function positionPageQuery(
  db: Db,
  watchId: WatchId,
  from: Date,
  to: Date,
  after: PositionKey | undefined,
) {
  let query = db
    .selectFrom('positions')
    .where('watch_id', '=', watchId)
    .where('recorded_at', '>=', toMillis(from))
    .where('recorded_at', '<', toMillis(to));
  if (after !== undefined) {
    const afterMs = toMillis(after.recordedAt);
    query = query.where((eb) =>
      eb.or([
        eb('recorded_at', '>', afterMs),
        eb.and([eb('recorded_at', '=', afterMs), eb('id', '>', after.sequence)]),
      ]),
    );
  }
  return query.orderBy('recorded_at', 'asc').orderBy('id', 'asc');
}
