import { SmsDeliveryError } from '@kinwatch/core';

export const DEFAULT_PROVIDER_TIMEOUT_MS = 10_000;

/**
 * Sends one request to an SMS provider and resolves with its 2xx response. Everything else
 * becomes SmsDeliveryError whose message names the provider and what went wrong, and never the
 * request: no credentials, no message text, no number. Redirects are failures: following one
 * would send the message (and perhaps the credentials) somewhere not configured.
 * `describeError` may add a detail read from an error response (a vendor's error code).
 */
export async function requestProvider(
  provider: string,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  describeError: (response: Response) => Promise<string> = () => Promise.resolve(''),
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new SmsDeliveryError(`${provider}: ${failureOf(error, timeoutMs)}`);
  }
  if (response.status >= 200 && response.status < 300) return response;
  const detail = await describeError(response).catch(() => '');
  await response.body?.cancel().catch(() => undefined);
  throw new SmsDeliveryError(
    `${provider} answered HTTP ${response.status}${detail === '' ? '' : ` (${detail})`}`,
  );
}

function failureOf(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : 'network error';
  return `not reachable (${code})`;
}
