// Kinwatch service worker: shows alert notifications from Web Push and opens the app on the
// right watch when one is tapped. It caches nothing: positions must never be shown from a
// stale cache, and the app needs the server to be useful.
/* eslint-env serviceworker */

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

function textOf(payload) {
  const who = payload.childName ? payload.childName : 'Your child';
  const isSos = payload.kind === 'sos';
  if (payload.change === 'acknowledged') {
    return {
      title: `${payload.title ?? 'Alert'}: acknowledged`,
      body: `${who}: someone is on it.`,
    };
  }
  return {
    title: isSos ? `SOS from ${who}` : `${payload.title ?? 'Alert'}: ${who}`,
    body: isSos ? 'Open Kinwatch now.' : 'Open Kinwatch for details.',
  };
}

self.addEventListener('push', (event) => {
  let payload = {};
  try {
    payload = event.data ? event.data.json() : {};
  } catch {
    payload = {};
  }
  const { title, body } = textOf(payload);
  const isSos = payload.kind === 'sos' && payload.change !== 'acknowledged';
  event.waitUntil(
    self.registration.showNotification(title, {
      body,
      icon: '/icon-192.png',
      badge: '/icon-192.png',
      tag: payload.alertId === undefined ? 'kinwatch' : `alert-${payload.alertId}`,
      renotify: isSos,
      requireInteraction: isSos,
      data: {
        url: payload.watchId ? `/watches/${encodeURIComponent(payload.watchId)}/alerts` : '/alerts',
      },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || '/';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if ('focus' in client) {
          client.navigate(url);
          return client.focus();
        }
      }
      return self.clients.openWindow(url);
    }),
  );
});
