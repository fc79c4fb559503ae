/**
 * Chooses the SMS provider and the SMS limits from the configuration. `main.ts` calls these;
 * `loadConfig` has already checked that the chosen provider has its settings.
 */
import { join } from 'node:path';
import type { SmsLimits, SmsSender } from '@kinwatch/core';
import { FileSmsSender, SMS_OUTBOX_FILE } from './adapters/sms/file-sms-sender.ts';
import { HttpSmsSender } from './adapters/sms/http-sms-sender.ts';
import { TwilioSmsSender } from './adapters/sms/twilio-sms-sender.ts';
import type { KinwatchConfig } from './config.ts';
import { systemClock } from './observability/system-clock.ts';

/** The provider `smsProvider` names; the outbox file in the data directory by default. */
export function createSmsSender(config: KinwatchConfig): SmsSender {
  switch (config.smsProvider) {
    case 'file':
      return new FileSmsSender(join(config.dataDir, SMS_OUTBOX_FILE), systemClock);
    case 'http':
      return new HttpSmsSender({
        url: required(config.smsHttpUrl, 'smsHttpUrl'),
        method: config.smsHttpMethod,
        template: config.smsHttpTemplate,
        contentType: config.smsHttpContentType,
        authorization: config.smsHttpAuthorization,
      });
    case 'twilio':
      return new TwilioSmsSender({
        accountSid: required(config.smsTwilioAccountSid, 'smsTwilioAccountSid'),
        authToken: required(config.smsTwilioAuthToken, 'smsTwilioAuthToken'),
        from: required(config.smsTwilioFrom, 'smsTwilioFrom'),
        baseUrl: config.smsTwilioBaseUrl,
      });
  }
}

/** The limits of SmsGuard as configured. */
export function smsLimits(config: KinwatchConfig): SmsLimits {
  return {
    allowedRegions: config.smsCountries === '*' ? '*' : config.smsCountries.split(','),
    perNumberPerHour: config.smsLimitPerNumberHour,
    perNumberPerDay: config.smsLimitPerNumberDay,
    perAddressPerHour: config.smsLimitPerAddressHour,
    perPrefixPerHour: config.smsLimitPerPrefixHour,
    dailyBudget: config.smsDailyBudget,
  };
}

function required(value: string | undefined, key: keyof KinwatchConfig): string {
  // loadConfig refuses a provider without its settings; only a hand-built config gets here.
  if (value === undefined) throw new Error(`the SMS provider needs ${key}`);
  return value;
}
