import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Session } from '../../api/types.ts';
import { useSession } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { RelativeTime } from '../../ui/RelativeTime.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';
import { Banner, ErrorState, LoadingState } from '../../ui/states.tsx';
import { useFeatureErrorMessage } from '../auth/error-message.ts';
import { describeUserAgent } from './user-agent.ts';

function DeviceName({ userAgent }: { readonly userAgent: string }) {
  const { t } = useTranslation('account');
  const { browser, system } = describeUserAgent(userAgent);
  const browserName = browser ?? t('sessions.unknownBrowser');
  if (system === null) return <>{browserName}</>;
  return <>{t('sessions.browserOn', { browser: browserName, system })}</>;
}

function SessionItem({
  session,
  isBusy,
  onLogOut,
}: {
  readonly session: Session;
  readonly isBusy: boolean;
  readonly onLogOut: () => void;
}) {
  const { t } = useTranslation('account');
  const { isMobile } = describeUserAgent(session.userAgent);
  return (
    <li className="account-session">
      <span className="account-session__icon" aria-hidden="true">
        {isMobile ? '📱' : '💻'}
      </span>
      <div className="account-session__body">
        <div className="row">
          <strong>
            <DeviceName userAgent={session.userAgent} />
          </strong>
          {session.isCurrent ? (
            <Badge tone="info" icon="●">
              {t('sessions.thisDevice')}
            </Badge>
          ) : null}
        </div>
        <div className="small muted">
          {t('sessions.lastSeen')} <RelativeTime at={session.lastSeenAt} />
          {' · '}
          <span dir="ltr">
            {session.address === '' ? t('sessions.noAddress') : session.address}
          </span>
        </div>
        <div className="small muted">
          {t('sessions.since', { date: formatDateTime(session.createdAt, currentLocale()) })}
        </div>
      </div>
      <Button size="small" variant="ghost" busy={isBusy} onClick={onLogOut}>
        {session.isCurrent ? t('sessions.logOutHere') : t('sessions.logOut')}
      </Button>
    </li>
  );
}

/** The devices logged in to the account, to spot one that should not be. */
export function SessionsSection() {
  const { t } = useTranslation('account');
  const { signOut, refresh } = useSession();
  const message = useFeatureErrorMessage('account');
  const sessions = useResource(
    (signal) => api.get('/api/v1/me/sessions', { signal }).then((result) => result.sessions),
    [],
  );
  const [busyId, setBusyId] = useState<string | null>(null);
  const [isConfirming, setIsConfirming] = useState(false);
  const [isEndingAll, setIsEndingAll] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const logOut = async (session: Session) => {
    setError(null);
    setBusyId(session.id);
    try {
      if (session.isCurrent) {
        await signOut();
        return;
      }
      await api.delete('/api/v1/me/sessions/{sessionId}', { path: { sessionId: session.id } });
      sessions.setData((list) => list.filter((item) => item.id !== session.id));
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusyId(null);
    }
  };

  const logOutEverywhere = async () => {
    setIsEndingAll(true);
    setError(null);
    try {
      await api.post('/api/v1/me/sessions/logout-everywhere');
      // This session ended too: re-reading the account finds that and shows the login.
      await refresh();
    } catch (failure) {
      setError(message(failure));
      setIsEndingAll(false);
      setIsConfirming(false);
    }
  };

  const list = sessions.data;
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      <p className="small muted">{t('sessions.explain')}</p>
      {error === null ? null : <Banner tone="error">{error}</Banner>}
      {list === undefined ? (
        sessions.status === 'error' ? (
          <ErrorState error={sessions.error} onRetry={sessions.reload} />
        ) : (
          <LoadingState rows={2} label={t('sessions.loading')} />
        )
      ) : (
        <ul className="list account-sessions">
          {[...list]
            .sort(
              (a, b) =>
                Number(b.isCurrent) - Number(a.isCurrent) ||
                Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt),
            )
            .map((session) => (
              <SessionItem
                key={session.id}
                session={session}
                isBusy={busyId === session.id}
                onLogOut={() => void logOut(session)}
              />
            ))}
        </ul>
      )}
      <div className="btn-row account-section-footer">
        <Button
          variant="danger"
          onClick={() => {
            setIsConfirming(true);
          }}
        >
          {t('sessions.everywhere')}
        </Button>
      </div>
      {isConfirming ? (
        <Dialog
          isOpen
          title={t('sessions.everywhereTitle')}
          onClose={() => {
            setIsConfirming(false);
          }}
        >
          <p>{t('sessions.everywhereBody')}</p>
          <div className="btn-row">
            <Button variant="danger" busy={isEndingAll} onClick={() => void logOutEverywhere()}>
              {t('sessions.everywhereConfirm')}
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                setIsConfirming(false);
              }}
            >
              {t('common:action.cancel')}
            </Button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
