import { openEnvelope } from '../frame/envelope.ts';
import { lookupKeyword, type CommandName } from '../keywords.ts';
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

function keywordOf(content: Buffer, text: string | undefined): string {
  if (text !== undefined) {
    const comma = text.indexOf(',');
    return comma === -1 ? text : text.slice(0, comma);
  }
  const comma = content.indexOf(0x2c);
  return content.toString('latin1', 0, comma === -1 ? content.length : comma);
}

function decodeContent(content: Buffer, contentText: string | undefined): MessageResult {
  const keyword = keywordOf(content, contentText);
  // Binary payloads are escaped and never go through a text split.
  switch (keyword) {
    case 'TK':
    case 'TK2':
      return decodeVoice(keyword, content, keyword.length === content.length ? -1 : keyword.length);
    case 'JXTK':
      return decodeVoiceChunk(keyword, content);
    case 'img':
      return decodePhoto(keyword, content);
  }
  const text = contentText ?? content.toString('latin1');
  const entry = lookupKeyword(keyword);
  const name = entry?.name ?? familyOf(keyword) ?? '';
  const fieldDecoder = FIELD_DECODERS.get(name);
  if (fieldDecoder !== undefined) return fieldDecoder(keyword, new FieldCursor(text));
  const values = keyword.length === text.length ? [] : text.slice(keyword.length + 1).split(',');
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
  const opened = openEnvelope(frame);
  if (!opened.ok)
    return { ok: false, reason: opened.reason, envelope: undefined, keyword: undefined };
  const result = decodeContent(opened.content, opened.contentText);
  if (!result.ok) {
    const keyword = keywordOf(opened.content, opened.contentText);
    return { ok: false, reason: result.reason, envelope: opened.envelope, keyword };
  }
  return { ok: true, frame: { envelope: opened.envelope, message: result.message } };
}
