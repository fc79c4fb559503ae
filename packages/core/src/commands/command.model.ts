import type { JsonObject, JsonValue } from '../json/json-value.ts';
import { isSameJson } from '../json/json-value.ts';
import type { WatchId } from '../watches/watch.model.ts';

/**
 * queued -> sent -> acknowledged: the watch answered with the command's keyword.
 * A sent command is sent again on reconnect until it settles:
 * failed (the watch refused it or it could not be encoded), expired (still unsettled at
 * `expiresAt`), unconfirmed (the firmware family never acknowledges this command).
 */
export type CommandStatus =
  'queued' | 'sent' | 'acknowledged' | 'failed' | 'expired' | 'unconfirmed';

export const COMMAND_STATUSES: readonly CommandStatus[] = [
  'queued',
  'sent',
  'acknowledged',
  'failed',
  'expired',
  'unconfirmed',
];

export function isCommandStatus(value: string): value is CommandStatus {
  return (COMMAND_STATUSES as readonly string[]).includes(value);
}

/** Statuses a command leaves only by settling. */
export const PENDING_STATUSES: readonly CommandStatus[] = ['queued', 'sent'];

export function isSettled(status: CommandStatus): boolean {
  return !PENDING_STATUSES.includes(status);
}

/** True when a command in `from` may move to `to`. Settled commands never change again. */
export function canTransition(from: CommandStatus, to: CommandStatus): boolean {
  if (isSettled(from)) return false;
  return to !== 'queued';
}

export interface QueuedCommand {
  /** Increases with each command enqueued. */
  readonly id: number;
  readonly watchId: WatchId;
  /** The descriptive command name (`setUploadInterval`, `locateNow`...), not the keyword. */
  readonly type: string;
  readonly payload: JsonObject;
  readonly status: CommandStatus;
  readonly createdAt: Date;
  /** When it was last written to the watch. */
  readonly sentAt: Date | null;
  readonly settledAt: Date | null;
  /** Null: it waits for the watch however long that takes. */
  readonly expiresAt: Date | null;
  /** How many times it was written to the watch. */
  readonly attempts: number;
}

export interface NewCommand {
  readonly watchId: WatchId;
  readonly type: string;
  readonly payload: JsonObject;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
}

/** One side of a device twin setting. */
export interface TwinValue {
  readonly value: JsonValue;
  readonly at: Date;
}

/**
 * A setting of the device twin: what guardians asked for (`desired`) and what the watch last
 * acknowledged (`reported`). Either side is null until first set.
 */
export interface TwinEntry {
  readonly key: string;
  readonly desired: TwinValue | null;
  readonly reported: TwinValue | null;
}

/** True when the watch has nothing pending for this setting. */
export function isTwinInSync(entry: TwinEntry): boolean {
  if (entry.desired === null) return true;
  if (entry.reported === null) return false;
  return isSameJson(entry.desired.value, entry.reported.value);
}
