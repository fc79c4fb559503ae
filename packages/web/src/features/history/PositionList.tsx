import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Position } from '../../api/types.ts';
import { useResource } from '../../app/use-resource.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import { Button } from '../../ui/Button.tsx';
import { EmptyState, ErrorState, LoadingState, useErrorMessage } from '../../ui/states.tsx';
import { formatMoment } from './history-format.ts';
import type { TimeRange } from './history-range.ts';
import { PointBadges, useFixQuality } from './PointFacts.tsx';

const PAGE_SIZE = 200;

interface Page {
  readonly positions: readonly Position[];
  readonly nextCursor: string | null;
}

/** Every position of the range, oldest first, as text: the history without the map. */
export function PositionList({
  watchId,
  range,
  timeZone,
  onShowOnMap,
}: {
  readonly watchId: string;
  readonly range: TimeRange;
  readonly timeZone: string;
  readonly onShowOnMap: (atMs: number) => void;
}) {
  const { t } = useTranslation('history');
  const errorMessage = useErrorMessage();
  const quality = useFixQuality();
  const locale = currentLocale();
  const from = new Date(range.fromMs).toISOString();
  const to = new Date(range.toMs).toISOString();
  const fetchPage = (cursor: string | undefined, signal?: AbortSignal): Promise<Page> =>
    api.get('/api/v1/watches/{watchId}/positions', {
      path: { watchId },
      query: { from, to, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) },
      ...(signal ? { signal } : {}),
    });
  const first = useResource((signal) => fetchPage(undefined, signal), [watchId, from, to]);
  const [more, setMore] = useState<{ key: string; pages: Page[] }>({ key: '', pages: [] });
  const [moreError, setMoreError] = useState<unknown>(null);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const key = `${watchId}|${from}|${to}`;
  const extraPages = more.key === key ? more.pages : [];

  if (first.status === 'error') return <ErrorState error={first.error} onRetry={first.reload} />;
  if (first.data === undefined) {
    return (
      <div className="history__scroll">
        <LoadingState label={t('list.loading')} />
      </div>
    );
  }
  const pages = [first.data, ...extraPages];
  const positions = pages.flatMap((page) => page.positions);
  const nextCursor = pages.at(-1)?.nextCursor ?? null;
  const isMultiDay = range.toMs - range.fromMs > 25 * 3_600_000;
  const loadMore = async () => {
    if (nextCursor === null) return;
    setIsLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchPage(nextCursor);
      setMore({ key, pages: [...extraPages, page] });
    } catch (error) {
      setMoreError(error);
    } finally {
      setIsLoadingMore(false);
    }
  };

  return (
    <div className="history__scroll">
      <h2>{t('list.title')}</h2>
      {positions.length === 0 ? (
        <EmptyState icon="🗺️" title={t('empty.title')}>
          <p>{t('empty.body')}</p>
        </EmptyState>
      ) : (
        <>
          <p className="small muted" role="status">
            {t('list.count', { count: positions.length })}
          </p>
          <ol className="list history__positions">
            {positions.map((position, index) => {
              const atMs = Date.parse(position.recordedAt);
              const hasPlace = position.latitude !== null && position.longitude !== null;
              const isOnTrack = hasPlace && !position.flags.includes('impossibleJump');
              return (
                <li key={`${position.recordedAt}-${index}`}>
                  <div className="history__position">
                    <div className="stack history__position-body">
                      <time dateTime={position.recordedAt} className="history__position-time">
                        {formatMoment(atMs, locale, timeZone, isMultiDay)}
                      </time>
                      <span>
                        {position.source === 'none'
                          ? t('list.noFix')
                          : `${quality(position)} · ${t('list.coordinates', {
                              latitude: position.latitude?.toFixed(5) ?? '',
                              longitude: position.longitude?.toFixed(5) ?? '',
                            })}`}
                      </span>
                      <span className="row">
                        <PointBadges point={position} />
                      </span>
                    </div>
                    {isOnTrack ? (
                      <Button
                        size="small"
                        variant="ghost"
                        aria-label={t('list.showOnMapAt', {
                          time: formatMoment(atMs, locale, timeZone, true),
                        })}
                        onClick={() => {
                          onShowOnMap(atMs);
                        }}
                      >
                        {t('list.showOnMap')}
                      </Button>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ol>
        </>
      )}
      {moreError === null ? null : (
        <p className="field__error" role="alert">
          {errorMessage(moreError)}
        </p>
      )}
      {nextCursor === null ? null : (
        <div className="history__more">
          <Button busy={isLoadingMore} onClick={() => void loadMore()}>
            {t('list.loadMore')}
          </Button>
        </div>
      )}
    </div>
  );
}
