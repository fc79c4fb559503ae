import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useResource } from '../../app/use-resource.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Banner, EmptyState, ErrorState, LoadingState } from '../../ui/states.tsx';
import { HistoryFooter } from './HistoryFooter.tsx';
import { formatMoment } from './history-format.ts';
import type { TimeRange } from './history-range.ts';

/** A zone-only watch keeps no trail: its arrivals and departures in the range instead. */
export function ZoneOnlyHistory({
  watchId,
  range,
  timeZone,
}: {
  readonly watchId: string;
  readonly range: TimeRange;
  readonly timeZone: string;
}) {
  const { t } = useTranslation('history');
  const locale = currentLocale();
  const from = new Date(range.fromMs).toISOString();
  const to = new Date(range.toMs).toISOString();
  const events = useResource(
    async (signal) => {
      const [zoneEvents, zones] = await Promise.all([
        api.get('/api/v1/watches/{watchId}/zone-events', {
          path: { watchId },
          query: { from, to, limit: 1000 },
          signal,
        }),
        api.get('/api/v1/watches/{watchId}/zones', { path: { watchId }, signal }),
      ]);
      const names = new Map(zones.zones.map((zone) => [zone.id, zone.name]));
      // The server lists newest first; a day reads best in the order it happened.
      return zoneEvents.events
        .slice()
        .reverse()
        .map((event) => ({ ...event, zoneName: names.get(event.zoneId) ?? null }));
    },
    [watchId, from, to],
  );
  const isMultiDay = range.toMs - range.fromMs > 25 * 3_600_000;
  let content;
  if (events.status === 'error') {
    content = <ErrorState error={events.error} onRetry={events.reload} />;
  } else if (events.data === undefined) {
    content = <LoadingState label={t('zoneOnly.loading')} />;
  } else if (events.data.length === 0) {
    content = (
      <EmptyState icon="📍" title={t('zoneOnly.emptyTitle')}>
        <p>{t('zoneOnly.emptyBody')}</p>
      </EmptyState>
    );
  } else {
    content = (
      <ol className="list">
        {events.data.map((event) => {
          const zone = event.zoneName ?? t('zoneOnly.deletedZone');
          return (
            <li key={event.id} className="history__event">
              <span aria-hidden="true" className="history__event-icon">
                {event.kind === 'enter' ? '↘' : '↗'}
              </span>
              <span className="stack history__position-body">
                <strong>
                  {event.kind === 'enter'
                    ? t('zoneOnly.arrived', { zone })
                    : t('zoneOnly.left', { zone })}
                </strong>
                <time dateTime={event.at} className="muted small">
                  {formatMoment(Date.parse(event.at), locale, timeZone, isMultiDay)}
                </time>
              </span>
              {event.isBuffered ? (
                <Badge tone="info" icon="↺" title={t('point.bufferedHint')}>
                  {t('point.buffered')}
                </Badge>
              ) : null}
            </li>
          );
        })}
      </ol>
    );
  }
  return (
    <>
      <div className="history__scroll">
        <Banner>
          <strong>{t('zoneOnly.title')}</strong> {t('zoneOnly.body')}
        </Banner>
        {content}
      </div>
      <HistoryFooter watchId={watchId} range={range} canExport={false} />
    </>
  );
}
