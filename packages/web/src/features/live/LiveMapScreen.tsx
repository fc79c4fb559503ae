import { useTranslation } from 'react-i18next';
import { Link } from '../../app/router.tsx';
import { useWatches, watchName } from '../../app/watches.tsx';
import { initialOf, zoomForAccuracy } from '../../map/position-display.ts';
import { MapView } from '../../map/MapView.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states.tsx';
import { isPlaced, newerFix } from './fix.ts';
import { useLatestFix } from './latest-fix.ts';
import { LiveMap } from './LiveMap.tsx';
import './live.css';

/** Where one watch is now, on a full-bleed map, moving as its positions arrive. */
export default function LiveMapScreen({ watchId }: { readonly watchId: string }) {
  const { t } = useTranslation('live');
  const { watches, find, reload } = useWatches();
  const latest = useLatestFix(watchId);
  const watch = find(watchId);

  if (watch === undefined) {
    if (watches.status === 'error') return <ErrorState error={watches.error} onRetry={reload} />;
    if (watches.status === 'loading') return <LoadingState label={t('loading')} />;
    return (
      <EmptyState
        icon="⌚"
        title={t('notFound.title')}
        action={
          <Link to="/" className="btn">
            {t('notFound.back')}
          </Link>
        }
      >
        {t('notFound.body')}
      </EmptyState>
    );
  }
  if (latest.data === undefined) {
    if (latest.status === 'error') {
      return <ErrorState error={latest.error} onRetry={latest.reload} />;
    }
    return (
      <div className="map-page live-map live-map--loading">
        <LoadingState rows={1} label={t('loading')} />
      </div>
    );
  }
  // A live fix heard before the map opened may be newer than the server's answer.
  const heard = watch.livePosition && isPlaced(watch.livePosition) ? watch.livePosition : undefined;
  const initial = newerFix(latest.data.fix ?? undefined, heard) ?? null;
  const placed = initial !== null && isPlaced(initial) ? initial : null;
  const name = watchName(watch);
  return (
    <MapView
      className="map-page live-map"
      label={t('mapLabel', { name })}
      {...(placed
        ? {
            center: [placed.latitude, placed.longitude] as const,
            zoom: zoomForAccuracy(placed.accuracyMeters),
          }
        : {})}
    >
      <LiveMap
        watch={watch}
        initial={initialOf(name)}
        initialFix={placed}
        isInitiallyStale={placed === latest.data.fix && latest.data.isStale}
      />
    </MapView>
  );
}
