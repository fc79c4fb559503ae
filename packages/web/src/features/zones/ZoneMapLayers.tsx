import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useMap } from '../../map/MapView.tsx';
import type { Zone } from '../../api/types.ts';
import type { DraftShape } from './zone-draft.ts';
import {
  centreOf,
  clampRadiusMeters,
  distanceMeters,
  offsetPoint,
  type LatLon,
} from './zone-geometry.ts';
import type { ChildFix } from './use-child-position.ts';

const toLatLng = (p: LatLon): L.LatLngExpression => [p.latitude, p.longitude];
const fromLatLng = (p: L.LatLng): LatLon => ({ latitude: p.lat, longitude: p.lng });

function shapeLayer(zone: Zone, className: string): L.Path {
  const options: L.PathOptions = { className, weight: 2, fillOpacity: 0.15 };
  return zone.shape.kind === 'circle'
    ? L.circle([zone.shape.latitude, zone.shape.longitude], {
        ...options,
        radius: zone.shape.radiusMeters,
      })
    : L.polygon(zone.shape.vertices.map(toLatLng), options);
}

/** The saved zones, named on the map; a tap opens one for editing. */
export function SavedZones({
  zones,
  hiddenId,
  onSelect,
}: {
  readonly zones: readonly Zone[];
  readonly hiddenId: string | null;
  readonly onSelect: ((zone: Zone) => void) | null;
}) {
  const map = useMap();
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  useEffect(() => {
    if (!map) return;
    const group = L.layerGroup();
    for (const zone of zones) {
      if (zone.id === hiddenId) continue;
      const layer = shapeLayer(zone, 'zones__shape');
      // A circle is named at its top edge, so the name does not hide a child at its centre.
      const { shape } = zone;
      const labelAt =
        shape.kind === 'circle'
          ? offsetPoint(shape, 0, shape.radiusMeters)
          : centreOfPoints(shape.vertices);
      L.tooltip({
        permanent: true,
        direction: shape.kind === 'circle' ? 'top' : 'center',
        className: 'zones__label',
      })
        .setLatLng(toLatLng(labelAt))
        .setContent(escapeHtml(zone.name))
        .addTo(group);
      layer.on('click', (event: L.LeafletMouseEvent) => {
        const select = onSelectRef.current;
        if (select === null) return;
        L.DomEvent.stopPropagation(event);
        select(zone);
      });
      group.addLayer(layer);
    }
    group.addTo(map);
    return () => {
      group.remove();
    };
  }, [map, zones, hiddenId]);
  return null;
}

/** The marker's icon: the child's initial, grey when the fix is stale. */
function childIcon(initial: string, isStale: boolean): L.DivIcon {
  return L.divIcon({
    className: '',
    html: `<div class="child-marker${isStale ? ' child-marker--stale' : ''}" data-testid="zones-child-marker">${escapeHtml(initial)}</div>`,
    iconSize: [40, 40],
    iconAnchor: [20, 20],
  });
}

interface ChildLayers {
  readonly group: L.LayerGroup;
  readonly marker: L.Marker;
  readonly circle: L.Circle;
  isStale: boolean;
}

/**
 * Where the child is, for context: never interactive, so taps reach the map beneath. The
 * marker and its accuracy circle are made once and moved with each fix, so that a live fix
 * moves them rather than replacing their elements.
 */
