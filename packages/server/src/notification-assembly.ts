/**
 * Chooses the notification channels from the configuration: Web Push always (its keys are made
 * in the data directory at first start), e-mail when a mail server is configured. `main.ts`
 * calls these.
 */
import type { Logger } from '@kinwatch/core';
import { SmtpEmailSender } from './adapters/email/smtp-email-sender.ts';
import { loadVapidKeys, VAPID_KEYS_FILE } from './adapters/push/vapid-keys.ts';
import { WebPushSender } from './adapters/push/web-push-sender.ts';
import { ConfigError, type KinwatchConfig } from './config.ts';

/** Web Push with the VAPID keys of `<data dir>/vapid.json`, created when absent. */
export async function createPushSender(
  config: KinwatchConfig,
  logger: Logger,
): Promise<WebPushSender> {
  const { isNew, ...keys } = await loadVapidKeys(config.dataDir);
  if (isNew) {
    logger.info(
      { file: VAPID_KEYS_FILE },
      'created Web Push keys; keep them: new keys void every browser subscription',
    );
  }
  return new WebPushSender({ keys, contact: config.pushContact });
}

/**
 * E-mail over SMTP when `smtpUrl` is set, else undefined. Throws ConfigError when the URL is
 * set without a From address.
 */
export function createEmailSender(config: KinwatchConfig): SmtpEmailSender | undefined {
  if (config.smtpUrl === undefined) return undefined;
  if (config.smtpFrom === undefined) {
    throw new ConfigError([
      'KINWATCH_SMTP_URL needs KINWATCH_SMTP_FROM, the From of alert e-mails',
    ]);
  }
  return new SmtpEmailSender({ url: config.smtpUrl, from: config.smtpFrom });
}
