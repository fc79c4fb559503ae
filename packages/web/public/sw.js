// Kinwatch service worker: shows alert notifications from Web Push and opens the app on the
// right watch when one is tapped. It caches nothing: positions must never be shown from a
// stale cache, and the app needs the server to be useful.
//
// The push payload is built by pushMessage() in packages/core/src/notifications/
// notification.service.ts: { type: 'alert', change: 'raised' | 'repeated', alertId, watchId,
// kind, title, childName (or null), raisedAt }. It carries no location: the app shows that
// once opened and signed in.
/* eslint-env serviceworker */

const TEXT = {
  en: {
    child: 'Your child',
    sosTitle: (who) => `SOS from ${who}`,
    sosBody: (time) => `Pressed at ${time}. Open Kinwatch now and acknowledge.`,
    sosRepeatBody: (time) => `Pressed at ${time}. Nobody has acknowledged yet.`,
    alertTitle: (title, who) => `${title}: ${who}`,
    alertBody: 'Open Kinwatch for details.',
    acknowledgedTitle: (title) => `${title}: acknowledged`,
    acknowledgedBody: (who) => `${who}: someone is on it.`,
    titles: {
      sos: 'SOS',
      removed: 'Watch taken off',
      lowBattery: 'Low battery',
      fall: 'Fall detected',
      heartRateAbnormal: 'Abnormal heart rate',
      offline: 'Watch offline',
      zoneEnter: 'Arrived in a zone',
      zoneLeave: 'Left a zone',
      expectationMissed: 'Not arrived where expected',
    },
    fallbackTitle: 'Alert',
  },
  zh: {
    child: '您的孩子',
    sosTitle: (who) => `${who}发出了 SOS 求救`,
    sosBody: (time) => `${time} 按下。请立即打开 Kinwatch 并确认。`,
    sosRepeatBody: (time) => `${time} 按下。还没有人确认。`,
    alertTitle: (title, who) => `${title}：${who}`,
    alertBody: '打开 Kinwatch 查看详情。',
    acknowledgedTitle: (title) => `${title}：已确认`,
    acknowledgedBody: (who) => `${who}：已有人在处理。`,
    titles: {
      sos: 'SOS 求救',
      removed: '手表被摘下',
      lowBattery: '电量不足',
      fall: '检测到摔倒',
      heartRateAbnormal: '心率异常',
      offline: '手表离线',
      zoneEnter: '进入区域',
      zoneLeave: '离开区域',
      expectationMissed: '未按预期到达',
    },
    fallbackTitle: '提醒',
  },
};

/** The browser's language: the app's own choice lives in page storage a worker cannot read. */
function language() {
  const tag = (self.navigator && self.navigator.language) || 'en';
  return tag.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

function timeOf(iso, lang) {
  const at = iso ? new Date(iso) : new Date();
  if (Number.isNaN(at.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeStyle: 'short',
  }).format(at);
}

function textOf(payload) {
  const lang = language();
  const text = TEXT[lang];
  const who =
    typeof payload.childName === 'string' && payload.childName ? payload.childName : text.child;
  const title =
    (payload.kind && text.titles[payload.kind]) ||
    (lang === 'en' && typeof payload.title === 'string' ? payload.title : text.fallbackTitle);
  if (payload.change === 'acknowledged') {
    return { title: text.acknowledgedTitle(title), body: text.acknowledgedBody(who) };
  }
  if (payload.kind === 'sos') {
    const time = timeOf(payload.raisedAt, lang);
    return {
      title: text.sosTitle(who),
      body: payload.change === 'repeated' ? text.sosRepeatBody(time) : text.sosBody(time),
    };
  }
  return { title: text.alertTitle(title, who), body: text.alertBody };
}

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('push', (event) => {
  let payload = {};
  try {
    payload = event.data ? event.data.json() : {};
  } catch {
    payload = {};
  }
  if (payload === null || typeof payload !== 'object') payload = {};
  const { title, body } = textOf(payload);
  const isSos = payload.kind === 'sos' && payload.change !== 'acknowledged';
  const raisedAt = Date.parse(payload.raisedAt);
  event.waitUntil(
    self.registration.showNotification(title, {
      body,
      icon: '/icon-192.png',
      badge: '/icon-192.png',
      lang: language() === 'zh' ? 'zh-Hans' : 'en',
      // One notification per alert: a repeated SOS replaces the last one and alerts again.
      tag: payload.alertId === undefined ? 'kinwatch' : `alert-${payload.alertId}`,
      renotify: isSos,
      requireInteraction: isSos,
      ...(isSos ? { vibrate: [600, 200, 600, 200, 600] } : {}),
      ...(Number.isNaN(raisedAt) ? {} : { timestamp: raisedAt }),
      data: {
        url: payload.watchId ? `/watches/${encodeURIComponent(payload.watchId)}/alerts` : '/alerts',
      },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const path = (event.notification.data && event.notification.data.url) || '/';
  const url = new URL(path, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (!open) return self.clients.openWindow(url);
      // focus() must come first, while the click still counts as a user action; navigate()
      // only works on a page this worker controls, so fall back to a new window.
      return open
        .focus()
        .then((client) => (client.url === url ? client : client.navigate(url)))
        .catch(() => self.clients.openWindow(url));
    }),
  );
});
