/**
 * Strict number parsing for protocol fields. `Number()` alone would accept `0x1A`, `1e5`,
 * `Infinity` and turn an empty field into 0; `parseFloat` would read `22.57x720` as 22.57.
 * These accept optional surrounding spaces (firmware pads coordinates: `" 9.1574736"`), an
 * optional minus sign, digits and at most one decimal point, and return NaN otherwise.
 */

function isDecimalText(text: string, allowFraction: boolean): boolean {
  let i = 0;
  let end = text.length;
  while (i < end && text.charCodeAt(i) === 0x20) i++;
  while (end > i && text.charCodeAt(end - 1) === 0x20) end--;
  if (i < end && text.charCodeAt(i) === 0x2d) i++;
  let digits = 0;
  let hasPoint = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      digits++;
    } else if (c === 0x2e && allowFraction && !hasPoint) {
      hasPoint = true;
    } else {
      return false;
    }
  }
  return digits > 0;
}

/** A decimal number such as `-84.1422119` or `0.00`; NaN if the text is anything else. */
export function parseDecimal(text: string | undefined): number {
  return text !== undefined && isDecimalText(text, true) ? Number(text) : Number.NaN;
}

/** A decimal integer; NaN otherwise. */
export function parseInteger(text: string | undefined): number {
  return text !== undefined && isDecimalText(text, false) ? Number(text) : Number.NaN;
}

/** Like parseDecimal, but an empty or absent field gives `fallback`. */
export function parseOptionalDecimal(text: string | undefined, fallback: number): number {
  return text === undefined || text === '' ? fallback : parseDecimal(text);
}

/**
 * A cell's LAC or CID: hex when it contains a letter a-f (`55C0`, `3B882A2`), decimal
 * otherwise. A hex value made only of digits cannot be told apart and is read as decimal.
 */
export function parseCellNumber(text: string | undefined): number {
  if (text === undefined || text.length === 0 || text.length > 12) return Number.NaN;
  let hasLetter = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) hasLetter = true;
    else return Number.NaN;
  }
  return hasLetter ? Number.parseInt(text, 16) : Number(text);
}
