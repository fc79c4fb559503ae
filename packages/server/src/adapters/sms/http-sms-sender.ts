import type { SmsMessage, SmsSender } from '@kinwatch/core';
import { DEFAULT_PROVIDER_TIMEOUT_MS, requestProvider } from './provider-request.ts';

export const HTTP_SMS_CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
] as const;
export type HttpSmsContentType = (typeof HTTP_SMS_CONTENT_TYPES)[number];

export const HTTP_SMS_METHODS = ['POST', 'PUT', 'PATCH', 'GET'] as const;
export type HttpSmsMethod = (typeof HTTP_SMS_METHODS)[number];

export const DEFAULT_HTTP_SMS_TEMPLATE = '{"to":"{to}","text":"{text}"}';

export interface HttpSmsSenderOptions {
  /** The gateway's endpoint; `{to}` and `{text}` in it are replaced, URL-encoded. */
  readonly url: string;
  /** POST unless set; GET sends no body. */
  readonly method?: HttpSmsMethod;
  /** The body, with `{to}` and `{text}` replaced, escaped for `contentType`. */
  readonly template?: string;
  readonly contentType?: HttpSmsContentType;
  /** The whole Authorization header value (`Bearer ...`, `Basic ...`); a secret. */
  readonly authorization?: string;
  readonly timeoutMs?: number;
}

/**
 * A generic HTTP SMS gateway: one request per message, built from a URL and a body template.
 * A 2xx answer means the gateway took the message; anything else, a network error or no
 * answer within the timeout (10 s by default) throws SmsDeliveryError.
 */
export class HttpSmsSender implements SmsSender {
  readonly #options: HttpSmsSenderOptions;
  readonly #method: HttpSmsMethod;
  readonly #contentType: HttpSmsContentType;

  constructor(options: HttpSmsSenderOptions) {
    this.#options = options;
    this.#method = options.method ?? 'POST';
    this.#contentType = options.contentType ?? 'application/json';
  }

  async send(message: SmsMessage): Promise<void> {
    const hasBody = this.#method !== 'GET';
    const headers: Record<string, string> = {};
    if (hasBody) headers['content-type'] = this.#contentType;
    if (this.#options.authorization !== undefined) {
      headers['authorization'] = this.#options.authorization;
    }
    const template = this.#options.template ?? DEFAULT_HTTP_SMS_TEMPLATE;
    const response = await requestProvider(
      'SMS gateway',
      fillTemplate(this.#options.url, message, encodeURIComponent),
      {
        method: this.#method,
        headers,
        ...(hasBody ? { body: fillTemplate(template, message, escaperOf(this.#contentType)) } : {}),
      },
      this.#options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
    );
    await response.body?.cancel();
  }
}

/**
 * Replaces `{to}` and `{text}` in one pass, so that a message containing `{to}` stays as
 * written.
 */
export function fillTemplate(
  template: string,
  message: SmsMessage,
  escape: (value: string) => string,
): string {
  return template.replace(/\{(to|text)\}/g, (_, name: 'to' | 'text') => escape(message[name]));
}

function escaperOf(contentType: HttpSmsContentType): (value: string) => string {
  if (contentType === 'application/json') {
    // The template has the quotes: `"{text}"`.
    return (value) => JSON.stringify(value).slice(1, -1);
  }
  return encodeURIComponent;
}
