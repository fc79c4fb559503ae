/**
 * Reads the comma-separated fields of a frame's content in one forward pass. Location reports
 * are most of the traffic; reading their ~45 fields in place, numbers straight from the
 * character codes and substrings only for fields kept as text (SSIDs, MACs, the status), is
 * several times faster than splitting the content into strings first.
 *
 * Every `read*` method consumes the current field, including an empty one, and moves to the
 * next. Number parsing is strict (optional surrounding spaces, an optional minus, digits, at most
 * one point; anything else gives NaN) and exact: the digits form an integer mantissa divided
 * once by a power of ten, which IEEE 754 rounds correctly, so the result equals `Number(text)`.
 */

const COMMA = 0x2c;
const SPACE = 0x20;
const MINUS = 0x2d;
const POINT = 0x2e;
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Reads the number in the cursor's current field and moves past the field. It runs for most of
 * the ~45 fields of every location report, so the common shape (optional minus, digits, at most
 * one point, then a comma) is kept small enough to be inlined; anything else takes the general
 * path.
 */
function readNumber(cursor: FieldCursor, allowFraction: boolean): number {
  const text = cursor.text;
  const length = cursor.end;
  let i = cursor.position;
  let code = text.charCodeAt(i);
  const isNegative = code === MINUS;
  if (isNegative) code = text.charCodeAt(++i);
  const digitsStart = i;
  let mantissa = 0;
  let point = -1;
  while (i < length) {
    if (code >= 0x30 && code <= 0x39) mantissa = mantissa * 10 + (code - 0x30);
    else if (code === POINT && point < 0 && allowFraction) point = i;
    else break;
    code = text.charCodeAt(++i);
  }
  const digits = i - digitsStart - (point >= 0 ? 1 : 0);
  if ((i < length && code !== COMMA) || digits <= 0 || digits > 15) {
    return readNumberSlowly(cursor, allowFraction);
  }
  cursor.position = i + 1;
  const decimals = point >= 0 ? i - point - 1 : 0;
  const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
  return isNegative ? -value : value;
}

/** The general case of `readNumber`: padding spaces, long mantissas, errors. */
function readNumberSlowly(cursor: FieldCursor, allowFraction: boolean): number {
  const text = cursor.text;
  const length = cursor.end;
  const start = cursor.position;
  let i = start;
  if (i > length) return Number.NaN;
  while (i < length && text.charCodeAt(i) === SPACE) i++;
  const isNegative = text.charCodeAt(i) === MINUS;
  if (isNegative) i++;
  const digitsStart = i;
  let point = -1;
  let mantissa = 0;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) mantissa = mantissa * 10 + (code - 0x30);
    else if (code === POINT && point < 0 && allowFraction) point = i;
    else break;
  }
  const digits = i - digitsStart - (point >= 0 ? 1 : 0);
  const decimals = point >= 0 ? i - point - 1 : 0;
  while (i < length && text.charCodeAt(i) === SPACE) i++;
  if (i < length && text.charCodeAt(i) !== COMMA) {
    cursor.skip();
    return Number.NaN;
  }
  cursor.position = i + 1;
  if (digits <= 0) return Number.NaN;
  if (digits > 15) return Number(text.slice(start, i));
  const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
  return isNegative ? -value : value;
}

export class FieldCursor {
  /**
   * The text the fields are read from: a whole frame, so that the header and the content share
   * one Latin-1 conversion (and the content is read from a flat string, not a slice).
   */
  readonly text: string;
  /** End (exclusive) of the fields in `text`; no comma follows it. */
  readonly end: number;
  /** Start of the current field; past `end` when every field was read. */
  position: number;

  /**
   * `text` is Latin-1 (one character per byte); the fields run from `position` to `end`, and
   * `text` holds no comma after `end` (the `]` of a frame may follow).
   */
  constructor(text: string, position = 0, end = text.length) {
    this.text = text;
    this.position = position;
    this.end = end;
  }

  /** Whether a field (possibly empty) remains. */
  get hasField(): boolean {
    return this.position <= this.end;
  }

  /** End (exclusive) of the current field. */
  fieldEnd(): number {
    const comma = this.text.indexOf(',', this.position);
    return comma === -1 ? this.end : comma;
  }

  /** Length of the current field; -1 when none remains. */
  fieldLength(): number {
    return this.hasField ? this.fieldEnd() - this.position : -1;
  }

  /** Moves past `count` fields. */
  skip(count = 1): void {
    for (let k = 0; k < count && this.hasField; k++) this.position = this.fieldEnd() + 1;
  }

  /** The current field as text, or undefined when none remains. */
  readText(): string | undefined {
    if (!this.hasField) return undefined;
    const end = this.fieldEnd();
    const value = this.text.slice(this.position, end);
    this.position = end + 1;
    return value;
  }

  /** Whether the current field is exactly the one character `code` (not consumed). */
  isChar(code: number): boolean {
    const at = this.position;
    const next = at + 1;
    return (
      at < this.end &&
      this.text.charCodeAt(at) === code &&
      (next === this.end || this.text.charCodeAt(next) === COMMA)
    );
  }

  /** Whether the current field is empty (not consumed). */
  isEmpty(): boolean {
    return (
      this.hasField && (this.position === this.end || this.text.charCodeAt(this.position) === COMMA)
    );
  }

