/**
 * The login screen's rules that need no browser: how a typed number is sent, when a code may be
 * asked for again, and where a guardian lands after logging in.
 */

/** Seconds a guardian waits before asking for another code (the server limits codes too). */
export const RESEND_AFTER_SECONDS = 60;

/**
 * The number as the server takes it: international form. A leading `00` (how many countries
 * dial abroad) becomes `+`; spaces, dashes, dots and brackets stay out of the way.
 */
export function normalizePhoneInput(text: string): string {
  const compact = text.trim().replace(/[\s\-.()]/g, '');
  if (compact.startsWith('00')) return `+${compact.slice(2)}`;
  return compact;
}

/** Whether a normalized number is worth sending: `+`, then 7 to 15 digits (E.164). */
export function isInternationalNumber(normalized: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(normalized);
}

/** Whether a typed code is six digits (the only kind the server sends). */
export function isSixDigitCode(text: string): boolean {
  return /^\d{6}$/.test(text);
}

/** Keeps the digits of what was typed or pasted into a code field, at most six. */
export function codeDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, 6);
}

/** Whole seconds left until `untilMs`, never negative. */
export function secondsLeft(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

/**
 * Where to go after logging in: the watch list from the login page or the root; `null` (stay)
 * on any other address, which was a deep link (a notification, a bookmark) the guardian wants.
 */
export function pathAfterLogin(path: string): string | null {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' || trimmed === '/login' ? '/' : null;
}

export type LoginField = 'phone' | 'code' | 'password';

const FIELD_OF_CODE: Readonly<Record<string, LoginField>> = {
  invalidPhone: 'phone',
  countryNotAllowed: 'phone',
  tooManyCodes: 'phone',
  phoneInUse: 'phone',
  invalidCode: 'code',
  invalidCredentials: 'password',
};

/**
 * The field a login error belongs under, so that it shows where the guardian is looking; null
 * for errors of the whole form (the network, the server). Too many tries belong to the code or
 * the password, whichever was being tried.
 */
export function fieldOfLoginError(error: unknown, method: 'code' | 'password'): LoginField | null {
  const { code, details } = error as {
    code?: unknown;
    details?: readonly { field: string }[];
  };
  if (typeof code !== 'string') return null;
  if (code === 'tooManyAttempts') return method;
  const field = FIELD_OF_CODE[code];
  if (field !== undefined) return field;
  if (code === 'invalidRequest') {
    const named = details?.map((detail) => detail.field.split('.')[0]);
    return named?.find((name): name is LoginField => name === 'phone' || name === method) ?? null;
  }
  return null;
}
