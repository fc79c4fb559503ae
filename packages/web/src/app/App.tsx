import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadingState } from '../ui/states.tsx';
import { AppShell } from './AppShell.tsx';
import { ClientConfigProvider } from './client-config.tsx';
import { RouterProvider, useRouter } from './router.tsx';
import type { RouteMatch } from './routes.ts';
import { SessionProvider, useSession } from './session.tsx';
import { StreamProvider } from './stream.tsx';
import { WatchesProvider } from './watches.tsx';

// Each screen is its own chunk: the first screen loads only what it shows.
const LoginScreen = lazy(() => import('../features/auth/LoginScreen.tsx'));
const WatchesScreen = lazy(() => import('../features/watches/WatchesScreen.tsx'));
const LiveMapScreen = lazy(() => import('../features/live/LiveMapScreen.tsx'));
const HistoryScreen = lazy(() => import('../features/history/HistoryScreen.tsx'));
const ZonesScreen = lazy(() => import('../features/zones/ZonesScreen.tsx'));
const AlertsScreen = lazy(() => import('../features/alerts/AlertsScreen.tsx'));
const ActivityScreen = lazy(() => import('../features/activity/ActivityScreen.tsx'));
const FamilyScreen = lazy(() => import('../features/family/FamilyScreen.tsx'));
const InvitationScreen = lazy(() => import('../features/family/InvitationScreen.tsx'));
const BindScreen = lazy(() => import('../features/bind/BindScreen.tsx'));
const AccountScreen = lazy(() => import('../features/account/AccountScreen.tsx'));
const NotFoundScreen = lazy(() => import('./NotFoundScreen.tsx'));
const SosTakeover = lazy(() => import('../features/alerts/SosTakeover.tsx'));

function screenFor(match: RouteMatch): ReactNode {
  switch (match.name) {
    case 'login':
    case 'watches':
      return <WatchesScreen />;
    case 'alerts':
      return <AlertsScreen />;
    case 'bind':
      return <BindScreen />;
    case 'account':
      return <AccountScreen />;
    case 'invitation':
      return <InvitationScreen />;
    case 'watchMap':
      return <LiveMapScreen watchId={match.watchId} />;
    case 'watchHistory':
      return <HistoryScreen watchId={match.watchId} />;
    case 'watchZones':
      return <ZonesScreen watchId={match.watchId} />;
    case 'watchAlerts':
      return <AlertsScreen watchId={match.watchId} />;
    case 'watchActivity':
      return <ActivityScreen watchId={match.watchId} />;
    case 'watchFamily':
      return <FamilyScreen watchId={match.watchId} />;
    case 'notFound':
      return <NotFoundScreen />;
  }
}

function Screens() {
  const { t } = useTranslation();
  const { state } = useSession();
  const { match } = useRouter();
  if (state.status === 'checking') {
    return <LoadingState label={t('state.starting')} />;
  }
  if (state.status === 'signedOut') {
    return (
      <Suspense fallback={<LoadingState />}>
        <LoginScreen />
      </Suspense>
    );
  }
  return (
    <StreamProvider>
      <WatchesProvider>
        <AppShell match={match}>
          <Suspense fallback={<LoadingState />}>{screenFor(match)}</Suspense>
        </AppShell>
        <Suspense fallback={null}>
          <SosTakeover />
        </Suspense>
      </WatchesProvider>
    </StreamProvider>
  );
}

export function App() {
  return (
    <ClientConfigProvider>
      <RouterProvider>
        <SessionProvider>
          <Screens />
        </SessionProvider>
      </RouterProvider>
    </ClientConfigProvider>
  );
}
