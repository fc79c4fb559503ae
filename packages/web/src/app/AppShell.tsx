import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../ui/Icon.tsx';
import { Link } from './router.tsx';
import { watchPath, type RouteMatch, type WatchTab } from './routes.ts';
import { useStreamState } from './stream.tsx';
import { useWatches, watchName } from './watches.tsx';

const WATCH_TABS: readonly { tab: WatchTab; route: RouteMatch['name']; label: string }[] = [
  { tab: '', route: 'watchMap', label: 'watchTabs.map' },
  { tab: 'history', route: 'watchHistory', label: 'watchTabs.history' },
  { tab: 'zones', route: 'watchZones', label: 'watchTabs.zones' },
  { tab: 'alerts', route: 'watchAlerts', label: 'watchTabs.alerts' },
  { tab: 'activity', route: 'watchActivity', label: 'watchTabs.activity' },
  { tab: 'family', route: 'watchFamily', label: 'watchTabs.family' },
];

function LiveIndicator() {
  const { t } = useTranslation();
  const state = useStreamState();
  if (state === 'open') {
    return (
      <span className="badge badge--ok" role="status" data-testid="stream-state" data-state="open">
        <span aria-hidden="true">●</span> {t('stream.live')}
      </span>
    );
  }
  return (
    <span className="badge badge--warn" role="status" data-testid="stream-state" data-state={state}>
      <span className="spinner" aria-hidden="true" /> {t('stream.reconnecting')}
    </span>
  );
}

/**
 * The frame of every signed-in screen: the top bar with the live-connection state, the
 * navigation (a bottom bar on phones, a side rail on wide screens), and a watch's tabs.
 */
export function AppShell({
  match,
  children,
}: {
  readonly match: RouteMatch;
  readonly children: ReactNode;
}) {
  const { t } = useTranslation();
  const { find } = useWatches();
  const watchId = 'watchId' in match ? match.watchId : undefined;
  const watch = watchId === undefined ? undefined : find(watchId);
  const title = watch ? watchName(watch) : t('appName');
  const isFullBleed =
    match.name === 'watchMap' || match.name === 'watchHistory' || match.name === 'watchZones';
  const section = watchId === undefined ? match.name : 'watches';
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        {watchId === undefined ? (
          <Link to="/" className="brand" aria-label={t('appName')}>
            <img src="/icon.svg" alt="" width="28" height="28" />
            <span>{t('appName')}</span>
          </Link>
        ) : (
          <>
            <Link
              to="/"
              className="btn btn--ghost btn--small"
              aria-label={t('action.backToWatches')}
            >
              <Icon name="back" />
            </Link>
            <span className="topbar__title">{title}</span>
          </>
        )}
        <span className="spacer" />
        <LiveIndicator />
      </header>
      <nav className="bottomnav" aria-label={t('nav.label')}>
        <Link to="/" isCurrent={section === 'watches'}>
          <Icon name="watch" />
          {t('nav.watches')}
        </Link>
        <Link to="/alerts" isCurrent={section === 'alerts'}>
          <Icon name="bell" />
          {t('nav.alerts')}
        </Link>
        <Link to="/bind" isCurrent={section === 'bind'}>
          <Icon name="plus" />
          {t('nav.bind')}
        </Link>
        <Link to="/account" isCurrent={section === 'account'}>
          <Icon name="user" />
          {t('nav.account')}
        </Link>
      </nav>
      <div>
        {watchId === undefined ? null : (
          <nav className="tabs" aria-label={t('watchTabs.label')}>
            {WATCH_TABS.map(({ tab, route, label }) => (
              <Link key={route} to={watchPath(watchId, tab)} isCurrent={match.name === route}>
                {t(label)}
              </Link>
            ))}
          </nav>
        )}
        <main id="main" className={isFullBleed ? 'main main--full' : 'main'} tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
