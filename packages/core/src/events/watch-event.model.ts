import type { AlarmKind } from '../positions/alarm.model.ts';
import type { Position } from '../positions/position.model.ts';
import type { WatchStatusUpdate } from '../watches/watch.model.ts';

/**
 * A watch's events: plain JSON (times as ISO strings), so that the same messages can cross a
 * NATS bus between processes. Each type but positions travels on `watch.<watchId>.event.<type>`;
 * positions travel in batches (`PositionBatchEvent`), packed. The live stream sends each to its
 * clients as it is, positions unpacked.
 */
export type WatchEvent =
  | PositionEvent
  | AlarmReceivedEvent
  | AlarmEvent
  | StatusEvent
  | AlertChangeEvent
  | CommandProgressMessage;

/** A position was stored. */
export interface PositionEvent {
  readonly type: 'position';
  readonly watchId: string;
  /** Zone-only mode: not stored, for zone evaluation only, never shown or streamed. */
  readonly zoneOnly?: boolean;
  readonly position: {
    readonly recordedAt: string;
    readonly receivedAt: string;
    readonly source: string;
    readonly latitude: number | null;
    readonly longitude: number | null;
    readonly accuracyMeters: number | null;
    readonly speedKmh: number | null;
    readonly courseDegrees: number | null;
    readonly isBuffered: boolean;
    readonly flags: readonly string[];
  };
}

/**
 * The positions stored by one commit (and zone-only positions announced with them), of any
 * watches, each watch's in the order they were stored. Travels on `watches.positions`.
 */
export interface PositionBatchEvent {
  readonly type: 'positionBatch';
  readonly positions: readonly PackedPosition[];
}

/**
 * A position of a `PositionBatchEvent`, packed as an array (`packPosition`): at thousands of
 * positions a second, a batch so packed is about half the JSON to write and to read as one of
 * `PositionEvent` objects, and its times are epoch milliseconds, turned into ISO text only for a
 * position that is shown (`unpackPosition`). `isBuffered` and `zoneOnly` are 1 or 0.
 */
export type PackedPosition = readonly [
  watchId: string,
  recordedAtMs: number,
  receivedAtMs: number,
  source: string,
  latitude: number | null,
  longitude: number | null,
  accuracyMeters: number | null,
  speedKmh: number | null,
  courseDegrees: number | null,
  isBuffered: 0 | 1,
  flags: readonly string[],
  zoneOnly: 0 | 1,
];

const PACKED_FIELDS = 12;

/** The packed form of a stored (or zone-only) position, for a `PositionBatchEvent`. */
export function packPosition(position: Position, isZoneOnly = false): PackedPosition {
  return [
    position.watchId,
    position.recordedAt.getTime(),
    position.receivedAt.getTime(),
    position.source,
    position.latitude,
    position.longitude,
    position.accuracyMeters,
    position.speedKmh,
    position.courseDegrees,
    position.isBuffered ? 1 : 0,
    position.flags,
    isZoneOnly ? 1 : 0,
  ];
}

/** The watch of a packed position. */
export function packedWatchId(packed: PackedPosition): string {
  return packed[0];
}

/** Whether a packed position is buffered history. */
export function isPackedBuffered(packed: PackedPosition): boolean {
  return packed[9] === 1;
}

/** The `PositionEvent` a packed position stands for, as a plain object (what streams send). */
export function unpackPosition(packed: PackedPosition): PositionEvent {
  const event: PositionEvent = {
    type: 'position',
    watchId: packed[0],
    position: positionOfPacked(packed),
  };
  return packed[11] === 1 ? { ...event, zoneOnly: true } : event;
}

/**
 * The same event, whose `position` (with its ISO times) is made only when it is read: for a
 * consumer that looks at the watch first and passes over most positions.
 */
export function lazyPositionEvent(packed: PackedPosition): PositionEvent {
  return new LazyPositionEvent(packed);
}

class LazyPositionEvent implements PositionEvent {
  readonly type = 'position';
  readonly watchId: string;
  readonly zoneOnly?: boolean;
  readonly #packed: PackedPosition;
  #position: PositionEvent['position'] | undefined;

  constructor(packed: PackedPosition) {
    this.watchId = packed[0];
    if (packed[11] === 1) this.zoneOnly = true;
    this.#packed = packed;
  }

  get position(): PositionEvent['position'] {
    this.#position ??= positionOfPacked(this.#packed);
    return this.#position;
  }
}

