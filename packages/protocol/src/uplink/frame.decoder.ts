import { MAX_TEXT_FRAME_BYTES, readEnvelope } from '../frame/envelope.ts';
import { lookupKeyword, twoCharacterKeyword, type CommandName } from '../keywords.ts';
import { FieldCursor } from '../text/field-cursor.ts';
import { decodeCommandAck } from './ack.decoder.ts';
import { accept, type MessageResult } from './decoder-result.ts';
import {
  decodeBloodOxygen,
  decodeBloodPressure,
  decodeBodyTemperature,
  decodeCallLog,
  decodeHeartRate,
} from './health.decoder.ts';
import {
  decodeBindingCheck,
  decodeCapabilityReport,
  decodeFeatureReport,
  decodeImeiReport,
  decodeLinkKeepAlive,
  decodeLogin,
  decodeSimCardId,
  decodeSimIdentity,
} from './link.decoder.ts';
import {
  decodeAddressRequest,
  decodeAlarmReport,
  decodeCellReport,
  decodeFriendBump,
  decodeLocationReport,
  decodeNetworkLocationRequest,
  decodeWeatherRequest,
} from './location.decoder.ts';
import { decodePhoto, decodeVoice, decodeVoiceChunk, decodeVoiceQuery } from './media.decoder.ts';
import type { DecodeResult } from './messages.ts';

type TextDecoderFn = (keyword: string, values: readonly string[]) => MessageResult;
type FieldDecoderFn = (keyword: string, fields: FieldCursor) => MessageResult;

/**
 * Messages carrying the location block are most of the traffic: they are read in place from the
 * bytes (field 0 is the keyword) instead of being split into strings.
 */
const FIELD_DECODERS: ReadonlyMap<string, FieldDecoderFn> = new Map([
  ['locationReport', decodeLocationReport],
  ['bufferedLocationReport', decodeLocationReport],
  ['alarmReport', decodeAlarmReport],
  ['weatherRequest', decodeWeatherRequest],
  ['addressRequest', decodeAddressRequest],
  ['networkLocationRequest', decodeNetworkLocationRequest],
  ['cellReport', decodeCellReport],
  ['friendBump', decodeFriendBump],
]);

/** One decoder per descriptive message name (text messages). */
const TEXT_DECODERS: Readonly<Record<string, TextDecoderFn>> = {
  linkKeepAlive: decodeLinkKeepAlive,
  login: decodeLogin,
  simCardId: decodeSimCardId,
  simIdentity: decodeSimIdentity,
  imeiReport: decodeImeiReport,
  capabilityReport: decodeCapabilityReport,
  featureReport: decodeFeatureReport,
  bindingCheck: decodeBindingCheck,
  voiceQuery: decodeVoiceQuery,
  friendVoiceQuery: decodeVoiceQuery,
  heartRate: decodeHeartRate,
  bloodPressure: decodeBloodPressure,
  bodyTemperature: decodeBodyTemperature,
  bloodOxygen: decodeBloodOxygen,
  callLog: decodeCallLog,
};

/**
 * Keyword families that firmware extends with suffixes (`UD_LTE`, `AL_CDMA`, `WT_LTE`...): a
 * keyword not in the table is read by its prefix.
 */
function familyOf(keyword: string): string | undefined {
  if (keyword.startsWith('UD_')) return 'locationReport';
  if (keyword.startsWith('AL_') || keyword.startsWith('ALCUSTOMER')) return 'alarmReport';
  if (keyword.startsWith('WT_')) return 'weatherRequest';
  return undefined;
}

/** The keyword: the content up to its first comma (the header holds no comma). */
function keywordOf(frame: Buffer, text: string | undefined, contentStart: number): string {
  const end = frame.length - 1;
  if (text !== undefined) {
    const third = contentStart + 2;
    if (third === end || (third < end && text.charCodeAt(third) === 0x2c)) {
      const keyword = twoCharacterKeyword(
        text.charCodeAt(contentStart),
        text.charCodeAt(contentStart + 1),
      );
      if (keyword !== undefined) return keyword;
    }
    const comma = text.indexOf(',', contentStart);
    return text.slice(contentStart, comma === -1 ? end : comma);
  }
  const comma = frame.indexOf(0x2c, contentStart);
  return frame.toString('latin1', contentStart, comma === -1 ? end : comma);
}

/**
 * Decodes the content, from `contentStart` to the closing `]`. `text` is the whole frame as
 * Latin-1, or undefined for a frame too large to be text.
 */
function decodeContent(
  frame: Buffer,
  text: string | undefined,
  contentStart: number,
  keyword: string,
): MessageResult {
  const end = frame.length - 1;
  // Binary payloads are escaped and never go through a text split.
  switch (keyword) {
    case 'TK':
    case 'TK2': {
      const content = frame.subarray(contentStart, end);
      return decodeVoice(keyword, content, keyword.length === content.length ? -1 : keyword.length);
    }
    case 'JXTK':
      return decodeVoiceChunk(keyword, frame.subarray(contentStart, end));
    case 'img':
      return decodePhoto(keyword, frame.subarray(contentStart, end));
  }
  const whole = text ?? frame.toString('latin1');
  const entry = lookupKeyword(keyword);
  const name = entry?.name ?? familyOf(keyword) ?? '';
  const fieldDecoder = FIELD_DECODERS.get(name);
  if (fieldDecoder !== undefined) {
    return fieldDecoder(keyword, new FieldCursor(whole, contentStart, end));
  }
  const valuesStart = contentStart + keyword.length + 1;
  const values = valuesStart > end ? [] : whole.slice(valuesStart, end).split(',');
  if (entry?.direction === 'down' || entry?.direction === 'forbidden') {
    return decodeCommandAck(keyword, entry.name as CommandName | 'covertListening', values);
  }
  const decoder = TEXT_DECODERS[name];
  if (decoder !== undefined) return decoder(keyword, values);
  return accept({ type: 'unknown', keyword, values });
}

/**
 * Decodes one whole frame as the splitter yields it. Never throws: a frame that is malformed,
 * or whose fields are impossible (a 32nd day, a latitude of `22.57x720`), comes back as
 * `ok: false` with the reason and, when the header was readable, the envelope (so the caller
 * can still tell which watch sent it). A LENGTH mismatch is recorded in the envelope and never
 * refuses a frame. Unknown keywords decode as `unknown`.
 */
export function decodeFrame(frame: Buffer): DecodeResult {
  // One Latin-1 conversion per text frame, shared by the header and the content.
  const text = frame.length <= MAX_TEXT_FRAME_BYTES ? frame.toString('latin1') : undefined;
  const envelope = readEnvelope(frame, text);
  if (typeof envelope === 'string') {
    return { ok: false, reason: envelope, envelope: undefined, keyword: undefined };
  }
  const contentStart = frame.length - 1 - envelope.contentLength;
  const keyword = keywordOf(frame, text, contentStart);
  const message = decodeContent(frame, text, contentStart, keyword);
  if (typeof message === 'string') return { ok: false, reason: message, envelope, keyword };
  return { ok: true, frame: { envelope, message } };
}
