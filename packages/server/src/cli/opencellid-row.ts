import type { CellTower } from '@kinwatch/core';

/**
 * The columns of OpenCelliD's cell export, in order. `net` is the MNC (the SID on CDMA),
 * `area` the LAC/TAC (NID on CDMA), `cell` the cell id (BID on CDMA), `range` metres,
 * `created`/`updated` Unix seconds.
 */
export const OPENCELLID_COLUMNS = [
  'radio',
  'mcc',
  'net',
  'area',
  'cell',
  'unit',
  'lon',
  'lat',
  'range',
  'samples',
  'changeable',
  'created',
  'updated',
  'averageSignal',
] as const;

/** Largest values the cell table holds: NR cell identities have 36 bits, TACs 24. */
const MAX_MCC = 999;
const MAX_MNC = 32_767;
const MAX_AREA = 2 ** 31 - 1;
const MAX_CELL = 2 ** 36 - 1;
/** Year 2286: anything later is not a Unix time in seconds. */
const MAX_SECONDS = 9_999_999_999;

/** True for the header line (optional in the file). */
export function isOpenCellIdHeader(line: string): boolean {
  return /^\uFEFF?radio,mcc,/i.test(line.trim());
}

/**
 * Parses one data line. Returns the tower, or a short reason when the line cannot be one
 * (the caller adds the line number). Older exports without `averageSignal` are accepted.
 */
export function parseOpenCellIdRow(line: string): CellTower | string {
  const fields = line.replace(/^\uFEFF/, '').split(',');
  if (fields.length !== 13 && fields.length !== 14) {
    return `expected ${OPENCELLID_COLUMNS.length} fields, found ${fields.length}`;
  }
  const [radio = '', mcc, net, area, cell, , lon, lat, range, samples, , created, updated] = fields;
  const key = parseKey(mcc, net, area, cell);
  if (typeof key === 'string') return key;
  const latitude = decimal(lat, 90);
  const longitude = decimal(lon, 180);
  if (latitude === undefined || longitude === undefined) return 'lat/lon out of range';
  if (latitude === 0 && longitude === 0) return 'no location (0,0)';
  const rangeMeters = decimal(range, Number.MAX_VALUE);
  if (rangeMeters === undefined || rangeMeters < 0) return 'range is not a distance';
  const sampleCount = integer(samples, Number.MAX_SAFE_INTEGER);
  if (sampleCount === undefined) return 'samples is not a count';
  const seconds = integer(updated, MAX_SECONDS) ?? integer(created, MAX_SECONDS);
  if (seconds === undefined) return 'neither updated nor created is a Unix time';
  const radioName = radio.trim();
  if (!/^[A-Za-z0-9]{0,10}$/.test(radioName)) return 'radio is not a radio type';
  return {
    ...key,
    radio: radioName === '' ? null : radioName.toUpperCase(),
    latitude,
    longitude,
    rangeMeters,
    samples: sampleCount,
    updatedAt: new Date(seconds * 1000),
  };
}

function parseKey(
  ...[mcc, net, area, cell]: (string | undefined)[]
): Pick<CellTower, 'mcc' | 'mnc' | 'lac' | 'cid'> | string {
  const parsed = {
    mcc: integer(mcc, MAX_MCC),
    mnc: integer(net, MAX_MNC),
    lac: integer(area, MAX_AREA),
    cid: integer(cell, MAX_CELL),
  };
  if (parsed.mcc === undefined) return 'mcc is not an integer in range';
  if (parsed.mnc === undefined) return 'net (mnc) is not an integer in range';
  if (parsed.lac === undefined) return 'area (lac) is not an integer in range';
  if (parsed.cid === undefined) return 'cell is not an integer in range';
  return { mcc: parsed.mcc, mnc: parsed.mnc, lac: parsed.lac, cid: parsed.cid };
}

function integer(text: string | undefined, max: number): number | undefined {
  const trimmed = text?.trim() ?? '';
  if (!/^\d{1,16}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= max ? value : undefined;
}

function decimal(text: string | undefined, limit: number): number | undefined {
  const trimmed = text?.trim() ?? '';
  if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) && Math.abs(value) <= limit ? value : undefined;
}
