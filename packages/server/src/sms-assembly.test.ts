import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SMS_LIMITS } from '@kinwatch/core';
import { FileSmsSender } from './adapters/sms/file-sms-sender.ts';
import { HttpSmsSender } from './adapters/sms/http-sms-sender.ts';
import { TwilioSmsSender } from './adapters/sms/twilio-sms-sender.ts';
import { loadConfig } from './config.ts';
import { createSmsSender, smsLimits } from './sms-assembly.ts';

test('by default, messages go to sms-outbox.jsonl in the data directory', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kinwatch-sms-assembly-'));
  try {
    const sender = createSmsSender(loadConfig({ KINWATCH_DATA_DIR: dataDir }));
    assert.ok(sender instanceof FileSmsSender);
    await sender.send({ to: '+447700900123', text: 'Your code is 482913' });
    const line = JSON.parse(await readFile(join(dataDir, 'sms-outbox.jsonl'), 'utf8')) as unknown;
    assert.deepEqual(
      { ...(line as object), at: '' },
      {
        at: '',
        to: '+447700900123',
        text: 'Your code is 482913',
      },
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('the http and twilio providers are chosen by smsProvider', () => {
  const http = loadConfig({
    KINWATCH_SMS_PROVIDER: 'http',
    KINWATCH_SMS_HTTP_URL: 'https://sms.example/send',
  });
  assert.ok(createSmsSender(http) instanceof HttpSmsSender);
  const twilio = loadConfig({
    KINWATCH_SMS_PROVIDER: 'twilio',
    KINWATCH_SMS_TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    KINWATCH_SMS_TWILIO_AUTH_TOKEN: 'token',
    KINWATCH_SMS_TWILIO_FROM: 'Kinwatch',
  });
  assert.ok(createSmsSender(twilio) instanceof TwilioSmsSender);
});

test('the limits follow the settings; the defaults are DEFAULT_SMS_LIMITS', () => {
  assert.deepEqual(smsLimits(loadConfig({})), DEFAULT_SMS_LIMITS);
  const limits = smsLimits(
    loadConfig({
      KINWATCH_SMS_COUNTRIES: 'de,at',
      KINWATCH_SMS_LIMIT_PER_NUMBER_HOUR: '3',
      KINWATCH_SMS_LIMIT_PER_NUMBER_DAY: '6',
      KINWATCH_SMS_LIMIT_PER_ADDRESS_HOUR: '12',
      KINWATCH_SMS_LIMIT_PER_PREFIX_HOUR: '24',
      KINWATCH_SMS_DAILY_BUDGET: '100',
    }),
  );
  assert.deepEqual(limits, {
    allowedRegions: ['DE', 'AT'],
    perNumberPerHour: 3,
    perNumberPerDay: 6,
    perAddressPerHour: 12,
    perPrefixPerHour: 24,
    dailyBudget: 100,
  });
});
