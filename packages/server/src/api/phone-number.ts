import { DomainError } from '@kinwatch/core';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface MobileNumber {
  /** E.164. */
  readonly e164: string;
  /** ISO 3166 alpha-2, when the number's region is known. */
  readonly region: string | undefined;
}

/** Types of number that can receive an SMS (many countries do not tell fixed from mobile). */
const SMS_CAPABLE = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER']);

/**
 * Parses a mobile number written in international form (`+44 7700 900123`, spaces and dashes
 * allowed) with the full numbering-plan metadata; throws DomainError `invalidPhone` for anything
 * that is not a valid number able to receive SMS.
 */
export function parseMobileNumber(text: string, field = 'phone'): MobileNumber {
  const trimmed = text.trim();
  const parsed = trimmed.startsWith('+') ? parsePhoneNumberFromString(trimmed) : undefined;
  if (parsed === undefined || !parsed.isValid()) {
    throw new DomainError(
      'invalid',
      'invalidPhone',
      `${field}: not a valid phone number; write it in international form, starting with + and the country code.`,
    );
  }
  const type = parsed.getType();
  if (type !== undefined && !SMS_CAPABLE.has(type)) {
    throw new DomainError(
      'invalid',
      'invalidPhone',
      `${field}: not a mobile number; codes are sent by SMS.`,
    );
  }
  return { e164: parsed.number, region: parsed.country };
}
