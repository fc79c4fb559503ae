import type { PushMessage, PushOutcome, PushSender, PushSubscriptionRecord } from '@kinwatch/core';
import webpush from 'web-push';
import type { VapidKeys } from './vapid-keys.ts';

export interface WebPushSenderOptions {
  readonly keys: VapidKeys;
  /** Who the push services may contact about our messages: `mailto:` or an https URL. */
  readonly contact: string;
  /** A push service that has not answered by then counts as failed. */
  readonly timeoutMs?: number;
}

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291):
 * web-push builds and encrypts the request, fetch sends it. web-push's own sender speaks https
 * only, and a local push service in tests is plain http.
 */
export class WebPushSender implements PushSender {
  readonly #options: WebPushSenderOptions;

  constructor(options: WebPushSenderOptions) {
    this.#options = options;
  }

  get applicationServerKey(): string {
    return this.#options.keys.publicKey;
  }

  async send(subscription: PushSubscriptionRecord, message: PushMessage): Promise<PushOutcome> {
    const { keys, contact, timeoutMs = 10_000 } = this.#options;
    const request = webpush.generateRequestDetails(
      {
        endpoint: subscription.endpoint,
        keys: { p256dh: subscription.p256dh, auth: subscription.auth },
      },
      JSON.stringify(message.payload),
      {
        vapidDetails: { subject: contact, publicKey: keys.publicKey, privateKey: keys.privateKey },
        TTL: message.ttlSeconds,
        urgency: message.urgency,
        topic: message.topic,
        contentEncoding: 'aes128gcm',
      },
    );
    const response = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.status === 404 || response.status === 410) return 'gone';
    if (!response.ok) {
      throw new Error(`the push service answered ${String(response.status)}`);
    }
    return 'delivered';
  }
}
