/**
 * How a watch acknowledges a command (reference §4.5): most firmware sends the bare keyword
 * (`[3G*ID*0006*UPLOAD]`); voice is answered `TK,1`; some firmware echoes the whole command
 * (`SOS1,<number>`, Traccar issue #2285) and some answers nothing at all.
 */
import type { UplinkInput } from '@kinwatch/protocol';
import type { WatchCommand } from './downlink-reader.ts';

export interface AckMisbehaviour {
  /** Answer no command at all, like firmware that does not support them. */
  readonly silentAcks?: boolean;
  /** Echo every command with its parameters instead of the bare keyword. */
  readonly fullEchoAcks?: boolean;
}

/** What the simulated firmware answers to `queryFirmware`. */
export const SIMULATED_FIRMWARE = 'KINWATCH_SIM_V1.0';

/** The acknowledgement to send for a command, or undefined for none. */
export function acknowledgement(
  { command, keyword, params }: WatchCommand,
  misbehaviour: AckMisbehaviour,
): UplinkInput | undefined {
  if (misbehaviour.silentAcks === true) return undefined;
  const ack = { type: 'commandAck', command: command.type, keyword } as const;
  if (command.type === 'voiceMessage' || command.type === 'voiceMessage2') {
    return { ...ack, values: ['1'] };
  }
  if (command.type === 'queryFirmware') return { ...ack, values: [SIMULATED_FIRMWARE] };
  if (misbehaviour.fullEchoAcks === true) return { ...ack, values: params };
  return ack;
}
