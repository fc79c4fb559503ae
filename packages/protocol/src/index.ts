/**
 * @kinwatch/protocol: a pure codec for the "3G" kids'-watch protocol (`[3G*ID*LEN*CONTENT]`).
 * No sockets, clocks or I/O: bytes in, typed messages and reply/command bytes out.
 *
 * Typical use, per connection:
 *
 *   const splitter = new FrameSplitter();
 *   socket.on('data', (chunk) => splitter.push(chunk, {
 *     frame(bytes) {
 *       const result = decodeFrame(bytes);
 *       if (!result.ok) return log(result.reason);
 *       const reply = requiredReply(result.frame);
 *       if (reply?.timing === 'immediate') socket.write(reply.frame);
 *       handle(result.frame.message);
 *     },
 *     discard(reason, byteCount) { count(reason, byteCount); },
 *   }));
 */
export { FrameSplitter, DEFAULT_MAX_FRAME_BYTES } from './frame/frame-splitter.ts';
export type { DiscardReason, FrameSink, FrameSplitterOptions } from './frame/frame-splitter.ts';
export { escapeBinary, escapedLength, unescapeBinary } from './frame/escape.ts';
export type { UnescapeResult } from './frame/escape.ts';
export { encodeBinaryFrame, encodeFrame, openEnvelope } from './frame/envelope.ts';
export type { Envelope, EnvelopeResult, FrameTarget } from './frame/envelope.ts';
export { KEYWORD_TABLE, commandKeyword, lookupKeyword } from './keywords.ts';
export type { CommandName, Keyword, KeywordDirection, UplinkName } from './keywords.ts';
export { toUtf16Hex, fromUtf16Hex } from './text/utf16-hex.ts';
export { decodeFrame } from './uplink/frame.decoder.ts';
export { LOCATION_LIMITS, parseDeviceTime } from './uplink/location-block.ts';
export { encodeBindingCheckReply, replyTarget, requiredReply } from './uplink/replies.ts';
export type { RequiredReply } from './uplink/replies.ts';
export type * from './uplink/messages.ts';
export {
  ALARM_NAMES,
  encodeLocationBlock,
  encodeUplink,
  type LocationBlockInput,
  type NetworkInput,
  type UplinkInput,
} from './uplink/uplink.encoder.ts';
export * from './downlink/index.ts';
