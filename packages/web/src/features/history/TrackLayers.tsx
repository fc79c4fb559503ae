import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Position } from '../../api/types.ts';
import { useMap } from '../../map/MapView.tsx';
import { initialOf } from '../../map/position-display.ts';
import type { TrackPlace, TrackPoint } from './track-playback.ts';

export type HistoryPoint = TrackPoint & { readonly position: Position };

/** The mark a point gets on the map: none for an ordinary fix. */
export function markOf(position: Position): 'buffered' | 'flagged' | null {
  if (position.flags.length > 0) return 'flagged';
  if (position.isBuffered) return 'buffered';
  return null;
}

const MARK_GLYPH = { buffered: '↺', flagged: '!' } as const;

/**
 * The track as a line, the fixes that need a second look (sent late, or flagged) as small
 * labelled marks, and the playback marker with the fix's accuracy circle when on a fix.
 */
export function TrackLayers({
  points,
  place,
  childName,
}: {
  readonly points: readonly HistoryPoint[];
  readonly place: TrackPlace | null;
  readonly childName: string;
}) {
  const { t } = useTranslation('history');
  const map = useMap();
  const marker = useRef<L.Marker | null>(null);
  const circle = useRef<L.Circle | null>(null);

  useEffect(() => {
    if (!map || points.length === 0) return;
    const latLngs = points.map((point) => L.latLng(point.latitude, point.longitude));
    const line = L.polyline(latLngs, {
      className: 'history-track',
      weight: 5,
      opacity: 0.9,
      interactive: false,
    }).addTo(map);
    const marks = points.flatMap((point) => {
      const mark = markOf(point.position);
      if (mark === null) return [];
      return [
        L.marker([point.latitude, point.longitude], {
          icon: L.divIcon({
            className: `history-mark history-mark--${mark}`,
            html: MARK_GLYPH[mark],
            iconSize: [20, 20],
          }),
          keyboard: false,
          interactive: false,
        }).addTo(map),
      ];
    });
    if (latLngs.length === 1) map.setView(latLngs[0] as L.LatLng, 16);
    else map.fitBounds(L.latLngBounds(latLngs), { padding: [32, 32], maxZoom: 17 });
    return () => {
      line.remove();
      for (const mark of marks) mark.remove();
    };
  }, [map, points]);

  useEffect(() => {
    if (!map) return;
    const created = L.marker([0, 0], {
      icon: L.divIcon({
        className: '',
        html: `<div class="child-marker history-marker" aria-hidden="true"></div>`,
        iconSize: [40, 40],
        iconAnchor: [20, 20],
      }),
      keyboard: false,
      interactive: false,
      zIndexOffset: 1000,
    }).addTo(map);
    const accuracy = L.circle([0, 0], {
      radius: 1,
      className: 'history-accuracy',
      interactive: false,
    });
    marker.current = created;
    circle.current = accuracy;
    return () => {
      created.remove();
      accuracy.remove();
      marker.current = null;
      circle.current = null;
    };
  }, [map]);

  useEffect(() => {
    const element = marker.current?.getElement()?.querySelector('.history-marker');
    if (element) element.textContent = initialOf(childName);
  }, [childName, map]);

  useEffect(() => {
    if (!map || !place || !marker.current || !circle.current) return;
    marker.current.setLatLng([place.latitude, place.longitude]);
    const accuracyMeters = points[place.previousIndex]?.position.accuracyMeters ?? null;
    if (place.isOnPoint && accuracyMeters !== null && accuracyMeters > 0) {
      circle.current.setLatLng([place.latitude, place.longitude]).setRadius(accuracyMeters);
      if (!map.hasLayer(circle.current)) circle.current.addTo(map);
    } else {
      circle.current.remove();
    }
  }, [map, place, points]);

  return <span className="visually-hidden">{t('map.marker', { name: childName })}</span>;
}
