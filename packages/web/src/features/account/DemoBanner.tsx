import { useTranslation } from 'react-i18next';
import { useAccount } from '../../app/session.tsx';
import { currentLocale } from '../../i18n/i18n.ts';
import { useNow } from '../../ui/RelativeTime.tsx';
import { Banner } from '../../ui/states.tsx';
import { minutesUntil } from './demo-expiry.ts';

/** Says plainly that this is a throw-away demo family, and when it is deleted. */
export function DemoBanner() {
  const { t } = useTranslation('account');
  const account = useAccount();
  const now = useNow(30_000);
  if (!account.isDemo) return null;
  const expiresAt = account.demoExpiresAt;
  if (expiresAt === null) {
    return <Banner tone="warn">{t('demo.noEnd')}</Banner>;
  }
  const time = new Intl.DateTimeFormat(currentLocale(), {
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(expiresAt));
  const minutes = minutesUntil(expiresAt, now);
  return (
    <Banner tone="warn">
      <strong>
        <span aria-hidden="true">🧪 </span>
        {t('demo.title')}
      </strong>{' '}
      {minutes > 0 ? t('demo.endsAt', { time, minutes }) : t('demo.endingNow')}
    </Banner>
  );
}
