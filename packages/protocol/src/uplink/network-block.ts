import type { FieldCursor } from '../text/field-cursor.ts';
import type { BlockResult } from './location-block.ts';
import type { Cell, NetworkObservation, WifiAccessPoint } from './messages.ts';

const NO_CELLS: readonly Cell[] = Object.freeze([]);
const NO_WIFI: readonly WifiAccessPoint[] = Object.freeze([]);
const MAX_CELLS = 32;
const MAX_WIFI = 32;
/** How many extra fields an SSID holding commas may span before we give up realigning. */
const MAX_SSID_COMMAS = 3;
const UNKNOWN_OPERATOR = 0xffff;
const ZERO = 0x30;

function fail(reason: string): string {
  return reason;
}

/**
 * The SG layout with zero cells that still sends TA, MCC and MNC (`0,1,,,,00`, `0,1,0,0,,10`):
 * the field after the count is a number other than 0, and the next two are empty or digits (a
 * Wi-Fi list would have an SSID and a MAC address there).
 */
function hasPlaceholders(fields: FieldCursor): boolean {
  if (fields.fieldLength() <= 0 || fields.isChar(ZERO) || !fields.isDigitsOrEmpty()) return false;
  const ahead = fields.fork();
  ahead.skip();
  if (!ahead.isDigitsOrEmpty()) return false;
  ahead.skip();
  return ahead.isDigitsOrEmpty();
}

/** MCC or MNC: undefined when absent, 0xFFFF when the watch says "unknown" (`FFFF`). */
function readOperatorCode(fields: FieldCursor): number | undefined {
  const start = fields.position;
  const value = fields.readInteger();
  if (!Number.isNaN(value)) return value;
  const text = fields.text.slice(start, fields.position - 1);
  return text === 'FFFF' || text === 'ffff' ? UNKNOWN_OPERATOR : undefined;
}

function readCount(fields: FieldCursor): number {
  if (!fields.hasField) return 0;
  if (fields.isEmpty()) {
    fields.skip();
    return 0;
  }
  return fields.readInteger();
}

/**
 * The network part of a location block, read from the cell count on. Handles the SG layout
 * that sends TA/MCC/MNC placeholders with zero cells (`0,1,,,,00`), hex LAC/CID, MCC `FFFF`
 * (operator unknown), empty RSSI, and Wi-Fi-only blocks (`0,5,eduroam,f4:db:...`), which
 * Traccar drops since 2023. Leaves the cursor on the first field after the Wi-Fi list.
 */
export function parseNetworkBlock(
  fields: FieldCursor,
  radio: NetworkObservation['radio'],
): BlockResult<NetworkObservation> {
  const cellCount = readCount(fields);
  if (!(cellCount >= 0 && cellCount <= MAX_CELLS)) return fail('invalid cell count');
  let timingAdvance: number | undefined;
  let mcc: number | undefined;
  let mnc: number | undefined;
  const hasPlaceholderLayout = cellCount === 0 && hasPlaceholders(fields);
  if (cellCount > 0 || hasPlaceholderLayout) {
    const ta = fields.readInteger();
    timingAdvance = Number.isNaN(ta) ? undefined : ta;
    mcc = readOperatorCode(fields);
    mnc = readOperatorCode(fields);
  }
  const cells = readCells(fields, cellCount);
  if (cells === undefined) return fail('cell list truncated or not numeric');
  const wifi = readWifi(fields);
  if (wifi === undefined) return fail('invalid Wi-Fi count');
  return {
    radio,
    timingAdvance,
    mcc: mcc === UNKNOWN_OPERATOR ? undefined : mcc,
    mnc: mnc === UNKNOWN_OPERATOR ? undefined : mnc,
    isOperatorKnown:
      mcc !== undefined &&
      mnc !== undefined &&
      mcc !== UNKNOWN_OPERATOR &&
      mnc !== UNKNOWN_OPERATOR,
    cells,
    wifi,
    hasPlaceholderLayout,
  };
}

function readCells(fields: FieldCursor, count: number): readonly Cell[] | undefined {
  if (count === 0) return NO_CELLS;
  // Sized up front: an array grown by push reserves room for 17 elements.
  const cells = new Array<Cell>(count);
  for (let k = 0; k < count; k++) {
    const lac = fields.readCellNumber();
    const cid = fields.readCellNumber();
    if (Number.isNaN(lac) || Number.isNaN(cid)) return undefined;
    // The signal may be empty (TK915-4GSA firmware) or missing on the last cell.
    const rssi = fields.readInteger();
    cells[k] = { lac, cid, rssi: Number.isNaN(rssi) ? undefined : rssi };
  }
  return cells;
}

/** One access point, or undefined when it has no MAC or usable signal (it is skipped). */
function readAccessPoint(fields: FieldCursor): WifiAccessPoint | undefined {
  const ssidStart = fields.position;
  fields.skip();
  // An SSID holding commas spreads over several fields: realign on the MAC address.
  for (let extra = 0; extra <= MAX_SSID_COMMAS && fields.hasField; extra++) {
    const macStart = fields.position;
    const mac = fields.readMacAddress();
    if (mac !== undefined) {
      const ssid = fields.text.slice(ssidStart, macStart - 1);
      const rssi = fields.readInteger();
      // Signal in dBm, needed to weight the access point; anything else is unusable.
      if (!(rssi < 0 && rssi > -130)) return undefined;
      return { ssid, mac, rssi };
    }
    // An empty or `0` MAC, or a signal value where the MAC should be, is a broken entry, not
    // an SSID with commas.
    if (fields.isEmpty() || fields.isChar(ZERO) || startsNegative(fields)) break;
    fields.skip();
  }
  fields.position = ssidStart;
  fields.skip(3);
  return undefined;
}

function startsNegative(fields: FieldCursor): boolean {
  const text = fields.text;
  const code = text.charCodeAt(fields.position + 1);
  return text.charCodeAt(fields.position) === 0x2d && code >= 0x30 && code <= 0x39;
}

function readWifi(fields: FieldCursor): readonly WifiAccessPoint[] | undefined {
  const count = readCount(fields);
  if (!(count >= 0 && count <= MAX_WIFI)) return undefined;
  if (count === 0) return NO_WIFI;
  // Sized for the count sent, then cut to the access points kept.
  const points = new Array<WifiAccessPoint>(count);
  let kept = 0;
  // A list cut short keeps the access points that did arrive.
  for (let k = 0; k < count && fields.hasField; k++) {
    const point = readAccessPoint(fields);
    if (point !== undefined) points[kept++] = point;
  }
  if (kept === 0) return NO_WIFI;
  if (kept < count) points.length = kept;
  return points;
}

/** Whether text is a MAC address as watches write it (octets of one or two hex digits). */
export function isMacAddress(text: string | undefined): boolean {
  return text !== undefined && /^([0-9A-Fa-f]{1,2}:){5}[0-9A-Fa-f]{1,2}$/.test(text);
}
