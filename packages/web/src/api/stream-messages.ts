import type { Alert, PositionSource } from './types.ts';

/**
 * The messages of the live stream (`GET /api/v1/stream`, docs/api.md "Live stream and alerts").
 * WebSocket messages are not in the OpenAPI document; these types follow the server's
 * `WatchEvent` and are checked against real messages by the browser tests.
 */
export type StreamMessage =
  | HelloMessage
  | PositionMessage
  | StatusMessage
  | AlarmReceivedMessage
  | AlertMessage
  | CommandProgressMessage;

export interface HelloMessage {
  readonly type: 'hello';
  readonly watchIds: readonly string[];
  readonly lastEventId: number;
}

export interface StreamPosition {
  readonly recordedAt: string;
  readonly receivedAt: string;
  readonly source: PositionSource;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly accuracyMeters: number | null;
  readonly speedKmh: number | null;
  readonly courseDegrees: number | null;
  readonly isBuffered: boolean;
  readonly flags: readonly string[];
}

export interface PositionMessage {
  readonly type: 'position';
  readonly watchId: string;
  readonly position: StreamPosition;
}

/** Only the fields that changed are present. */
export interface StatusMessage {
  readonly type: 'status';
  readonly watchId: string;
  readonly isOnline?: boolean;
  readonly batteryPercent?: number | null;
  readonly gsmSignalPercent?: number | null;
  readonly steps?: number | null;
  readonly at: string;
}

/**
 * An alarm that raises alerts (an SOS...) was read from the watch and is being stored: sent
 * before the commit, without ids; the `alert` messages of the stored alerts follow. Not replayed
 * on resume.
 */
export interface AlarmReceivedMessage {
  readonly type: 'alarmReceived';
  readonly watchId: string;
  readonly alertKinds: readonly string[];
  /** The device time: the `recordedAt` of the alerts that follow. */
  readonly recordedAt: string;
  /** The `raisedAt` of the alerts that follow. */
  readonly receivedAt: string;
  readonly location: Alert['location'];
}

export interface AlertMessage {
  readonly type: 'alert';
  readonly watchId: string;
  readonly eventId: number;
  readonly change: 'raised' | 'repeated' | 'acknowledged';
  readonly alert: Omit<Alert, 'watchId'>;
}

export interface CommandProgressMessage {
  readonly type: 'commandProgress';
  readonly commandId: number;
  readonly commandType: string;
  readonly status: string;
  readonly at: string;
}

const TYPES = new Set(['hello', 'position', 'status', 'alarmReceived', 'alert', 'commandProgress']);

/** Parses one text message; null for anything that is not a known message. */
export function parseStreamMessage(text: string): StreamMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === 'string' && TYPES.has(type) ? (value as StreamMessage) : null;
}
