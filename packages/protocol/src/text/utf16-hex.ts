/**
 * Human-readable strings (phonebook names, text messages, city names) travel as UTF-16BE code
 * units written as hex, four digits per unit and no separators: "好123" is 597D003100320033.
 */

/** Encodes text as upper-case UTF-16BE hex. Surrogate pairs are kept as two code units. */
export function toUtf16Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    out += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/**
 * Decodes UTF-16BE hex (either case). Returns undefined when the input is not a whole number of
 * four-digit hex groups.
 */
export function fromUtf16Hex(hex: string): string | undefined {
  if (hex.length % 4 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const units: number[] = [];
  for (let i = 0; i < hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}
