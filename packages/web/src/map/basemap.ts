import type { GeoJsonObject } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';

let loading: Promise<GeoJsonObject> | undefined;

/**
 * The offline world basemap: Natural Earth country outlines (1:50m) bundled with the app, so
 * the map works with no tile server and nothing leaves the family's server. Fetched once.
 */
export function loadCountries(): Promise<GeoJsonObject> {
  loading ??= fetch(countriesUrl)
    .then((response) => {
      if (!response.ok) throw new Error(`basemap: HTTP ${response.status}`);
      return response.json() as Promise<Topology>;
    })
    .then((topology) => {
      const countries = topology.objects['countries'] as GeometryCollection;
      return feature(topology, countries);
    })
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}
