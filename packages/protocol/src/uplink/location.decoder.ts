import type { FieldCursor } from '../text/field-cursor.ts';
import { accept, refuse, type MessageResult } from './decoder-result.ts';
import { parseLocationBlock, type BlockResult } from './location-block.ts';
import type { LocationBlock } from './messages.ts';
import { parseNetworkBlock } from './network-block.ts';

/** Reads the block from field `at` of a cursor on the keyword (field 0). */
function block(keyword: string, fields: FieldCursor, at: number): BlockResult<LocationBlock> {
  fields.skip(at);
  return parseLocationBlock(fields, keyword.endsWith('_CDMA') ? 'cdma' : 'gsm');
}

/** `UD`, `UD3`, `UD_LTE`, `UD_WCDMA`, `UD_TDSCDMA`, `UD_CDMA`, and the buffered `UD2`. */
export function decodeLocationReport(keyword: string, fields: FieldCursor): MessageResult {
  const location = block(keyword, fields, 1);
  if (typeof location === 'string') return refuse(location);
  const type = keyword === 'UD2' ? 'bufferedLocationReport' : 'locationReport';
  return accept({ type, keyword, location });
}

/**
 * `AL`, `AL_LTE`, `AL_CDMA`, `ALCUSTOMER1`. An SOS press is an alarm with bit 16 set; an alarm
 * with no alarm bit at all is still an alarm (Traccar calls it `general`, issue #5006).
 */
export function decodeAlarmReport(keyword: string, fields: FieldCursor): MessageResult {
  const location = block(keyword, fields, 1);
  if (typeof location === 'string') return refuse(location);
  return accept({ type: 'alarmReport', keyword, location });
}

/** `WT,<block>`: the watch asks for the weather and reports where it is. */
export function decodeWeatherRequest(keyword: string, fields: FieldCursor): MessageResult {
  const location = block(keyword, fields, 1);
  if (typeof location === 'string') return refuse(location);
  return accept({ type: 'weatherRequest', keyword, location });
}

/** `WAD,<CH|EN>,<block>` or `WAD,<block>`: two layouts are seen in the wild. */
export function decodeAddressRequest(keyword: string, fields: FieldCursor): MessageResult {
  const ahead = fields.fork();
  ahead.skip();
  const first = ahead.readText() ?? '';
  const hasLanguage = first.length === 2 && !/^[0-9]/.test(first);
  const location = block(keyword, fields, hasLanguage ? 2 : 1);
  if (typeof location === 'string') return refuse(location);
  return accept({
    type: 'addressRequest',
    keyword,
    language: hasLanguage ? first : undefined,
    location,
  });
}

export function decodeNetworkLocationRequest(keyword: string, fields: FieldCursor): MessageResult {
  const location = block(keyword, fields, 1);
  if (typeof location === 'string') return refuse(location);
  return accept({ type: 'networkLocationRequest', keyword, location });
}

/** `GS1,N,TA,MCC,MNC,(LAC,CID,RSSI)xN`: cells only, no satellite fields. */
export function decodeCellReport(keyword: string, fields: FieldCursor): MessageResult {
  fields.skip();
  const network = parseNetworkBlock(fields, 'gsm');
  if (typeof network === 'string') return refuse(network);
  if (network.cells.length === 0) return refuse('cell report without cells');
  return accept({ type: 'cellReport', keyword, network });
}

/** `PP,<watch clock HHMMSS>,<block>`: "bump to make friends". */
export function decodeFriendBump(keyword: string, fields: FieldCursor): MessageResult {
  const ahead = fields.fork();
  ahead.skip();
  const watchClock = ahead.readText() ?? '';
  const location = block(keyword, fields, 2);
  if (typeof location === 'string') return refuse(location);
  return accept({ type: 'friendBump', keyword, watchClock, location });
}
