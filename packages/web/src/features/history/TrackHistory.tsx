import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import { useResource } from '../../app/use-resource.ts';
import { useWatches, watchName } from '../../app/watches.tsx';
import { MapView } from '../../map/MapView.tsx';
import { Button } from '../../ui/Button.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states.tsx';
import { HistoryFooter } from './HistoryFooter.tsx';
import type { TimeRange } from './history-range.ts';
import { PlaybackPanel } from './PlaybackPanel.tsx';
import { PositionList } from './PositionList.tsx';
import { trackPointsOf } from './track-playback.ts';
import { TrackLayers } from './TrackLayers.tsx';
import { usePlayback } from './use-playback.ts';

/** The trail of a range: on the map with playback, or as a list of every position. */
export function TrackHistory({
  watchId,
  range,
  timeZone,
}: {
  readonly watchId: string;
  readonly range: TimeRange;
  readonly timeZone: string;
}) {
  const { t } = useTranslation('history');
  const { find } = useWatches();
  const watch = find(watchId);
  const childName = watch ? watchName(watch) : '';
  const [isList, setIsList] = useState(false);
  const from = new Date(range.fromMs).toISOString();
  const to = new Date(range.toMs).toISOString();
  const track = useResource(
    (signal) =>
      api.get('/api/v1/watches/{watchId}/track', {
        path: { watchId },
        query: { from, to },
        signal,
      }),
    [watchId, from, to],
  );
  const points = useMemo(() => trackPointsOf(track.data?.points ?? []), [track.data]);
  const playback = usePlayback(points);
  const isCurrent = track.status === 'ready';

  let content;
  if (isList) {
    content = (
      <PositionList
        watchId={watchId}
        range={range}
        timeZone={timeZone}
        onShowOnMap={(atMs) => {
          playback.seek(atMs);
          setIsList(false);
        }}
      />
    );
  } else if (track.status === 'error') {
    const isTooMany = track.error instanceof ApiError && track.error.code === 'tooManyPositions';
    content = (
      <div className="history__scroll">
        {isTooMany ? (
          <EmptyState icon="🗂️" title={t('tooManyPositions')} />
        ) : (
          <ErrorState error={track.error} onRetry={track.reload} />
        )}
      </div>
    );
  } else if (!isCurrent) {
    content = (
      <div className="history__scroll">
        <LoadingState label={t('loadingTrack')} />
      </div>
    );
  } else if (points.length === 0) {
    content = (
      <div className="history__scroll">
        <EmptyState icon="🗺️" title={t('empty.title')}>
          <p>{range.toMs > Date.now() ? t('empty.today') : t('empty.body')}</p>
        </EmptyState>
      </div>
    );
  } else {
    content = (
      <>
        <MapView
          className="history__map"
          label={t('mapLabel', { name: childName })}
          center={[points[0]?.latitude ?? 0, points[0]?.longitude ?? 0]}
          zoom={15}
        >
          <TrackLayers points={points} place={playback.place} childName={childName} />
        </MapView>
        <PlaybackPanel
          points={points}
          playback={playback}
          timeZone={timeZone}
          sourcePoints={track.data.sourcePoints}
        />
      </>
    );
  }

  return (
    <>
      {content}
      <HistoryFooter watchId={watchId} range={range}>
        <Button
          size="small"
          aria-pressed={isList}
          onClick={() => {
            setIsList((value) => !value);
          }}
        >
          <span aria-hidden="true">{isList ? '🗺️' : '☰'}</span>
          {isList ? t('view.map') : t('view.list')}
        </Button>
      </HistoryFooter>
    </>
  );
}
