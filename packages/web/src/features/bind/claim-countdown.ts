/** Whole seconds left until `expiresAt` (ISO), never negative. */
export function secondsLeft(expiresAt: string, nowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - nowMs) / 1000));
}

/** "9:05": minutes and seconds, for a code's countdown. */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** The SMS that points a watch of this family at a server: `pw,<password>,ip,<host>,<port>#`. */
export function serverSms(host: string, port: number, password = '123456'): string {
  return `pw,${password},ip,${host},${port}#`;
}
