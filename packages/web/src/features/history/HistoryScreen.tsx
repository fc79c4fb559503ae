import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useResource } from '../../app/use-resource.ts';
import { ErrorState, LoadingState } from '../../ui/states.tsx';
import { guardianTimeZone, periodRange, dayKeyOf, type Period } from './history-range.ts';
import { PeriodBar } from './PeriodBar.tsx';
import { TrackHistory } from './TrackHistory.tsx';
import { ZoneOnlyHistory } from './ZoneOnlyHistory.tsx';
import './history.css';

/**
 * A watch's history: one day (or a chosen range) drawn on the map with playback, as a list
 * for keyboards and screen readers, and as GPX or GeoJSON files. A zone-only watch keeps no
 * trail, so it shows its arrivals and departures instead.
 */
export default function HistoryScreen({ watchId }: { readonly watchId: string }) {
  const { t } = useTranslation('history');
  const [timeZone] = useState(guardianTimeZone);
  const [period, setPeriod] = useState<Period>(() => ({
    kind: 'day',
    day: dayKeyOf(Date.now(), timeZone),
  }));
  const zoneOnly = useResource(
    async (signal) =>
      (await api.get('/api/v1/watches/{watchId}/zone-only', { path: { watchId }, signal }))
        .isZoneOnly,
    [watchId],
  );
  const range = periodRange(period, timeZone);
  let body;
  if (zoneOnly.status === 'error') {
    body = (
      <div className="history__scroll">
        <ErrorState error={zoneOnly.error} onRetry={zoneOnly.reload} />
      </div>
    );
  } else if (zoneOnly.data === undefined) {
    body = (
      <div className="history__scroll">
        <LoadingState label={t('loading')} />
      </div>
    );
  } else if (zoneOnly.data) {
    body = <ZoneOnlyHistory watchId={watchId} range={range} timeZone={timeZone} />;
  } else {
    body = <TrackHistory watchId={watchId} range={range} timeZone={timeZone} />;
  }
  return (
    <div className="map-page history">
      <h1 className="visually-hidden">{t('title')}</h1>
      <PeriodBar period={period} timeZone={timeZone} onChange={setPeriod} />
      {body}
    </div>
  );
}
