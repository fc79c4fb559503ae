import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import type { Alert } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useStreamMessages } from '../../app/stream.tsx';
import { useResource } from '../../app/use-resource.ts';
import { useWatches, watchName } from '../../app/watches.tsx';
import { Button } from '../../ui/Button.tsx';
import { EmptyState, ErrorState, LoadingState, useErrorMessage } from '../../ui/states.tsx';
import { AlertItem } from './AlertItem.tsx';
import {
  ALERT_PAGE_SIZE,
  applyAlertMessage,
  feedOf,
  mergeFeeds,
  nextCursor,
  openCount,
  withAlerts,
  type AlertFeed,
} from './alert-feed.ts';
import { useGuardianNames } from './use-guardian-names.ts';
import './alerts.css';

type Filter = 'open' | 'all';

const keyOf = (alert: Pick<Alert, 'watchId' | 'id'>) => `${alert.watchId}:${alert.id}`;

async function firstPages(watchIds: readonly string[], signal: AbortSignal): Promise<AlertFeed[]> {
  return Promise.all(
    watchIds.map(async (watchId) => {
      const { alerts } = await api.get('/api/v1/watches/{watchId}/alerts', {
        path: { watchId },
        query: { limit: ALERT_PAGE_SIZE },
        signal,
      });
      return feedOf(watchId, alerts, ALERT_PAGE_SIZE);
    }),
  );
}

/**
 * The alerts inbox: one watch's alerts, or every watch's merged, newest first, kept current by
 * the live stream. Unacknowledged alerts stand out and can be acknowledged here; acknowledged
 * ones say by whom.
 */
