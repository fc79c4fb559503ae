import { encodeFrame, type Envelope, type FrameTarget } from '../frame/envelope.ts';
import type { DecodedFrame, UplinkMessage } from './messages.ts';

/**
 * A reply the protocol requires. `immediate` replies are written as soon as the frame is
 * decoded (a missing `LK` reply makes the watch reconnect; a missing `AL` reply makes it resend
 * the alarm). `afterStore` replies confirm that something was kept (`TK,1` after the voice
 * message is stored); if storing fails, send `failureContent` instead.
 */
export interface RequiredReply {
  readonly timing: 'immediate' | 'afterStore';
  readonly content: string;
  readonly frame: Buffer;
  readonly failureContent: string | undefined;
}

/** The vendor, id and index of an uplink frame, exactly as received, for echoing back. */
export function replyTarget(envelope: Envelope): FrameTarget {
  return { vendor: envelope.vendor, deviceId: envelope.deviceId, index: envelope.index };
}

function contentFor(message: UplinkMessage): string | undefined {
  switch (message.type) {
    case 'linkKeepAlive':
      return 'LK';
    case 'alarmReport':
      // Always the bare AL, also for AL_LTE and ALCUSTOMER1.
      return 'AL';
    case 'voiceQuery':
    case 'friendVoiceQuery':
      return message.keyword;
    case 'login':
      return 'INIT,1';
    case 'voiceChunk':
      return 'JXTKR,1';
    case 'voiceMessage':
      return `${message.keyword},1`;
    case 'bloodPressure':
      return message.keyword === 'bphrt' ? 'bphrt' : undefined;
    case 'bodyTemperature':
      return message.keyword === 'btemp2' ? 'btemp2' : undefined;
    case 'bloodOxygen':
      return 'oxygen,1';
    case 'imeiReport':
      return 'RYIMEI,1';
    case 'callLog':
      return 'calllog,1';
    default:
      return undefined;
  }
}

/**
 * The reply the protocol requires for a decoded frame (§5 of the reference), or undefined when
 * the message needs none (`UD*`, `CONFIG`, `ICCID`, acknowledgements...). Optional replies that
 * need data Kinwatch does not fetch (weather for `WT`, addresses for `WAD`) are not produced.
 */
export function requiredReply(decoded: DecodedFrame): RequiredReply | undefined {
  const content = contentFor(decoded.message);
  if (content === undefined) return undefined;
  const isVoice = decoded.message.type === 'voiceMessage';
  return {
    timing: isVoice ? 'afterStore' : 'immediate',
    content,
    frame: encodeFrame(replyTarget(decoded.envelope), content),
    failureContent: isVoice ? `${decoded.message.keyword},0` : undefined,
  };
}

/** `DEVPWDCHECKBIND,<status>,<isBound>`: status 1 ok, -1 busy, -2 bad parameter. */
export function encodeBindingCheckReply(
  target: FrameTarget,
  status: 1 | -1 | -2,
  isBound: boolean,
): Buffer {
  return encodeFrame(target, `DEVPWDCHECKBIND,${status},${isBound ? 1 : 0}`);
}
