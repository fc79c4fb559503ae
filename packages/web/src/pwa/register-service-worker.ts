/**
 * Registers the service worker (public/sw.js), which receives Web Push and shows the
 * notifications. Only over HTTPS or on localhost, where browsers allow it.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // No service worker (a private window, an http:// address): the app works without push.
  });
}