  /** A decimal number; NaN for anything else, an empty field or no field. */
  readDecimal(): number {
    return readNumber(this, true);
  }

  /** A decimal integer; NaN otherwise. */
  readInteger(): number {
    return readNumber(this, false);
  }

  /** Like readDecimal, but an empty or missing field gives `fallback`. */
  readOptionalDecimal(fallback: number): number {
    const at = this.position;
    if (at >= this.end || this.text.charCodeAt(at) === COMMA) {
      this.position = at + 1;
      return fallback;
    }
    return readNumber(this, true);
  }

  /**
   * A cell's LAC or CID: hex when it holds a letter a-f (`55C0`, `3B882A2`), decimal
   * otherwise. NaN when empty, longer than 12 characters or not a number.
   */
  readCellNumber(): number {
    const text = this.text;
    const length = this.end;
    const start = this.position;
    if (start > length) return Number.NaN;
    // Decimal is the common case; a letter a-f switches to reading the field as hex.
    let value = 0;
    let i = start;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x30 || code > 0x39) break;
      value = value * 10 + (code - 0x30);
    }
    if (i < length && text.charCodeAt(i) !== COMMA) return this.#readHexCell(start);
    this.position = i + 1;
    return i === start || i - start > 12 ? Number.NaN : value;
  }

  #readHexCell(start: number): number {
    const text = this.text;
    let value = 0;
    let i = start;
    let isValid = true;
    for (; i < this.end; i++) {
      const code = text.charCodeAt(i);
      if (code === COMMA) break;
      const digit = hexDigit(code);
      if (digit < 0) isValid = false;
      value = value * 16 + digit;
    }
    this.position = i + 1;
    return isValid && i - start <= 12 ? value : Number.NaN;
  }

  /** Whether the current field is empty or all decimal digits (not consumed). */
  isDigitsOrEmpty(): boolean {
    if (!this.hasField) return false;
    const end = this.fieldEnd();
    for (let i = this.position; i < end; i++) {
      const code = this.text.charCodeAt(i);
      if (code < 0x30 || code > 0x39) return false;
    }
    return true;
  }

  /**
   * Reads the current field if it is a MAC address as watches write it, octets of one or two
   * hex digits (`38:37:8b:7:cf:99` is real), in lower case. Otherwise returns undefined and
   * does not move.
   */
  readMacAddress(): string | undefined {
    const text = this.text;
    const start = this.position;
    const limit = Math.min(this.end, start + 18);
    let colons = 0;
    let run = 0;
    let hasUpperCase = false;
    let i = start;
    for (; i < limit; i++) {
      const code = text.charCodeAt(i);
      if (code === COMMA) break;
      if (code === 0x3a) {
        if (run === 0) return undefined;
        colons++;
        run = 0;
        continue;
      }
      const isDigit = code >= 0x30 && code <= 0x39;
      const isLower = code >= 0x61 && code <= 0x66;
      const isUpper = code >= 0x41 && code <= 0x46;
      if (!(isDigit || isLower || isUpper) || ++run > 2) return undefined;
      if (isUpper) hasUpperCase = true;
    }
    const isEnd = i === this.end || text.charCodeAt(i) === COMMA;
    if (!isEnd || colons !== 5 || run === 0) return undefined;
    this.position = i + 1;
    const mac = text.slice(start, i);
    return hasUpperCase ? mac.toLowerCase() : mac;
  }

  /**
   * The current field as an integer if it is exactly six decimal digits (DDMMYY, HHMMSS),
   * moving past it; -1 otherwise, without moving.
   */
  readSixDigits(): number {
    const text = this.text;
    const start = this.position;
    const after = start + 6;
    if (after > this.end || (after < this.end && text.charCodeAt(after) !== COMMA)) return -1;
    let value = 0;
    for (let i = start; i < after; i++) {
      const digit = text.charCodeAt(i) - 0x30;
      if (!(digit >= 0 && digit <= 9)) return -1;
      value = value * 10 + digit;
    }
    this.position = after + 1;
    return value;
  }

  /**
   * The current field as hex, 1 to `maxLength` digits, moving past it; NaN (and moved past the
   * field) for anything else.
   */
  readHex(maxLength: number): number {
    const text = this.text;
    const start = this.position;
    let value = 0;
    let i = start;
    let isValid = i <= this.end;
    for (; i < this.end; i++) {
      const code = text.charCodeAt(i);
      if (code === COMMA) break;
      const digit = hexDigit(code);
      if (digit < 0) isValid = false;
      value = value * 16 + digit;
    }
    this.position = i + 1;
    return isValid && i > start && i - start <= maxLength ? value : Number.NaN;
  }

  /** The rest of the fields as text. */
  readRest(): string[] {
    if (!this.hasField) return [];
    // Sized up front: an array grown by push reserves room for 17 elements.
    const text = this.text;
    let count = 1;
    for (let at = text.indexOf(',', this.position); at !== -1; at = text.indexOf(',', at + 1)) {
      count++;
    }
    const rest = new Array<string>(count);
    for (let k = 0; k < count; k++) rest[k] = this.readText() as string;
    return rest;
  }

  /** A copy at the same position, for looking ahead. */
  fork(): FieldCursor {
    return new FieldCursor(this.text, this.position, this.end);
  }
}
