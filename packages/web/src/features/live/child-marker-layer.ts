import L from 'leaflet';
import type { PlacedFix } from './fix.ts';

const FRESH_CIRCLE: L.PathOptions = {
  color: '#0b6e69',
  weight: 2,
  fillColor: '#0b6e69',
  fillOpacity: 0.15,
  dashArray: undefined,
};
const STALE_CIRCLE: L.PathOptions = {
  color: '#6b7780',
  weight: 2,
  fillColor: '#8b969e',
  fillOpacity: 0.12,
  dashArray: '6 6',
};

/**
 * The child on the map: a marker with the child's initial and a circle of the fix's accuracy.
 * It is driven imperatively so that a live position moves it in the same task as the stream
 * message, without waiting for React to render.
 */
export class ChildMarkerLayer {
  readonly #map: L.Map;
  readonly #marker: L.Marker;
  readonly #circle: L.Circle;
  #isShown = false;
  #isStale = false;

  constructor(map: L.Map, initial: string, label: string) {
    this.#map = map;
    const icon = L.divIcon({
      className: 'child-marker',
      html: `<span aria-hidden="true"></span>`,
      iconSize: [40, 40],
      iconAnchor: [20, 20],
    });
    this.#marker = L.marker([0, 0], {
      icon,
      interactive: false,
      keyboard: false,
      zIndexOffset: 1000,
    });
    this.#circle = L.circle([0, 0], { radius: 1, interactive: false, ...FRESH_CIRCLE });
    this.#marker.once('add', () => {
      const element = this.#marker.getElement();
      if (!element) return;
      const letter = element.firstElementChild;
      if (letter) letter.textContent = initial;
      element.setAttribute('role', 'img');
      element.setAttribute('aria-label', label);
    });
  }

  get isShown(): boolean {
    return this.#isShown;
  }

  /** The marker's element once shown (for tests and measurements). */
  get element(): HTMLElement | undefined {
    return this.#marker.getElement();
  }

  latLng(): L.LatLng | null {
    return this.#isShown ? this.#marker.getLatLng() : null;
  }

  /** Moves the marker and the accuracy circle to the fix, now. */
  show(fix: PlacedFix, isStale: boolean): void {
    const at = L.latLng(fix.latitude, fix.longitude);
    this.#marker.setLatLng(at);
    this.#circle.setLatLng(at);
    this.#circle.setRadius(fix.accuracyMeters ?? 0);
    if (!this.#isShown) {
      this.#circle.addTo(this.#map);
      this.#marker.addTo(this.#map);
      this.#isShown = true;
    }
    const element = this.#marker.getElement();
    if (element) {
      element.dataset['latitude'] = String(fix.latitude);
      element.dataset['longitude'] = String(fix.longitude);
      element.dataset['recordedAt'] = fix.recordedAt;
    }
    this.setStale(isStale, true);
  }

  /** Greys the marker and dashes the circle of a fix too old to be "now". */
  setStale(isStale: boolean, isForced = false): void {
    if (!isForced && isStale === this.#isStale) return;
    this.#isStale = isStale;
    this.#marker.getElement()?.classList.toggle('child-marker--stale', isStale);
    this.#circle.setStyle(isStale ? STALE_CIRCLE : FRESH_CIRCLE);
  }

  remove(): void {
    this.#marker.remove();
    this.#circle.remove();
    this.#isShown = false;
  }
}