export default function AlertsScreen({ watchId }: { readonly watchId?: string }) {
  const { t } = useTranslation('alerts');
  const { watches, find } = useWatches();
  const watchIds = useMemo(
    () => (watchId === undefined ? (watches.data ?? []).map((watch) => watch.id) : [watchId]),
    [watchId, watches.data],
  );
  const idsKey = watchIds.join(',');
  const isWaitingForWatches = watchId === undefined && watches.data === undefined;
  const feeds = useResource<readonly AlertFeed[]>(
    (signal) =>
      isWaitingForWatches ? new Promise<never>(() => undefined) : firstPages(watchIds, signal),
    [idsKey, isWaitingForWatches],
  );
  const { setData } = feeds;
  useStreamMessages((message) => {
    if (message.type === 'alert') setData((list) => applyAlertMessage(list, message));
  });
  const [filter, setFilter] = useState<Filter>('all');
  const { nameOf } = useGuardianNames(watchIds);
  const account = useAccount();
  const errorMessage = useErrorMessage();
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [notes, setNotes] = useState<ReadonlyMap<string, string>>(new Map());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [isLoadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);

  const whoAcknowledged = (alert: Alert): string | undefined => {
    if (alert.acknowledgedBy === null) return undefined;
    if (alert.acknowledgedBy === account.id) return t('state.you');
    return nameOf(alert.watchId, alert.acknowledgedBy);
  };

  const childNameOf = (id: string) => {
    const watch = find(id);
    return watch === undefined ? t('childUnknown') : watchName(watch);
  };

  const acknowledge = async (alert: Alert) => {
    const key = keyOf(alert);
    setBusy((previous) => new Set(previous).add(key));
    setErrors((previous) => withoutKey(previous, key));
    try {
      const { alert: answer } = await api.post(
        '/api/v1/watches/{watchId}/alerts/{alertId}/acknowledge',
        { path: { watchId: alert.watchId, alertId: alert.id } },
      );
      setData((list) => updateFeed(list, alert.watchId, (feed) => withAlerts(feed, [answer])));
      if (answer.acknowledgedBy !== null && answer.acknowledgedBy !== account.id) {
        const name = nameOf(answer.watchId, answer.acknowledgedBy) ?? t('state.someone');
        setNotes((previous) => new Map(previous).set(key, t('state.alreadyBy', { name })));
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        // Someone else was first: read the list again to show who.
        feeds.reload();
      } else {
        setErrors((previous) => new Map(previous).set(key, errorMessage(error)));
      }
    } finally {
      setBusy((previous) => {
        const next = new Set(previous);
        next.delete(key);
        return next;
      });
    }
  };

  const loadOlder = async () => {
    const list = feeds.data ?? [];
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const pages = await Promise.all(
        list.map(async (feed) => {
          const before = nextCursor(feed);
          if (before === undefined) return undefined;
          const { alerts } = await api.get('/api/v1/watches/{watchId}/alerts', {
            path: { watchId: feed.watchId },
            query: { before, limit: ALERT_PAGE_SIZE },
          });
          return { watchId: feed.watchId, alerts };
        }),
      );
      setData((current) =>
        pages.reduce(
          (next, page) =>
            page === undefined
              ? next
              : updateFeed(next, page.watchId, (feed) => ({
                  ...withAlerts(feed, page.alerts),
                  hasMore: page.alerts.length >= ALERT_PAGE_SIZE,
                })),
          current,
        ),
      );
    } catch (error) {
      setOlderError(error);
    } finally {
      setLoadingOlder(false);
    }
  };

  const title = watchId === undefined ? t('title') : t('titleFor', { name: childNameOf(watchId) });
  const header = (
    <header className="page-header">
      <h1>{title}</h1>
    </header>
  );

  if (watchId === undefined && watches.status === 'ready' && watches.data.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          icon="🔔"
          title={t('empty.title')}
          action={
            <Link to="/bind" className="btn btn--primary">
              {t('nav.bind', { ns: 'common' })}
            </Link>
          }
        >
          {t('noWatches')}
        </EmptyState>
      </>
    );
  }
  if (watchId === undefined && watches.status === 'error' && watches.data === undefined) {
    return (
      <>
        {header}
        <ErrorState error={watches.error} />
      </>
    );
  }
  if (feeds.data === undefined) {
    return (
      <>
        {header}
        {feeds.status === 'error' ? (
          <ErrorState error={feeds.error} onRetry={feeds.reload} />
        ) : (
          <LoadingState rows={4} />
        )}
      </>
    );
  }

  const merged = mergeFeeds(feeds.data, filter === 'open');
  const open = openCount(feeds.data);
  return (
    <>
      {header}
      <div className="alerts-toolbar">
        <div className="segmented" role="group" aria-label={t('filter.label')}>
          {(['all', 'open'] as const).map((value) => (
            <button
              key={value}
              type="button"
              className="segmented__option"
              aria-pressed={filter === value}
              onClick={() => {
                setFilter(value);
              }}
            >
              {t(`filter.${value}`)}
              {value === 'open' && open > 0 ? (
                <span className="segmented__count" aria-hidden="true">
                  {open}
                </span>
              ) : null}
            </button>
          ))}
        </div>
        <p className="small muted alerts-toolbar__count" role="status">
          {open > 0 ? t('openCount', { count: open }) : null}
        </p>
      </div>
      {feeds.status === 'error' ? <ErrorState error={feeds.error} onRetry={feeds.reload} /> : null}
      {merged.alerts.length === 0 && !merged.hasMore ? (
        filter === 'open' ? (
          <EmptyState icon="✓" title={t('emptyOpen.title')}>
            {t('emptyOpen.body')}
          </EmptyState>
        ) : (
          <EmptyState icon="🔔" title={t('empty.title')}>
            {t('empty.body')}
          </EmptyState>
        )
      ) : (
        <ul className="list alert-list" aria-label={title}>
          {merged.alerts.map((alert) => (
            <AlertItem
              key={keyOf(alert)}
              alert={alert}
              childName={childNameOf(alert.watchId)}
              acknowledgedByName={whoAcknowledged(alert)}
              isAcknowledging={busy.has(keyOf(alert))}
              note={notes.get(keyOf(alert))}
              error={errors.get(keyOf(alert))}
              onAcknowledge={() => {
                void acknowledge(alert);
              }}
            />
          ))}
        </ul>
      )}
      {merged.hasMore ? (
        <div className="alerts-more">
          {olderError === null ? null : <ErrorState error={olderError} />}
          <Button busy={isLoadingOlder} onClick={() => void loadOlder()}>
            {t('loadOlder')}
          </Button>
        </div>
      ) : null}
    </>
  );
}

function withoutKey(map: ReadonlyMap<string, string>, key: string): ReadonlyMap<string, string> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

function updateFeed(
  feeds: readonly AlertFeed[],
  watchId: string,
  update: (feed: AlertFeed) => AlertFeed,
): readonly AlertFeed[] {
  return feeds.map((feed) => (feed.watchId === watchId ? update(feed) : feed));
}