function positionOfPacked(packed: PackedPosition): PositionEvent['position'] {
  return {
    recordedAt: new Date(packed[1]).toISOString(),
    receivedAt: new Date(packed[2]).toISOString(),
    source: packed[3],
    latitude: packed[4],
    longitude: packed[5],
    accuracyMeters: packed[6],
    speedKmh: packed[7],
    courseDegrees: packed[8],
    isBuffered: packed[9] === 1,
    flags: packed[10],
  };
}

/**
 * A live alarm that raises alerts (an SOS, a fall...) was read from the watch and is being
 * stored: announced before the commit, so that guardians hear of it without waiting for the
 * disk. The `alert` events of the stored alerts follow once it is committed, with their ids and
 * event ids; this one has neither, and is not replayed to a resuming stream (the stored alerts
 * are). Never sent for buffered history.
 */
export interface AlarmReceivedEvent {
  readonly type: 'alarmReceived';
  readonly watchId: string;
  /** The alert kinds the alarm raises, e.g. `['sos']`. */
  readonly alertKinds: readonly string[];
  /** When the watch says it happened: the `recordedAt` of the alerts that follow. */
  readonly recordedAt: string;
  /** When the server read it: the `raisedAt` of the alerts that follow. */
  readonly receivedAt: string;
  readonly location: AlarmEvent['location'];
}

/**
 * An alarm the watch sent was stored; `isLive` false for buffered history. Its alerts were
 * stored with it and announced before it (`alertIds`, none for buffered history).
 */
export interface AlarmEvent {
  readonly type: 'alarm';
  readonly watchId: string;
  readonly alarmId: number;
  readonly kinds: readonly AlarmKind[];
  readonly isLive: boolean;
  readonly alertIds: readonly number[];
  readonly recordedAt: string;
  readonly location: {
    readonly latitude: number;
    readonly longitude: number;
    readonly accuracyMeters: number | null;
    readonly source: string;
  } | null;
}

/** The watch's status changed (online, battery, signal, steps). */
export interface StatusEvent {
  readonly type: 'status';
  readonly watchId: string;
  readonly isOnline?: boolean;
  readonly batteryPercent?: number | null;
  readonly gsmSignalPercent?: number | null;
  readonly steps?: number | null;
  readonly at: string;
}

/** An alert was raised, sent again, or acknowledged; `eventId` orders these for resuming. */
export interface AlertChangeEvent {
  readonly type: 'alert';
  readonly watchId: string;
  readonly eventId: number;
  readonly change: 'raised' | 'repeated' | 'acknowledged';
  readonly alert: AlertJson;
}

export interface AlertJson {
  readonly id: number;
  readonly kind: string;
  readonly raisedAt: string;
  readonly recordedAt: string | null;
  readonly location: AlarmEvent['location'];
  readonly details: Readonly<Record<string, string | number | null>>;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
}

/** A command's delivery moved on (sent, acknowledged, failed, expired...). */
export interface CommandProgressMessage {
  readonly type: 'commandProgress';
  readonly commandId: number;
  readonly commandType: string;
  readonly status: string;
  readonly at: string;
}

/** The status event of a stored status change (only the fields that changed). */
export function statusEvent(watchId: string, update: WatchStatusUpdate): StatusEvent {
  return {
    type: 'status',
    watchId,
    ...(update.isOnline === undefined ? {} : { isOnline: update.isOnline }),
    ...(update.batteryPercent === undefined ? {} : { batteryPercent: update.batteryPercent }),
    ...(update.gsmSignalPercent === undefined ? {} : { gsmSignalPercent: update.gsmSignalPercent }),
    ...(update.steps === undefined ? {} : { steps: update.steps }),
    at: update.updatedAt.toISOString(),
  };
}

/** True for a message that has the shape of a WatchEvent type this build knows. */
export function isWatchEvent(message: unknown): message is WatchEvent {
  const type = (message as { type?: unknown } | null)?.type;
  return (
    type === 'position' ||
    type === 'alarmReceived' ||
    type === 'alarm' ||
    type === 'status' ||
    type === 'alert' ||
    type === 'commandProgress'
  );
}

/** True for a message that has the shape of a PositionBatchEvent. */
export function isPositionBatchEvent(message: unknown): message is PositionBatchEvent {
  const candidate = message as { type?: unknown; positions?: unknown } | null;
  if (candidate?.type !== 'positionBatch' || !Array.isArray(candidate.positions)) return false;
  for (const packed of candidate.positions as unknown[]) {
    if (
      !Array.isArray(packed) ||
      packed.length !== PACKED_FIELDS ||
      typeof packed[0] !== 'string' ||
      typeof packed[1] !== 'number' ||
      typeof packed[2] !== 'number' ||
      !Array.isArray(packed[10])
    ) {
      return false;
    }
  }
  return true;
}