export function ChildMarker({
  fix,
  initial,
  label,
}: {
  readonly fix: ChildFix | null;
  readonly initial: string;
  readonly label: string;
}) {
  const map = useMap();
  const layers = useRef<ChildLayers | null>(null);
  useEffect(() => {
    if (!map) return undefined;
    const group = L.layerGroup().addTo(map);
    layers.current = {
      group,
      marker: L.marker([0, 0], {
        icon: childIcon(initial, false),
        interactive: false,
        keyboard: false,
        alt: label,
        zIndexOffset: -100,
      }),
      circle: L.circle([0, 0], {
        radius: 1,
        className: 'zones__accuracy',
        interactive: false,
        weight: 1,
      }),
      isStale: false,
    };
    return () => {
      group.remove();
      layers.current = null;
    };
  }, [map, initial, label]);
  // Declared after the effect above: when that one makes the layers again, this one places them.
  useEffect(() => {
    const current = layers.current;
    if (current === null) return;
    const { group, marker, circle } = current;
    if (fix === null) {
      group.clearLayers();
      return;
    }
    const at = toLatLng(fix);
    if (fix.accuracyMeters !== null && fix.accuracyMeters > 0) {
      circle.setLatLng(at).setRadius(fix.accuracyMeters);
      if (!group.hasLayer(circle)) group.addLayer(circle);
    } else {
      group.removeLayer(circle);
    }
    marker.setLatLng(at);
    if (current.isStale !== fix.isStale) {
      marker.setIcon(childIcon(initial, fix.isStale));
      current.isStale = fix.isStale;
    }
    if (!group.hasLayer(marker)) group.addLayer(marker);
  }, [map, fix, initial, label]);
  return null;
}

