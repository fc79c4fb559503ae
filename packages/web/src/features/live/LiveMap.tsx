import L from 'leaflet';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClientConfig } from '../../app/client-config.tsx';
import { useStreamMessages } from '../../app/stream.tsx';
import { watchName, type LiveWatch } from '../../app/watches.tsx';
import { useMap } from '../../map/MapView.tsx';
import { zoomForAccuracy } from '../../map/position-display.ts';
import { useNow } from '../../ui/RelativeTime.tsx';
import { ChildMarkerLayer } from './child-marker-layer.ts';
import { isFixStale, isPlaced, livePositionFor, type PlacedFix } from './fix.ts';
import { LiveCard } from './LiveCard.tsx';

/**
 * The child's marker and the card over the map. A live position moves the marker in the
 * stream's message event itself; React renders the card's text afterwards.
 */
export function LiveMap({
  watch,
  initial,
  initialFix,
  isInitiallyStale,
}: {
  readonly watch: LiveWatch;
  readonly initial: string;
  readonly initialFix: PlacedFix | null;
  readonly isInitiallyStale: boolean;
}) {
  const { t } = useTranslation('live');
  const map = useMap();
  const { locationStaleAfterSeconds } = useClientConfig();
  const [fix, setFix] = useState<PlacedFix | null>(initialFix);
  const fixRef = useRef(fix);
  const layerRef = useRef<ChildMarkerLayer | null>(null);
  const overlayRef = useRef<HTMLDivElement>(null);
  const followingRef = useRef(true);
  const [isFollowing, setFollowing] = useState(true);
  const now = useNow(5_000);
  const isStale =
    fix !== null &&
    (isFixStale(fix, now, locationStaleAfterSeconds) || (fix === initialFix && isInitiallyStale));
  const isStaleRef = useRef(isStale);
  isStaleRef.current = isStale;
  const name = watchName(watch);

  /** Puts the child in the middle of the part of the map the card does not cover. */
  const centreOn = useCallback(
    (at: L.LatLng, zoom: number, animate: boolean) => {
      if (!map) return;
      const cardHeight = overlayRef.current?.offsetHeight ?? 0;
      const shifted = map.unproject(map.project(at, zoom).add([0, cardHeight / 2]), zoom);
      map.setView(shifted, zoom, { animate });
    },
    [map],
  );

  const stopFollowing = useCallback(() => {
    if (!followingRef.current) return;
    followingRef.current = false;
    setFollowing(false);
  }, []);

  useEffect(() => {
    if (!map) return;
    const layer = new ChildMarkerLayer(map, initial, t('markerLabel', { name }));
    layerRef.current = layer;
    const current = fixRef.current;
    if (current) {
      layer.show(current, isStaleRef.current);
      centreOn(L.latLng(current.latitude, current.longitude), map.getZoom(), false);
    }
    map.attributionControl.setPosition('topright');
    const onKey = (event: KeyboardEvent) => {
      if (event.key.startsWith('Arrow')) stopFollowing();
    };
    map.on('dragstart', stopFollowing);
    const container = map.getContainer();
    container.addEventListener('keydown', onKey);
    return () => {
      map.off('dragstart', stopFollowing);
      container.removeEventListener('keydown', onKey);
      layer.remove();
      layerRef.current = null;
    };
    // The layer is made once per map; its label follows the name it had then.
  }, [map]);

  useEffect(() => {
    layerRef.current?.setStale(isStale);
  }, [isStale]);

  useStreamMessages((message) => {
    const live = livePositionFor(message, watch.id);
    if (live === null || !isPlaced(live)) return;
    const current = fixRef.current;
    if (current !== null && Date.parse(live.recordedAt) < Date.parse(current.recordedAt)) return;
    const layer = layerRef.current;
    if (layer && map) {
      const wasShown = layer.isShown;
      layer.show(live, isFixStale(live, Date.now(), locationStaleAfterSeconds));
      const at = L.latLng(live.latitude, live.longitude);
      if (!wasShown) centreOn(at, zoomForAccuracy(live.accuracyMeters), false);
      else if (followingRef.current) centreOn(at, map.getZoom(), true);
    }
    fixRef.current = live;
    setFix(live);
  });

  const centreOnChild = () => {
    const current = fixRef.current;
    if (!map || !current) return;
    followingRef.current = true;
    setFollowing(true);
    const zoom = Math.max(map.getZoom(), zoomForAccuracy(current.accuracyMeters) - 1);
    centreOn(L.latLng(current.latitude, current.longitude), zoom, true);
  };

  return (
    <LiveCard
      ref={overlayRef}
      watch={watch}
      fix={fix}
      isStale={isStale}
      isFollowing={isFollowing}
      onCentre={centreOnChild}
      onOwnPositionShown={stopFollowing}
      childAt={() => layerRef.current?.latLng() ?? null}
    />
  );
}
