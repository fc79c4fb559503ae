/**
 * The watch id a guardian types or scans. Watches of this protocol family identify themselves
 * by a 10-digit registration number or their 15-digit IMEI.
 */
export const DEVICE_ID_PATTERN = /^[0-9]{10,15}$/;

export function isDeviceId(value: string): boolean {
  return DEVICE_ID_PATTERN.test(value);
}

/** What a guardian typed, without the spaces and dashes people add when copying long numbers. */
export function cleanTypedDeviceId(input: string): string {
  return input.replace(/[\s\-.]/g, '');
}

// A name right before the number says what it is: "IMEI:8681…", "?deviceId=…", "设备号：…".
const ID_LABEL =
  /(?:^|[^a-z])(?:imei|meid|device[\s_-]?id|device|dev[\s_-]?id|did|watch[\s_-]?id|id|sn|serial(?:[\s_-]?no)?|uid|reg(?:istration)?[\s_-]?code|设备号|设备id|设备编号|注册码|序列号)\s*[:=：#/\s]?\s*$/i;
const PHONE_LABEL = /(?:tel|phone|mobile|mob|sim|手机|电话|号码)\s*[:=：#\s]?\s*$/i;

/** The IMEI check digit (Luhn) holds: a 15-digit run that passes is very likely the IMEI. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

interface Candidate {
  readonly digits: string;
  readonly score: number;
}

function scoreOf(digits: string, before: string): number {
  const context = before.slice(-24);
  let score = 0;
  if (ID_LABEL.test(context)) score += 100;
  if (PHONE_LABEL.test(context)) score -= 100;
  if (digits.length === 15) score += isLuhnValid(digits) ? 20 : 5;
  return score;
}

/**
 * The watch id held by a scanned QR code, or null when it holds none. The code may be the
 * bare id, a vendor's URL that carries it in a query parameter or a path segment, or a text
 * with other numbers (a phone number, a timestamp) around it. Runs of digits longer than 15
 * are never an id, nor part of one.
 */
export function deviceIdFromCode(text: string): string | null {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // Not URL-encoded after all (a stray %): read the text as it is.
  }
  const candidates: Candidate[] = [];
  for (const match of decoded.matchAll(/[0-9]+/g)) {
    const digits = match[0];
    if (!isDeviceId(digits)) continue;
    candidates.push({ digits, score: scoreOf(digits, decoded.slice(0, match.index)) });
  }
  if (candidates.length === 0) return null;
  const best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
  const isTied = candidates.some(
    (c) => c !== best && c.score === best.score && c.digits !== best.digits,
  );
  // Two equally likely numbers and nothing to tell them apart: better to ask than to guess.
  if (isTied && best.score < 100) return null;
  return best.digits;
}
