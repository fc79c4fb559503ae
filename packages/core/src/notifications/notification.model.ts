import type { AccountId } from '../accounts/account.model.ts';
import { ALERT_KINDS, type AlertKind } from '../alerts/alert.model.ts';

/** How an alert reaches a guardian besides the live stream, which every guardian always gets. */
export type NotificationChannel = 'push' | 'email';

export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = ['push', 'email'];

/** Which channels a guardian wants for one alert kind. */
export type ChannelChoice = Readonly<Record<NotificationChannel, boolean>>;

/** A guardian's choice for every alert kind. */
export type NotificationPreferences = Readonly<Record<AlertKind, ChannelChoice>>;

/** Kinds that reach every guardian by every channel they have set up, whatever they chose. */
export const ALWAYS_NOTIFIED_KINDS: readonly AlertKind[] = ['sos'];

const EVERY_CHANNEL: ChannelChoice = { push: true, email: true };
const PUSH_ONLY: ChannelChoice = { push: true, email: false };

/**
 * What a guardian gets before choosing: every kind by push, no e-mail. Stored choices are laid
 * over these, so an alert kind added later starts from its default.
 */
export function defaultPreferences(): NotificationPreferences {
  return withChoices({});
}

/**
 * The preferences as they take effect: the stored choices over the defaults, unknown kinds
 * dropped, and the always-notified kinds (SOS) on every channel.
 */
export function withChoices(
  choices: Readonly<Partial<Record<string, ChannelChoice>>>,
): NotificationPreferences {
  const preferences = {} as Record<AlertKind, ChannelChoice>;
  for (const kind of ALERT_KINDS) {
    const chosen = choices[kind];
    preferences[kind] = ALWAYS_NOTIFIED_KINDS.includes(kind)
      ? EVERY_CHANNEL
      : chosen === undefined
        ? PUSH_ONLY
        : { push: chosen.push, email: chosen.email };
  }
  return preferences;
}

/** The channels a guardian has set up and the server offers. */
export type ChannelsSetUp = Readonly<Record<NotificationChannel, boolean>>;

/**
 * The channels an alert of `kind` goes out on for one guardian: the ones chosen and set up;
 * for SOS every channel set up, whatever was chosen.
 */
export function channelsFor(
  kind: AlertKind,
  preferences: NotificationPreferences,
  setUp: ChannelsSetUp,
): NotificationChannel[] {
  const choice = ALWAYS_NOTIFIED_KINDS.includes(kind) ? EVERY_CHANNEL : preferences[kind];
  return NOTIFICATION_CHANNELS.filter((channel) => choice[channel] && setUp[channel]);
}

/** One browser's Web Push subscription (the PushSubscription JSON the browser gives). */
export interface PushSubscriptionRecord {
  readonly accountId: AccountId;
  /** The push service's URL for this browser; unique per browser. */
  readonly endpoint: string;
  /** The browser's P-256 public key, base64url of 65 bytes. */
  readonly p256dh: string;
  /** The shared authentication secret, base64url of 16 bytes. */
  readonly auth: string;
  readonly createdAt: Date;
}

export const MAX_PUSH_ENDPOINT_LENGTH = 2048;
export const MAX_PUSH_SUBSCRIPTIONS_PER_ACCOUNT = 20;
export const MAX_EMAIL_LENGTH = 254;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why a push endpoint is refused, or undefined when it is usable: an https URL without
 * credentials; plain http only on the loopback interface (a local push service in tests).
 */
export function pushEndpointProblem(endpoint: string): string | undefined {
  if (endpoint.length > MAX_PUSH_ENDPOINT_LENGTH) return 'the endpoint is too long';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'the endpoint is not a URL';
  }
  if (url.username !== '' || url.password !== '') return 'the endpoint must not carry credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'the endpoint must be an https URL';
}

/** Bytes that base64url text (padding allowed) decodes to, or undefined when it is not base64url. */
export function base64UrlLength(text: string): number | undefined {
  const match = /^([A-Za-z0-9_-]*)(={0,2})$/.exec(text);
  const body = match?.[1];
  if (body === undefined || body.length % 4 === 1) return undefined;
  return Math.floor((body.length * 3) / 4);
}

/**
 * Why the subscription's keys are refused, or undefined: p256dh must be an uncompressed P-256
 * point (65 bytes starting 0x04, so its base64url starts with `B`), auth 16 bytes.
 */
export function pushKeysProblem(keys: {
  readonly p256dh: string;
  readonly auth: string;
}): string | undefined {
  if (base64UrlLength(keys.p256dh) !== 65 || !keys.p256dh.startsWith('B')) {
    return 'keys.p256dh must be base64url of an uncompressed P-256 public key (65 bytes)';
  }
  if (base64UrlLength(keys.auth) !== 16) return 'keys.auth must be base64url of 16 bytes';
  return undefined;
}

/**
 * The address in canonical form, or undefined when it does not look like one: a local part and
 * a domain with a dot, no spaces or angle brackets (it goes into a mail header), at most 254
 * characters. Whether mail arrives is not checked.
 */
export function normalizeEmail(text: string): string | undefined {
  const address = text.trim();
  if (address.length > MAX_EMAIL_LENGTH) return undefined;
  const match = /^([^\s@<>()",;:\\[\]]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/.exec(address);
  const local = match?.[1];
  const domain = match?.[2];
  if (local === undefined || domain === undefined || local.length > 64) return undefined;
  return `${local}@${domain.toLowerCase()}`;
}
