import type { SmsMessage, SmsSender } from '@kinwatch/core';
import { DEFAULT_PROVIDER_TIMEOUT_MS, requestProvider } from './provider-request.ts';

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';
const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/i;

export interface TwilioSmsSenderOptions {
  /** `AC` and 32 hex digits. */
  readonly accountSid: string;
  /** A secret. */
  readonly authToken: string;
  /** A Twilio number in E.164, an alphanumeric sender id, or a Messaging Service sid (`MG...`). */
  readonly from: string;
  /** Tests point this at a local fake. */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
}

/**
 * Twilio's Messages API (2010-04-01): one form-encoded POST per message, with HTTP Basic
 * authentication by the account sid and auth token. Twilio answers 201 when it has queued the
 * message; anything else throws SmsDeliveryError carrying Twilio's numeric error code when it
 * gave one, never its error text (which may quote the number).
 */
export class TwilioSmsSender implements SmsSender {
  readonly #options: TwilioSmsSenderOptions;
  readonly #url: string;

  constructor(options: TwilioSmsSenderOptions) {
    this.#options = options;
    const base = (options.baseUrl ?? TWILIO_API_BASE_URL).replace(/\/+$/, '');
    this.#url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  }

  async send(message: SmsMessage): Promise<void> {
    const { accountSid, authToken, from } = this.#options;
    // A Messaging Service picks the sender from its pool; Twilio takes its sid in its own field.
    const sender = MESSAGING_SERVICE_SID.test(from) ? 'MessagingServiceSid' : 'From';
    const body = new URLSearchParams({ To: message.to, [sender]: from, Body: message.text });
    const credentials = Buffer.from(`${accountSid}:${authToken}`).toString('base64');
    const response = await requestProvider(
      'Twilio',
      this.#url,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${credentials}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
      },
      this.#options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
      twilioErrorCode,
    );
    await response.body?.cancel();
  }
}

/** `error 21211` from Twilio's error body `{"code":21211,"message":...,"status":400}`. */
async function twilioErrorCode(response: Response): Promise<string> {
  const body: unknown = await response.json();
  const code = (body as { code?: unknown } | null)?.code;
  return typeof code === 'number' && Number.isSafeInteger(code) ? `error ${code}` : '';
}
