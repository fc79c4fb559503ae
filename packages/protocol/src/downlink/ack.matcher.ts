import type { CommandAck } from '../uplink/messages.ts';
import type { CommandName } from '../keywords.ts';
import type { Command } from './command.model.ts';

/** A command written to (or queued for) one watch and not yet acknowledged. */
export interface PendingCommand {
  /** The caller's id for the command, returned when an acknowledgement matches it. */
  readonly id: string;
  readonly command: Command;
}

/**
 * How long to wait for an acknowledgement before giving up on it: §4.5 of the protocol
 * reference suggests 30-60 s. Some firmware never acknowledges commands it does not support
 * (Traccar issue #2285), so a command that times out is "unconfirmed", not "failed": it may
 * well have been applied.
 */
export const ACK_TIMEOUT_SECONDS = 60;

/** Commands whose firmware sends no acknowledgement at all (V3.2: "the watch does not reply"). */
const UNACKNOWLEDGED: ReadonlySet<CommandName> = new Set<CommandName>(['removeFriends']);

/** Acknowledgements that also answer another command: `DPHBX` is answered with `PHBX,<status>`. */
const ALSO_ANSWERS: Partial<Record<CommandName, readonly CommandName[]>> = {
  setPhonebookEntry: ['deletePhonebookEntry'],
};

/**
 * Whether the watch acknowledges this command. When it does not (`PPR`), the gateway marks the
 * command delivered once it is written to the socket.
 */
export function expectsAck(command: Command): boolean {
  return !UNACKNOWLEDGED.has(command.type);
}

/**
 * Seconds to wait for this command's acknowledgement (`ACK_TIMEOUT_SECONDS`), or undefined
 * when none will come.
 */
export function ackTimeoutSeconds(command: Command): number | undefined {
  return expectsAck(command) ? ACK_TIMEOUT_SECONDS : undefined;
}

function answers(ack: CommandAck, command: Command): boolean {
  if (ack.command === 'covertListening' || !expectsAck(command)) return false;
  return (
    command.type === ack.command || (ALSO_ANSWERS[ack.command]?.includes(command.type) ?? false)
  );
}

/**
 * The id of the pending command an acknowledgement answers: the oldest one of the matching
 * kind. `pending` is one watch's unanswered commands, oldest first. Matching is on the kind
 * only, as §4.5 advises: a bare keyword, a result (`TK,1`, `PHBX,0`) and a full echo
 * (`SOS1,123456789`) all match the oldest command of that kind, whatever its parameters; the
 * caller reads `isSuccess` for the outcome. Returns undefined when nothing matches, and always
 * for `covertListening` (someone else commanded the watch) and for commands that are never
 * acknowledged.
 */
export function matchAck(pending: readonly PendingCommand[], ack: CommandAck): string | undefined {
  return pending.find((p) => answers(ack, p.command))?.id;
}
