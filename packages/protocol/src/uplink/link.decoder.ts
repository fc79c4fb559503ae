import { fromUtf16Hex } from '../text/utf16-hex.ts';
import { parseInteger } from '../text/numbers.ts';
import { accept, optional, refuse, type MessageResult } from './decoder-result.ts';

const ICCID = /^[0-9A-Fa-f]{10,22}$/;
const IMEI = /^[0-9]{14,17}$/;

function countOrUndefined(text: string | undefined): number | undefined {
  const value = parseInteger(text);
  return Number.isNaN(value) ? undefined : value;
}

/**
 * `LK`, `LK,steps,tumbles,battery`. SG firmware also sends two values (`LK,0,100`) whose meaning
 * is unknown; they are kept in `values` only.
 */
export function decodeLinkKeepAlive(keyword: string, values: readonly string[]): MessageResult {
  const hasCounters = values.length >= 3;
  return accept({
    type: 'linkKeepAlive',
    keyword,
    steps: hasCounters ? countOrUndefined(values[0]) : undefined,
    tumbles: hasCounters ? countOrUndefined(values[1]) : undefined,
    batteryPercent: hasCounters ? countOrUndefined(values[2]) : undefined,
    values,
  });
}

/** `INIT,<phone>,<n>,<firmware>,...` from CT-03 / YW bracelets. */
export function decodeLogin(keyword: string, values: readonly string[]): MessageResult {
  return accept({
    type: 'login',
    keyword,
    phoneNumber: values[0] ?? '',
    firmware: optional(values[2]),
    values,
  });
}

export function decodeSimCardId(keyword: string, values: readonly string[]): MessageResult {
  const iccid = values[0];
  if (iccid === undefined || !ICCID.test(iccid)) return refuse('missing or malformed ICCID');
  return accept({ type: 'simCardId', keyword, iccid });
}

/** `ICCID,iccid,imei,imsi,eid,protocol`: only the ICCID is mandatory. */
export function decodeSimIdentity(keyword: string, values: readonly string[]): MessageResult {
  const iccid = values[0];
  if (iccid === undefined || !ICCID.test(iccid)) return refuse('missing or malformed ICCID');
  return accept({
    type: 'simIdentity',
    keyword,
    iccid,
    imei: optional(values[1]),
    imsi: optional(values[2]),
    eid: optional(values[3]),
    transport: optional(values[4]),
  });
}

export function decodeImeiReport(keyword: string, values: readonly string[]): MessageResult {
  const imei = values[0];
  if (imei === undefined || !IMEI.test(imei)) return refuse('missing or malformed IMEI');
  return accept({ type: 'imeiReport', keyword, imei });
}

/** `CONFIG,TY:g36f,UL:60000,...`: about 110 capability flags on 4G firmware. */
export function decodeCapabilityReport(keyword: string, values: readonly string[]): MessageResult {
  const entries = new Map<string, string>();
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon > 0) entries.set(value.slice(0, colon), value.slice(colon + 1));
  }
  return accept({ type: 'capabilityReport', keyword, entries });
}

/** `APPANDFNREPORT,<count>,<code>,<UTF-16BE hex label>,...` */
export function decodeFeatureReport(keyword: string, values: readonly string[]): MessageResult {
  const features: { code: string; label: string }[] = [];
  for (let i = 1; i + 1 < values.length; i += 2) {
    const code = values[i] as string;
    const hex = values[i + 1] as string;
    features.push({ code, label: fromUtf16Hex(hex) ?? hex });
  }
  return accept({ type: 'featureReport', keyword, features });
}

export function decodeBindingCheck(keyword: string): MessageResult {
  return accept({ type: 'bindingCheck', keyword });
}
