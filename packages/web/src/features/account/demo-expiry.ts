/** Minutes until a demo family is deleted, rounded up; 0 once it is due. */
export function minutesUntil(expiresAtIso: string, nowMs: number): number {
  const left = Date.parse(expiresAtIso) - nowMs;
  if (!Number.isFinite(left) || left <= 0) return 0;
  return Math.ceil(left / 60_000);
}
