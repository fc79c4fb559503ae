import type { Position } from './position.model.ts';

/** Formats positions can be exported in. */
export type PositionExportFormat = 'gpx' | 'geojson';

export const POSITION_EXPORT_FORMATS: readonly PositionExportFormat[] = ['gpx', 'geojson'];

export const EXPORT_MEDIA_TYPES: Readonly<Record<PositionExportFormat, string>> = {
  gpx: 'application/gpx+xml',
  geojson: 'application/geo+json',
};

/** What the document says about itself. */
export interface ExportHeading {
  /** Free text (the child's name, say): escaped here. */
  readonly name: string;
  readonly createdAt: Date;
}

type Located = Position & { readonly latitude: number; readonly longitude: number };

function isLocated(position: Position): position is Located {
  return position.latitude !== null && position.longitude !== null;
}

/**
 * A GPX 1.1 document: one track segment of the located positions in the given order. The
 * source (gps, wifi, cell) is the point's `src`, its accuracy the `desc`; positions without
 * coordinates are left out.
 */
export function gpxDocument(heading: ExportHeading, positions: readonly Position[]): string {
  const points = positions.filter(isLocated).map(gpxPoint);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="Kinwatch" xmlns="http://www.topografix.com/GPX/1/1">',
    `<metadata><name>${escapeXml(heading.name)}</name><time>${heading.createdAt.toISOString()}</time></metadata>`,
    `<trk><name>${escapeXml(heading.name)}</name><trkseg>`,
    ...points,
    '</trkseg></trk>',
    '</gpx>',
    '',
  ].join('\n');
}

function gpxPoint(position: Located): string {
  // Element order is fixed by the GPX 1.1 schema: ele, time, ..., desc, src.
  const elevation =
    position.altitudeMeters === null ? '' : `<ele>${String(position.altitudeMeters)}</ele>`;
  const accuracy =
    position.accuracyMeters === null
      ? ''
      : `<desc>accuracy ${String(Math.round(position.accuracyMeters))} m</desc>`;
  return (
    `<trkpt lat="${String(position.latitude)}" lon="${String(position.longitude)}">` +
    `${elevation}<time>${position.recordedAt.toISOString()}</time>${accuracy}` +
    `<src>${position.source}</src></trkpt>`
  );
}

/** Text safe inside an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  // Characters XML 1.0 does not allow at all are dropped rather than escaped.
  // eslint-disable-next-line no-control-regex
  const allowed = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return allowed
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * A GeoJSON (RFC 7946) FeatureCollection with one Point per located position, in the given
 * order, its times, source, accuracy and flags as properties.
 */
export function geoJsonDocument(heading: ExportHeading, positions: readonly Position[]): string {
  const features = positions.filter(isLocated).map((position) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [position.longitude, position.latitude] },
    properties: {
      recordedAt: position.recordedAt.toISOString(),
      receivedAt: position.receivedAt.toISOString(),
      source: position.source,
      accuracyMeters: position.accuracyMeters,
      speedKmh: position.speedKmh,
      courseDegrees: position.courseDegrees,
      altitudeMeters: position.altitudeMeters,
      isBuffered: position.isBuffered,
      flags: position.flags,
    },
  }));
  return JSON.stringify({
    type: 'FeatureCollection',
    name: heading.name,
    createdAt: heading.createdAt.toISOString(),
    features,
  });
}
