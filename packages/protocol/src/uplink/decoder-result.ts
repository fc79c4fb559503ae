import type { UplinkMessage } from './messages.ts';

/** What one message decoder returns: a message, or why the frame is refused. */
export type MessageResult =
  | { readonly ok: true; readonly message: UplinkMessage }
  | { readonly ok: false; readonly reason: string };

export function accept(message: UplinkMessage): MessageResult {
  return { ok: true, message };
}

export function refuse(reason: string): MessageResult {
  return { ok: false, reason };
}

/** Empty fields become undefined. */
export function optional(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
