import { accept, refuse, type MessageResult } from './decoder-result.ts';
import { parseLocationBlock } from './location-block.ts';
import type { LocationBlock } from './messages.ts';
import { parseNetworkBlock } from './network-block.ts';

function block(
  keyword: string,
  values: readonly string[],
  at: number,
): { ok: true; value: LocationBlock } | { ok: false; reason: string } {
  return parseLocationBlock(values, at, keyword.endsWith('_CDMA') ? 'cdma' : 'gsm');
}

/** `UD`, `UD3`, `UD_LTE`, `UD_WCDMA`, `UD_TDSCDMA`, `UD_CDMA`, and the buffered `UD2`. */
export function decodeLocationReport(keyword: string, values: readonly string[]): MessageResult {
  const location = block(keyword, values, 0);
  if (!location.ok) return refuse(location.reason);
  const type = keyword === 'UD2' ? 'bufferedLocationReport' : 'locationReport';
  return accept({ type, keyword, location: location.value });
}

/**
 * `AL`, `AL_LTE`, `AL_CDMA`, `ALCUSTOMER1`. An SOS press is an alarm with bit 16 set; an alarm
 * with no alarm bit at all is still an alarm (Traccar calls it `general`, issue #5006).
 */
export function decodeAlarmReport(keyword: string, values: readonly string[]): MessageResult {
  const location = block(keyword, values, 0);
  if (!location.ok) return refuse(location.reason);
  return accept({ type: 'alarmReport', keyword, location: location.value });
}

/** `WT,<block>`: the watch asks for the weather and reports where it is. */
export function decodeWeatherRequest(keyword: string, values: readonly string[]): MessageResult {
  const location = block(keyword, values, 0);
  if (!location.ok) return refuse(location.reason);
  return accept({ type: 'weatherRequest', keyword, location: location.value });
}

/** `WAD,<CH|EN>,<block>` or `WAD,<block>`: two layouts are seen in the wild. */
export function decodeAddressRequest(keyword: string, values: readonly string[]): MessageResult {
  const first = values[0] ?? '';
  const hasLanguage = first.length === 2 && !/^[0-9]/.test(first);
  const location = block(keyword, values, hasLanguage ? 1 : 0);
  if (!location.ok) return refuse(location.reason);
  return accept({
    type: 'addressRequest',
    keyword,
    language: hasLanguage ? first : undefined,
    location: location.value,
  });
}

export function decodeNetworkLocationRequest(
  keyword: string,
  values: readonly string[],
): MessageResult {
  const location = block(keyword, values, 0);
  if (!location.ok) return refuse(location.reason);
  return accept({ type: 'networkLocationRequest', keyword, location: location.value });
}

/** `GS1,N,TA,MCC,MNC,(LAC,CID,RSSI)xN`: cells only, no satellite fields. */
export function decodeCellReport(keyword: string, values: readonly string[]): MessageResult {
  const network = parseNetworkBlock(values, 0, 'gsm');
  if (!network.ok) return refuse(network.reason);
  if (network.value.network.cells.length === 0) return refuse('cell report without cells');
  return accept({ type: 'cellReport', keyword, network: network.value.network });
}

/** `PP,<watch clock HHMMSS>,<block>`: "bump to make friends". */
export function decodeFriendBump(keyword: string, values: readonly string[]): MessageResult {
  const location = block(keyword, values, 1);
  if (!location.ok) return refuse(location.reason);
  return accept({
    type: 'friendBump',
    keyword,
    watchClock: values[0] ?? '',
    location: location.value,
  });
}
