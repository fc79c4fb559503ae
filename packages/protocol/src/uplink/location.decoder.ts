import { FieldCursor } from '../text/field-cursor.ts';
import { accept, refuse, type MessageResult } from './decoder-result.ts';
import { parseLocationBlock } from './location-block.ts';
import type { LocationBlock } from './messages.ts';
import { parseNetworkBlock } from './network-block.ts';

/** Reads the block from field `at` (field 0 is the keyword). */
function block(
  keyword: string,
  fields: FieldCursor,
  at: number,
): { ok: true; value: LocationBlock } | { ok: false; reason: string } {
  fields.position = 0;
  fields.skip(at);
  return parseLocationBlock(fields, keyword.endsWith('_CDMA') ? 'cdma' : 'gsm');
}

/** `UD`, `UD3`, `UD_LTE`, `UD_WCDMA`, `UD_TDSCDMA`, `UD_CDMA`, and the buffered `UD2`. */
export function decodeLocationReport(keyword: string, fields: FieldCursor): MessageResult {
  const location = block(keyword, fields, 1);
  if (!location.ok) return refuse(location.reason);
  const type = keyword === 'UD2' ? 'bufferedLocationReport' : 'locationReport';
  return accept({ type, keyword, location: location.value });
}

/**
 * `AL`, `AL_LTE`, `AL_CDMA`, `ALCUSTOMER1`. An SOS press is an alarm with bit 16 set; an alarm
 * with no alarm bit at all is still an alarm (Traccar calls it `general`, issue #5006).
 */
export function decodeAlarmReport(keyword: string, fields: FieldCursor): MessageResult {
  const location = block(keyword, fields, 1);
  if (!location.ok) return refuse(location.reason);
  return accept({ type: 'alarmReport', keyword, location: location.value });
}

/** `WT,<block>`: the watch asks for the weather and reports where it is. */
export function decodeWeatherRequest(keyword: string, fields: FieldCursor): MessageResult {
  const location = block(keyword, fields, 1);
  if (!location.ok) return refuse(location.reason);
  return accept({ type: 'weatherRequest', keyword, location: location.value });
}

/** `WAD,<CH|EN>,<block>` or `WAD,<block>`: two layouts are seen in the wild. */
export function decodeAddressRequest(keyword: string, fields: FieldCursor): MessageResult {
  const ahead = new FieldCursor(fields.text);
  ahead.skip();
  const first = ahead.readText() ?? '';
  const hasLanguage = first.length === 2 && !/^[0-9]/.test(first);
  const location = block(keyword, fields, hasLanguage ? 2 : 1);
  if (!location.ok) return refuse(location.reason);
  return accept({
    type: 'addressRequest',
    keyword,
    language: hasLanguage ? first : undefined,
    location: location.value,
  });
}

export function decodeNetworkLocationRequest(keyword: string, fields: FieldCursor): MessageResult {
  const location = block(keyword, fields, 1);
  if (!location.ok) return refuse(location.reason);
  return accept({ type: 'networkLocationRequest', keyword, location: location.value });
}

/** `GS1,N,TA,MCC,MNC,(LAC,CID,RSSI)xN`: cells only, no satellite fields. */
export function decodeCellReport(keyword: string, fields: FieldCursor): MessageResult {
  fields.skip();
  const network = parseNetworkBlock(fields, 'gsm');
  if (!network.ok) return refuse(network.reason);
  if (network.value.cells.length === 0) return refuse('cell report without cells');
  return accept({ type: 'cellReport', keyword, network: network.value });
}

/** `PP,<watch clock HHMMSS>,<block>`: "bump to make friends". */
export function decodeFriendBump(keyword: string, fields: FieldCursor): MessageResult {
  const location = block(keyword, fields, 2);
  if (!location.ok) return refuse(location.reason);
  return accept({
    type: 'friendBump',
    keyword,
    watchClock: fields.text.split(',', 2)[1] ?? '',
    location: location.value,
  });
}
