import { api } from '../../api/client.ts';
import { base64UrlToBytes } from './push-key.ts';

/** Why this browser can or cannot get alerts by Web Push, before asking anything. */
export type PushSupport = 'supported' | 'insecure' | 'unsupported';

export function pushSupport(): PushSupport {
  // Service workers and push exist only on https:// (and localhost): say so rather than "no".
  if (!window.isSecureContext) return 'insecure';
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return 'unsupported';
  if (!('Notification' in window)) return 'unsupported';
  return 'supported';
}

/** This browser's push subscription, if it has one; never waits for a service worker. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

const READY_TIMEOUT_MS = 10_000;

/** The active service worker (public/sw.js), or an error when none becomes active in time. */
async function readyRegistration(): Promise<ServiceWorkerRegistration> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error('no service worker'));
    }, READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([navigator.serviceWorker.ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Subscribes this browser with the server's key and registers the subscription with the
 * account. Resolves to 'denied' when the guardian (or the browser) refuses notifications.
 */
export async function subscribeThisBrowser(): Promise<'subscribed' | 'denied'> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const { publicKey } = await api.get('/api/v1/push/public-key');
  const registration = await readyRegistration();
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(publicKey),
  });
  const json = subscription.toJSON();
  const keys = json.keys ?? {};
  try {
    await api.post('/api/v1/me/push-subscriptions', {
      body: {
        endpoint: subscription.endpoint,
        expirationTime: subscription.expirationTime,
        keys: { p256dh: keys['p256dh'] ?? '', auth: keys['auth'] ?? '' },
      },
    });
  } catch (error) {
    // The server does not know it: a browser subscription it never uses would mislead.
    await subscription.unsubscribe().catch(() => false);
    throw error;
  }
  return 'subscribed';
}

/** Removes this browser's subscription from the account and from the push service. */
export async function unsubscribeThisBrowser(): Promise<void> {
  const subscription = await currentSubscription();
  if (subscription === null) return;
  await api.delete('/api/v1/me/push-subscriptions', {
    body: { endpoint: subscription.endpoint },
  });
  await subscription.unsubscribe();
}