function centreOfPoints(points: readonly LatLon[]): LatLon {
  return centreOf(points) ?? { latitude: 0, longitude: 0 };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function handle(point: LatLon, className: string, title: string): L.Marker {
  return L.marker(toLatLng(point), {
    draggable: true,
    keyboard: false,
    title,
    icon: L.divIcon({ className: `zones__handle ${className}`, iconSize: [24, 24] }),
  });
}

/**
 * The shape being drawn, with handles to drag: the centre and a radius handle east of it for
 * a circle, every corner for a polygon. While a handle moves the shape follows it directly;
 * the draft changes once, when the handle is let go.
 */
export function DraftLayers({
  shape,
  titles,
  onCentre,
  onRadius,
  onVertex,
}: {
  readonly shape: DraftShape;
  readonly titles: { centre: string; radius: string; corner: (n: number) => string };
  readonly onCentre: (centre: LatLon) => void;
  readonly onRadius: (radiusMeters: number) => void;
  readonly onVertex: (index: number, vertex: LatLon) => void;
}) {
  const map = useMap();
  const callbacks = useRef({ onCentre, onRadius, onVertex, titles });
  callbacks.current = { onCentre, onRadius, onVertex, titles };
  useEffect(() => {
    if (!map) return;
    const group = L.layerGroup();
    const { titles: t } = callbacks.current;
    if (shape.kind === 'circle' && shape.centre !== null) {
      const centre = shape.centre;
      const circle = L.circle(toLatLng(centre), {
        radius: shape.radiusMeters,
        className: 'zones__draft',
        interactive: false,
      }).addTo(group);
      const radiusPoint = (c: LatLon, r: number) => offsetPoint(c, r, 0);
      const centreHandle = handle(centre, 'zones__handle--centre', t.centre).addTo(group);
      const radiusHandle = handle(
        radiusPoint(centre, shape.radiusMeters),
        'zones__handle--radius',
        t.radius,
      ).addTo(group);
      centreHandle.on('drag', () => {
        const moved = fromLatLng(centreHandle.getLatLng());
        circle.setLatLng(toLatLng(moved));
        radiusHandle.setLatLng(toLatLng(radiusPoint(moved, circle.getRadius())));
      });
      centreHandle.on('dragend', () => {
        callbacks.current.onCentre(fromLatLng(centreHandle.getLatLng()));
      });
      const radiusFromHandle = () =>
        clampRadiusMeters(
          distanceMeters(fromLatLng(circle.getLatLng()), fromLatLng(radiusHandle.getLatLng())),
        );
      radiusHandle.on('drag', () => {
        circle.setRadius(radiusFromHandle());
      });
      radiusHandle.on('dragend', () => {
        callbacks.current.onRadius(radiusFromHandle());
      });
    }
    if (shape.kind === 'polygon' && shape.vertices.length > 0) {
      const points = shape.vertices.map(toLatLng);
      const outline =
        shape.vertices.length >= 3
          ? L.polygon(points, { className: 'zones__draft', interactive: false })
          : L.polyline(points, { className: 'zones__draft', interactive: false });
      outline.addTo(group);
      shape.vertices.forEach((vertex, index) => {
        const marker = handle(vertex, 'zones__handle--corner', t.corner(index + 1)).addTo(group);
        marker.on('drag', () => {
          const latLngs = shape.vertices.map(toLatLng);
          latLngs[index] = marker.getLatLng();
          outline.setLatLngs(latLngs);
        });
        marker.on('dragend', () => {
          callbacks.current.onVertex(index, fromLatLng(marker.getLatLng()));
        });
      });
    }
    group.addTo(map);
    return () => {
      group.remove();
    };
  }, [map, shape]);
  return null;
}

/** Taps on the map while drawing: a circle's centre or a polygon's next corner. */
export function MapTaps({ onTap }: { readonly onTap: ((point: LatLon) => void) | null }) {
  const map = useMap();
  const onTapRef = useRef(onTap);
  onTapRef.current = onTap;
  const isActive = onTap !== null;
  useEffect(() => {
    if (!map || !isActive) return;
    const container = map.getContainer();
    container.classList.add('zones__map--drawing');
    const listener = (event: L.LeafletMouseEvent) => {
      onTapRef.current?.(fromLatLng(event.latlng.wrap()));
    };
    map.on('click', listener);
    return () => {
      container.classList.remove('zones__map--drawing');
      map.off('click', listener);
    };
  }, [map, isActive]);
  return null;
}

/** Moves the map once to show what matters: the zones and the child, or the child alone. */
export function FitView({
  zones,
  child,
  isReady,
}: {
  readonly zones: readonly Zone[];
  readonly child: LatLon | null;
  readonly isReady: boolean;
}) {
  const map = useMap();
  const hasFitted = useRef(false);
  useEffect(() => {
    if (!map || !isReady || hasFitted.current) return;
    const bounds = L.latLngBounds([]);
    for (const zone of zones) {
      for (const point of extentOf(zone)) bounds.extend(toLatLng(point));
    }
    if (child !== null) bounds.extend(toLatLng(child));
    if (!bounds.isValid()) return;
    hasFitted.current = true;
    if (zones.length === 0 && child !== null) map.setView(toLatLng(child), 16);
    else map.fitBounds(bounds, { padding: [32, 32], maxZoom: 17 });
  }, [map, zones, child, isReady]);
  return null;
}

/** Corners of the area a zone covers (a circle's bounding square, a polygon's corners). */
function extentOf(zone: Zone): LatLon[] {
  const { shape } = zone;
  if (shape.kind === 'polygon') return shape.vertices;
  const r = shape.radiusMeters;
  return [offsetPoint(shape, -r, -r), offsetPoint(shape, r, r)];
}

/** Hands the Leaflet map to the screen, for the buttons that act "at the map centre". */
export function MapCapture({ onMap }: { readonly onMap: (map: L.Map | null) => void }) {
  const map = useMap();
  useEffect(() => {
    onMap(map);
    return () => {
      onMap(null);
    };
  }, [map, onMap]);
  return null;
}

/** The map's centre as a point (wrapped into -180..180). */
export function centreOfMap(map: L.Map): LatLon {
  return fromLatLng(map.getCenter().wrap());
}

/** Pans the map to a point (after a keyboard user typed or picked it). */
export function PanTo({ point }: { readonly point: LatLon | null }) {
  const map = useMap();
  const latitude = point?.latitude;
  const longitude = point?.longitude;
  useEffect(() => {
    if (!map || latitude === undefined || longitude === undefined) return;
    if (!map.getBounds().contains([latitude, longitude])) map.panTo([latitude, longitude]);
  }, [map, latitude, longitude]);
  return null;
}
