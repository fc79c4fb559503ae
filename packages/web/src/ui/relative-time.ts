/**
 * "3 min ago" in the guardian's language, from the age in milliseconds. Future times (a watch
 * clock ahead of the server) read as "just now" rather than "in 2 minutes".
 */
export function formatAge(ageMs: number, locale: string): string {
  const seconds = Math.max(0, Math.round(ageMs / 1000));
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  if (seconds < 45) return format.format(0, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return format.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 36) return format.format(-hours, 'hour');
  return format.format(-Math.round(hours / 24), 'day');
}

/** A date and time for lists and tooltips, in the guardian's locale and time zone. */
export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}
