import { unescapeBinary } from '../frame/escape.ts';
import { parseInteger } from '../text/numbers.ts';
import { accept, refuse, type MessageResult } from './decoder-result.ts';
import { parseDeviceTime } from './location-block.ts';

const COMMA = 0x2c;

/** Offsets of the first `count` commas in `content`, or undefined if there are fewer. */
function commas(content: Buffer, count: number): number[] | undefined {
  const found: number[] = [];
  let from = 0;
  while (found.length < count) {
    const at = content.indexOf(COMMA, from);
    if (at === -1) return undefined;
    found.push(at);
    from = at + 1;
  }
  return found;
}

export function decodeVoiceQuery(keyword: string): MessageResult {
  return accept({ type: keyword === 'TKQ2' ? 'friendVoiceQuery' : 'voiceQuery', keyword });
}

/**
 * `TK,<escaped AMR>` from the watch: a voice message. A one-byte payload `1`/`0` is not audio
 * but the watch's receipt for our voice message, and is decoded as an acknowledgement.
 */
export function decodeVoice(keyword: string, content: Buffer, commaAt: number): MessageResult {
  const payload = content.subarray(commaAt + 1);
  if (commaAt === -1 || payload.length === 0) return refuse('voice message without audio');
  if (payload.length === 1 && (payload[0] === 0x30 || payload[0] === 0x31)) {
    const result = payload.toString('latin1', 0, 1);
    return accept({
      type: 'commandAck',
      keyword,
      command: keyword === 'TK2' ? 'voiceMessage2' : 'voiceMessage',
      values: [result],
      isSuccess: result === '1',
    });
  }
  const audio = unescapeBinary(payload);
  if (!audio.ok) return refuse(audio.reason);
  return accept({ type: 'voiceMessage', keyword, audio: audio.bytes });
}

/** `JXTK,<p>,<name>,<part>,<total>,<escaped AMR chunk>` (G6W / ZJ firmware). */
export function decodeVoiceChunk(keyword: string, content: Buffer): MessageResult {
  const at = commas(content, 5);
  if (at === undefined) return refuse('voice chunk header incomplete');
  const [, c1, c2, c3, c4] = at as [number, number, number, number, number];
  const name = content.toString('latin1', c1 + 1, c2);
  const part = parseInteger(content.toString('latin1', c2 + 1, c3));
  const total = parseInteger(content.toString('latin1', c3 + 1, c4));
  if (!(total >= 1 && total <= 1000 && part >= 1 && part <= total)) {
    return refuse('voice chunk numbering out of range');
  }
  const audio = unescapeBinary(content.subarray(c4 + 1));
  if (!audio.ok) return refuse(audio.reason);
  return accept({ type: 'voiceChunk', keyword, name, part, total, audio: audio.bytes });
}

/** `img,<n>,<YYMMDDhhmmss>,<escaped JPEG>`: the answer to a remote photo request. */
export function decodePhoto(keyword: string, content: Buffer): MessageResult {
  const at = commas(content, 3);
  if (at === undefined) return refuse('photo header incomplete');
  const [c0, c1, c2] = at as [number, number, number];
  const stamp = content.toString('latin1', c1 + 1, c2);
  const jpeg = unescapeBinary(content.subarray(c2 + 1));
  if (!jpeg.ok) return refuse(jpeg.reason);
  if (jpeg.bytes.length === 0) return refuse('photo without image data');
  return accept({
    type: 'photo',
    keyword,
    sequence: content.toString('latin1', c0 + 1, c1),
    takenAt: parseDeviceTime(
      stamp.slice(4, 6) + stamp.slice(2, 4) + stamp.slice(0, 2),
      stamp.slice(6, 12),
    ),
    jpeg: jpeg.bytes,
  });
}
