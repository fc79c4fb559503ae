import { parseCellNumber, parseInteger } from '../text/numbers.ts';
import type { BlockResult } from './location-block.ts';
import type { Cell, NetworkObservation, WifiAccessPoint } from './messages.ts';

const NO_CELLS: readonly Cell[] = Object.freeze([]);
const NO_WIFI: readonly WifiAccessPoint[] = Object.freeze([]);
const NO_TAIL: readonly string[] = Object.freeze([]);
const MAX_CELLS = 32;
const MAX_WIFI = 32;
/** How many extra fields an SSID holding commas may span before we give up realigning. */
const MAX_SSID_COMMAS = 3;
const UNKNOWN_OPERATOR = 0xffff;

export interface NetworkBlock {
  readonly network: NetworkObservation;
  /** Fields after the Wi-Fi list. */
  readonly tail: readonly string[];
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** `aa:bb:cc:dd:ee:ff`, octets of one or two hex digits (`38:37:8b:7:cf:99` is real). */
export function isMacAddress(text: string | undefined): boolean {
  if (text === undefined || text.length < 11 || text.length > 17) return false;
  let colons = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) {
      if (run === 0) return false;
      colons++;
      run = 0;
      continue;
    }
    const isHex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!isHex || ++run > 2) return false;
  }
  return colons === 5 && run > 0;
}

function isDigitsOrEmpty(text: string | undefined): boolean {
  return text !== undefined && /^[0-9]*$/.test(text);
}

/**
 * The SG layout with zero cells that still sends TA, MCC and MNC (`0,1,,,,00`, `0,1,0,0,,10`):
 * the field after the count is a number other than 0, and the next two are empty or digits (a
 * Wi-Fi list would have an SSID and a MAC address there).
 */
function hasPlaceholders(fields: readonly string[], at: number): boolean {
  const next = fields[at];
  return (
    next !== undefined &&
    next !== '' &&
    next !== '0' &&
    isDigitsOrEmpty(next) &&
    isDigitsOrEmpty(fields[at + 1]) &&
    isDigitsOrEmpty(fields[at + 2])
  );
}

function operatorCode(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'FFFF' || text === 'ffff') return UNKNOWN_OPERATOR;
  const value = parseInteger(text);
  return Number.isNaN(value) ? undefined : value;
}

/**
 * The network part of a location block, starting at the cell count. Handles the SG layout that
 * sends TA/MCC/MNC placeholders with zero cells (`0,1,,,,00`), hex LAC/CID, MCC `FFFF`
 * (operator unknown), empty RSSI, and Wi-Fi-only blocks (`0,5,eduroam,f4:db:...`), which
 * Traccar drops since 2023.
 */
export function parseNetworkBlock(
  fields: readonly string[],
  at: number,
  radio: NetworkObservation['radio'],
): BlockResult<NetworkBlock> {
  const countText = fields[at];
  const cellCount = countText === undefined || countText === '' ? 0 : parseInteger(countText);
  if (!(cellCount >= 0 && cellCount <= MAX_CELLS)) return fail('invalid cell count');
  let i = at + 1;
  let timingAdvance: number | undefined;
  let mccText: string | undefined;
  let mncText: string | undefined;
  let hasPlaceholderLayout = false;
  if (cellCount > 0 || hasPlaceholders(fields, i)) {
    hasPlaceholderLayout = cellCount === 0;
    timingAdvance = fields[i] === '' ? undefined : parseInteger(fields[i]);
    mccText = fields[i + 1];
    mncText = fields[i + 2];
    i += 3;
  }
  const cells = readCells(fields, i, cellCount);
  if (cells === undefined) return fail('cell list truncated or not numeric');
  i += cellCount * 3;
  const wifi = readWifi(fields, i);
  if (!wifi.ok) return wifi;
  const mcc = operatorCode(mccText);
  const mnc = operatorCode(mncText);
  return {
    ok: true,
    value: {
      network: {
        radio,
        timingAdvance: Number.isNaN(timingAdvance) ? undefined : timingAdvance,
        mcc: mcc === UNKNOWN_OPERATOR ? undefined : mcc,
        mnc: mnc === UNKNOWN_OPERATOR ? undefined : mnc,
        isOperatorKnown:
          mcc !== undefined &&
          mnc !== undefined &&
          mcc !== UNKNOWN_OPERATOR &&
          mnc !== UNKNOWN_OPERATOR,
        cells,
        wifi: wifi.value.points,
        hasPlaceholderLayout,
      },
      tail: wifi.value.end < fields.length ? fields.slice(wifi.value.end) : NO_TAIL,
    },
  };
}

function readCells(
  fields: readonly string[],
  at: number,
  count: number,
): readonly Cell[] | undefined {
  if (count === 0) return NO_CELLS;
  if (at + count * 3 > fields.length + 1) return undefined;
  const cells: Cell[] = [];
  for (let k = 0; k < count; k++) {
    const j = at + k * 3;
    const lac = parseCellNumber(fields[j]);
    const cid = parseCellNumber(fields[j + 1]);
    if (Number.isNaN(lac) || Number.isNaN(cid)) return undefined;
    const rssiText = fields[j + 2];
    const rssi = rssiText === undefined || rssiText === '' ? undefined : parseInteger(rssiText);
    cells.push({ lac, cid, rssi: Number.isNaN(rssi) ? undefined : rssi });
  }
  return cells;
}

function readWifi(
  fields: readonly string[],
  at: number,
): BlockResult<{ points: readonly WifiAccessPoint[]; end: number }> {
  const countText = fields[at];
  if (countText === undefined) return { ok: true, value: { points: NO_WIFI, end: at } };
  const count = countText === '' ? 0 : parseInteger(countText);
  if (!(count >= 0 && count <= MAX_WIFI)) return fail('invalid Wi-Fi count');
  let i = at + 1;
  let points: WifiAccessPoint[] | undefined;
  for (let k = 0; k < count; k++) {
    // A list cut short keeps the access points that did arrive.
    if (i + 3 > fields.length) break;
    // An SSID holding commas spreads over several fields: realign on the MAC address.
    let extra = 0;
    while (
      !isMacAddress(fields[i + 1 + extra]) &&
      extra < MAX_SSID_COMMAS &&
      i + 4 + extra <= fields.length
    ) {
      extra++;
    }
    if (!isMacAddress(fields[i + 1 + extra])) extra = 0;
    const mac = fields[i + 1 + extra] as string;
    const rssiText = fields[i + 2 + extra] as string;
    const rssi = parseInteger(rssiText);
    // Signal in dBm, needed to weight the access point; anything else is unusable.
    if (isMacAddress(mac) && rssi < 0 && rssi > -130) {
      const ssid = extra === 0 ? (fields[i] as string) : fields.slice(i, i + 1 + extra).join(',');
      (points ??= []).push({ ssid, mac: mac.toLowerCase(), rssi });
    }
    i += 3 + extra;
  }
  return { ok: true, value: { points: points ?? NO_WIFI, end: i } };
}
