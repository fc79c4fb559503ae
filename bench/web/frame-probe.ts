/**
 * Installed in the page before the app runs (`page.addInitScript({ content })`): timestamps
 * every live position the WebSocket delivers, the moment the child marker's DOM shows it, and
 * the next animation frame after the message, all with performance.now(). Plain JavaScript in
 * a string, because it runs in the browser and the bench compiles without the DOM types.
 */
export interface FrameSample {
  readonly latitude: number;
  /** The marker was on the map when the message came (not the map's first fix). */
  readonly isLive: boolean;
  readonly messageAt: number;
  readonly domAt: number | null;
  readonly frameAt: number | null;
}

export const FRAME_PROBE_SCRIPT = String.raw`
(() => {
  const samples = [];
  window.frameSamples = samples;
  const Native = window.WebSocket;
  // The app sets onmessage after construction, so this listener runs first: the stamp is
  // taken when the message event starts, before any of the app's work.
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        const messageAt = performance.now();
        if (typeof event.data !== 'string' || !event.data.includes('"position"')) return;
        const message = JSON.parse(event.data);
        const latitude = message.position && message.position.latitude;
        if (message.type !== 'position' || message.position.isBuffered === true) return;
        if (typeof latitude !== 'number') return;
        const isLive = document.querySelector('.child-marker') !== null;
        const sample = { latitude, isLive, messageAt, domAt: null, frameAt: null };
        samples.push(sample);
        requestAnimationFrame(() => {
          sample.frameAt = performance.now();
        });
      });
    }
  };
  new MutationObserver((records) => {
    const at = performance.now();
    for (const record of records) {
      const element = record.target;
      if (!element.classList.contains('child-marker')) continue;
      const latitude = Number(element.dataset.latitude);
      const sample = samples.findLast((entry) => entry.latitude === latitude);
      if (sample && sample.domAt === null) sample.domAt = at;
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-latitude'] });
})();
`;
