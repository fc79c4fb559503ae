import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccount, useSession } from '../../app/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { DemoBanner } from './DemoBanner.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { NotificationsSection } from './NotificationsSection.tsx';
import { PasswordSection } from './PasswordSection.tsx';
import { ProfileSection } from './ProfileSection.tsx';
import { SessionsSection } from './SessionsSection.tsx';
import './account.css';

/** The guardian's own account: profile, language, notifications, password, devices. */
export default function AccountScreen() {
  const { t } = useTranslation('account');
  const { signOut } = useSession();
  const account = useAccount();
  const [isLeaving, setIsLeaving] = useState(false);
  return (
    <div className="account">
      <div className="page-header">
        <h1>{t('title')}</h1>
      </div>
      <DemoBanner />
      <ProfileSection />
      <section className="card" aria-labelledby="language-title">
        <h2 id="language-title" className="visually-hidden">
          {t('common:language.label')}
        </h2>
        <LanguageSwitch />
        <p className="small muted account-note">{t('languageHint')}</p>
      </section>
      <NotificationsSection />
      {/* A demo account has no number to log in with, so a password would never be used. */}
      {account.isDemo ? null : <PasswordSection />}
      <SessionsSection />
      <section className="card" aria-labelledby="logout-title">
        <h2 id="logout-title">{t('logout.title')}</h2>
        <p className="small muted">{t('logout.explain')}</p>
        <Button
          busy={isLeaving}
          onClick={() => {
            setIsLeaving(true);
            signOut().catch(() => {
              // Already logged out on the server (or it is unreachable): the login shows anyway.
            });
          }}
        >
          <span aria-hidden="true">↩</span>
          {t('logout.button')}
        </Button>
      </section>
    </div>
  );
}
