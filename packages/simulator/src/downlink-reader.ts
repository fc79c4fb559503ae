/**
 * Reads what the server sends a watch: replies to the watch's own frames (`LK`, `AL`, the
 * `TKQ` echo, `TK,1`...) and commands, which the protocol's downlink decoder turns into typed
 * commands (`{ type: 'showText', text }`). Keywords are resolved through the protocol's keyword
 * table, so the simulator speaks of `locateNow` and `showText`, never of `CR` and `MESSAGE`.
 */
import { decodeCommand, lookupKeyword, openEnvelope, type Command } from '@kinwatch/protocol';

export interface WatchCommand {
  /** The command as the protocol's downlink decoder reads it. */
  readonly command: Command;
  /** The keyword as received. */
  readonly keyword: string;
  /** Parameters after the keyword as sent (what a full-echo ack returns); empty for voice. */
  readonly params: readonly string[];
}

/** A reply as the watch reports it in its `reply` event. */
export interface WatchReply {
  /** What the reply answers: `linkKeepAlive`, `alarmReport`, `voiceQuery`, `voiceMessage`... */
  readonly name: string;
  readonly keyword: string;
  readonly values: readonly string[];
  /** For `linkKeepAlive`: milliseconds from the intended send time of the `LK`. */
  readonly latencyMs: number | undefined;
}

export type Downlink =
  /** An answer to one of the watch's frames; `name` is what it answers (`linkKeepAlive`...). */
  | {
      readonly kind: 'reply';
      readonly name: string;
      readonly keyword: string;
      readonly values: readonly string[];
    }
  | { readonly kind: 'command'; readonly command: WatchCommand }
  /** What firmware would ignore: an unknown keyword, a malformed or invalid command. */
  | { readonly kind: 'ignored'; readonly reason: string };

function isResultByte(rest: Buffer | undefined): boolean {
  return rest?.length === 1 && (rest[0] === 0x30 || rest[0] === 0x31);
}

function command(frame: Buffer, keyword: string, params: readonly string[]): Downlink {
  const decoded = decodeCommand(frame);
  if (!decoded.ok) return { kind: 'ignored', reason: decoded.reason };
  const isVoice =
    decoded.command.type === 'voiceMessage' || decoded.command.type === 'voiceMessage2';
  return {
    kind: 'command',
    command: { command: decoded.command, keyword, params: isVoice ? [] : params },
  };
}

/** Classifies one whole frame as the splitter yields it. Never throws. */
export function readDownlink(frame: Buffer): Downlink {
  const opened = openEnvelope(frame);
  if (!opened.ok) return { kind: 'ignored', reason: opened.reason };
  const content = opened.content;
  const commaAt = content.indexOf(0x2c);
  const keyword = content.toString('latin1', 0, commaAt === -1 ? content.length : commaAt);
  const rest = commaAt === -1 ? undefined : content.subarray(commaAt + 1);
  const values = rest === undefined ? [] : rest.toString('latin1').split(',');
  const entry = lookupKeyword(keyword);
  switch (entry?.direction) {
    case 'up':
    case 'reply':
      return { kind: 'reply', name: entry.name, keyword, values };
    case 'both':
      // `TK,1` answers the watch's own voice message; `TK,<audio>` is a voice message for it.
      if (isResultByte(rest)) return { kind: 'reply', name: entry.name, keyword, values };
      return command(frame, keyword, values);
    case 'down':
      return command(frame, keyword, values);
    case 'forbidden':
      return { kind: 'ignored', reason: `${keyword} is never acted on by the simulator` };
    case undefined:
      return { kind: 'ignored', reason: `unknown keyword ${keyword}` };
  }
}
