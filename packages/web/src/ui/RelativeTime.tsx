import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n/i18n.ts';
import { formatAge, formatDateTime } from './relative-time.ts';

/** Re-renders every `intervalMs` so that ages stay true while the screen is open. */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, intervalMs);
    return () => {
      clearInterval(timer);
    };
  }, [intervalMs]);
  return now;
}

/** "3 min ago", with the full date and time for hover and screen readers. */
export function RelativeTime({ at }: { readonly at: string }) {
  useTranslation();
  const now = useNow();
  const locale = currentLocale();
  const full = formatDateTime(at, locale);
  return (
    <time dateTime={at} title={full}>
      {formatAge(now - Date.parse(at), locale)}
    </time>
  );
}
