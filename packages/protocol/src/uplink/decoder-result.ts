import type { UplinkMessage } from './messages.ts';

/**
 * What one message decoder returns: the message, or why the frame is refused. A bare string for
 * the refusal rather than an `{ ok, ... }` wrapper: every frame passes through here, and one
 * wrapper less per frame shows in the throughput of location reports.
 */
export type MessageResult = UplinkMessage | string;

export function accept(message: UplinkMessage): MessageResult {
  return message;
}

export function refuse(reason: string): MessageResult {
  return reason;
}

/** Empty fields become undefined. */
export function optional(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
