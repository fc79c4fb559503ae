import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../i18n/i18n.ts';
import { formatDateTime } from '../../ui/relative-time.ts';

/** "valid until 7 Jan 2026, 10:00": an invitation's expiry, a time still to come. */
export function ExpiryTime({ at }: { readonly at: string }) {
  const { t } = useTranslation('family');
  return (
    <time dateTime={at}>
      {t('invitations.validUntil', { date: formatDateTime(at, currentLocale()) })}
    </time>
  );
}
