import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ActivityEntry } from '../../api/types.ts';
import { useAccount } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import { Button } from '../../ui/Button.tsx';
import { RelativeTime } from '../../ui/RelativeTime.tsx';
import { Banner, EmptyState, ErrorState, LoadingState, useErrorMessage } from '../../ui/states.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';
import { formatDay, formatRange } from '../history/history-format.ts';
import { addDays, dayKeyOf, guardianTimeZone } from '../history/history-range.ts';
import {
  describeEntry,
  detailOf,
  groupByDay,
  isMine,
  type KnownPerson,
  type Wording,
} from './activity-entry.ts';
import './activity.css';

const PAGE_SIZE = 50;

const KIND_ICON: Record<ActivityEntry['kind'], string> = {
  locateNow: '📍',
  command: '⌚',
  settingChanged: '⚙️',
  historyViewed: '◎',
  historyExported: '⤓',
  guardianAdded: '➕',
  guardianRemoved: '➖',
  guardianLeft: '🚪',
  adminChanged: '⭐',
  invitationSent: '✉️',
  invitationRevoked: '✖',
  childProfileChanged: '🧒',
  photoRequested: '📷',
};

interface Log {
  readonly entries: readonly ActivityEntry[];
  readonly nextBefore: number | null;
  readonly people: readonly KnownPerson[];
}

/**
 * Who did what to the watch, newest first and grouped by day. Every guardian reads the same
 * log, so nothing is done to a child's watch unseen.
 */
export default function ActivityScreen({ watchId }: { readonly watchId: string }) {
  const { t, i18n } = useTranslation('activity');
  const account = useAccount();
  const errorMessage = useErrorMessage();
  const [timeZone] = useState(guardianTimeZone);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const log = useResource<Log>(
    async (signal) => {
      const [page, people] = await Promise.all([
        api.get('/api/v1/watches/{watchId}/activity', {
          path: { watchId },
          query: { limit: PAGE_SIZE },
          signal,
        }),
        // Only to name guardians without a nickname by their number; the log reads without it.
        api
          .get('/api/v1/watches/{watchId}/guardians', { path: { watchId }, signal })
          .then((answer) => answer.guardians)
          .catch(() => []),
      ]);
      return { entries: page.entries, nextBefore: page.nextBefore, people };
    },
    [watchId],
  );
  const locale = currentLocale();
  const wording: Wording = {
    t: (key, values) => t(key, values),
    has: (key) => i18n.exists(key, { ns: 'activity' }),
    formatRange: (from, to) =>
      formatRange({ fromMs: Date.parse(from), toMs: Date.parse(to) }, locale, timeZone),
    myAccountId: account.id,
    people: log.data?.people ?? [],
  };

  const loadMore = async (before: number) => {
    setIsLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.get('/api/v1/watches/{watchId}/activity', {
        path: { watchId },
        query: { before, limit: PAGE_SIZE },
      });
      log.setData((data) => ({
        ...data,
        entries: [...data.entries, ...page.entries],
        nextBefore: page.nextBefore,
      }));
    } catch (error) {
      setMoreError(error);
    } finally {
      setIsLoadingMore(false);
    }
  };

  const today = dayKeyOf(Date.now(), timeZone);
  const dayTitle = (day: string) => {
    if (day === today) return t('day.today');
    if (day === addDays(today, -1)) return t('day.yesterday');
    return formatDay(day, locale, timeZone);
  };

  let content;
  if (log.status === 'error' && log.data === undefined) {
    content = <ErrorState error={log.error} onRetry={log.reload} />;
  } else if (log.data === undefined) {
    content = <LoadingState label={t('loading')} />;
  } else if (log.data.entries.length === 0) {
    content = (
      <EmptyState icon="📜" title={t('empty.title')}>
        <p>{t('empty.body')}</p>
      </EmptyState>
    );
  } else {
    const { nextBefore } = log.data;
    content = (
      <>
        {groupByDay(log.data.entries, timeZone).map((group) => (
          <section key={group.day} className="activity__day" aria-labelledby={`day-${group.day}`}>
            <h2 id={`day-${group.day}`} className="activity__day-title">
              {dayTitle(group.day)}
            </h2>
            <ul className="list">
              {group.entries.map((entry) => {
                const detail = detailOf(entry, wording.t);
                return (
                  <li
                    key={entry.id}
                    className={`activity__entry${isMine(entry, account.id) ? ' activity__entry--mine' : ''}`}
                    data-kind={entry.kind}
                  >
                    <span className="activity__icon" aria-hidden="true">
                      {KIND_ICON[entry.kind]}
                    </span>
                    <div className="activity__body">
                      <p className="activity__sentence">{describeEntry(entry, wording)}</p>
                      {detail === null ? null : <p className="small muted">{detail}</p>}
                      <p className="small muted activity__when">
                        <RelativeTime at={entry.at} />
                        <span aria-hidden="true"> · </span>
                        <span>{formatDateTime(entry.at, locale)}</span>
                      </p>
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
        {moreError === null ? null : <Banner tone="error">{errorMessage(moreError)}</Banner>}
        {nextBefore === null ? (
          <p className="small muted activity__end">{t('end')}</p>
        ) : (
          <div className="activity__more">
            <Button busy={isLoadingMore} onClick={() => void loadMore(nextBefore)}>
              {t('loadMore')}
            </Button>
          </div>
        )}
      </>
    );
  }

  return (
    <div className="activity">
      <div className="page-header">
        <h1>{t('title')}</h1>
        <Button
          size="small"
          variant="ghost"
          onClick={log.reload}
          busy={log.status === 'loading' && log.data !== undefined}
        >
          {t('refresh')}
        </Button>
      </div>
      <Banner>
        <strong>{t('intro.title')}</strong> {t('intro.body')}
      </Banner>
      {log.status === 'error' && log.data !== undefined ? (
        <Banner tone="error">{errorMessage(log.error)}</Banner>
      ) : null}
      {content}
    </div>
  );
}
