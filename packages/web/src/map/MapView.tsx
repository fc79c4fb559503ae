import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useClientConfig } from '../app/client-config.tsx';
import { loadCountries } from './basemap.ts';

const MapContext = createContext<L.Map | null>(null);

/** The Leaflet map of the nearest MapView; null until it exists. */
export function useMap(): L.Map | null {
  return useContext(MapContext);
}

const WORLD_STYLE: L.PathOptions = {
  color: '#7d8f99',
  weight: 1,
  fillColor: '#f2efe9',
  fillOpacity: 1,
};

export interface MapViewProps {
  /** Where to look first: [latitude, longitude] and zoom. */
  readonly center?: readonly [number, number];
  readonly zoom?: number;
  readonly label: string;
  readonly children?: ReactNode;
  readonly className?: string;
}

/**
 * A Leaflet map on the bundled offline world map, with the operator's street tiles on top
 * when configured. Children (markers, zones, tracks) get the map through useMap().
 */
export function MapView({ center = [20, 0], zoom = 2, label, children, className }: MapViewProps) {
  const { t } = useTranslation('map');
  const config = useClientConfig();
  const element = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<L.Map | null>(null);
  const [basemapFailed, setBasemapFailed] = useState(false);

  useEffect(() => {
    if (!element.current) return;
    const created = L.map(element.current, {
      center: [center[0], center[1]],
      zoom,
      worldCopyJump: true,
      zoomControl: true,
      attributionControl: true,
      keyboard: true,
    });
    created.attributionControl.setPrefix(false);
    created.attributionControl.addAttribution('Natural Earth');
    let isGone = false;
    loadCountries().then(
      (countries) => {
        if (isGone) return;
        const world = L.geoJSON(countries, { style: WORLD_STYLE, interactive: false });
        world.addTo(created);
        world.bringToBack();
      },
      () => {
        if (!isGone) setBasemapFailed(true);
      },
    );
    setMap(created);
    // A map that appears inside a tab or after layout changes needs its size measured again.
    const observer = new ResizeObserver(() => created.invalidateSize());
    observer.observe(element.current);
    return () => {
      isGone = true;
      observer.disconnect();
      created.remove();
      setMap(null);
    };
    // The map is made once; later centre and zoom changes are the children's business.
  }, []);

  useEffect(() => {
    if (!map || config.map.tileUrl === null) return;
    const tiles = L.tileLayer(config.map.tileUrl, {
      maxZoom: 19,
      attribution: config.map.tileAttribution ?? '',
      crossOrigin: true,
      referrerPolicy: 'no-referrer',
    });
    tiles.addTo(map);
    return () => {
      tiles.remove();
    };
  }, [map, config.map.tileUrl, config.map.tileAttribution]);

  return (
    <div className={className ?? 'map'} style={{ position: 'relative' }}>
      <div ref={element} className="map" role="region" aria-label={label} />
      {basemapFailed ? (
        <div className="map-overlay" style={{ top: '0.75rem', bottom: 'auto' }}>
          <div className="banner banner--warn" role="status">
            {t('basemapFailed')}
          </div>
        </div>
      ) : null}
      <MapContext.Provider value={map}>{map ? children : null}</MapContext.Provider>
    </div>
  );
}
