import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMap } from '../../map/MapView.tsx';
import { Button } from '../../ui/Button.tsx';

type OwnState = 'off' | 'asking' | 'on' | 'denied' | 'unavailable';

const OWN_CIRCLE: L.CircleMarkerOptions = {
  color: '#1a73e8',
  weight: 1,
  fillColor: '#1a73e8',
  fillOpacity: 0.12,
  interactive: false,
};

/**
 * The guardian's own position on the same map. The browser is asked only when the guardian
 * presses the button, and the watch on the position stops when it is pressed again or the map
 * closes. `childAt` is where the child is, so that the first fix shows both.
 */
export function OwnPosition({
  childAt,
  onShown,
}: {
  readonly childAt: () => L.LatLng | null;
  /** Called when the map was moved to show the guardian (it no longer follows the child). */
  readonly onShown: () => void;
}) {
  const { t } = useTranslation('map');
  const { t: live } = useTranslation('live');
  const map = useMap();
  const [state, setState] = useState<OwnState>('off');
  const layers = useRef<{ marker: L.Marker; circle: L.Circle } | null>(null);
  const childAtRef = useRef(childAt);
  childAtRef.current = childAt;
  const onShownRef = useRef(onShown);
  onShownRef.current = onShown;
  const isOn = state === 'asking' || state === 'on';

  useEffect(() => {
    if (!isOn || !map) return;
    if (!('geolocation' in navigator)) {
      setState('unavailable');
      return;
    }
    let isFirst = true;
    const watchId = navigator.geolocation.watchPosition(
      (position) => {
        const at = L.latLng(position.coords.latitude, position.coords.longitude);
        const accuracy = position.coords.accuracy;
        if (layers.current === null) {
          const icon = L.divIcon({ className: 'own-marker', iconSize: [18, 18] });
          layers.current = {
            circle: L.circle(at, { ...OWN_CIRCLE, radius: accuracy }).addTo(map),
            marker: L.marker(at, {
              icon,
              interactive: false,
              keyboard: false,
              title: t('youAreHere'),
            }).addTo(map),
          };
          layers.current.marker.getElement()?.setAttribute('aria-label', t('youAreHere'));
        } else {
          layers.current.marker.setLatLng(at);
          layers.current.circle.setLatLng(at).setRadius(accuracy);
        }
        if (isFirst) {
          isFirst = false;
          onShownRef.current();
          const child = childAtRef.current();
          if (child) map.fitBounds(L.latLngBounds([child, at]), { padding: [48, 48], maxZoom: 17 });
          else map.setView(at, Math.max(map.getZoom(), 15));
        }
        setState('on');
      },
      (error) => {
        setState(error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable');
      },
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
    );
    return () => {
      navigator.geolocation.clearWatch(watchId);
      layers.current?.marker.remove();
      layers.current?.circle.remove();
      layers.current = null;
    };
  }, [isOn, map, t]);

  return (
    <div className="own-position">
      <Button
        size="small"
        variant="secondary"
        aria-pressed={isOn}
        onClick={() => {
          setState(isOn ? 'off' : 'asking');
        }}
        icon={<span aria-hidden="true" className="own-position__dot" />}
      >
        {state === 'asking' ? live('own.finding') : isOn ? t('ownPositionHide') : t('ownPosition')}
      </Button>
      {state === 'denied' || state === 'unavailable' ? (
        <p className="small own-position__error" role="alert">
          {state === 'denied'
            ? `${t('ownPositionDenied')} ${live('own.deniedHelp')}`
            : t('ownPositionUnavailable')}
        </p>
      ) : null}
    </div>
  );
}
