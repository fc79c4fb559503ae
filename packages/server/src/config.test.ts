import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, describeEffectiveSettings, describeSettings, loadConfig } from './config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  test('defaults: the ports, names and data directory operators rely on', () => {
    const config = loadConfig({});
    assert.equal(config.dataDir, './data');
    assert.equal(config.httpPort, 8080);
    assert.equal(config.httpHost, '0.0.0.0');
    assert.equal(config.gatewayPort, 8001);
    assert.equal(config.databaseUrl, 'sqlite:data/kinwatch.db');
    assert.equal(config.busUrl, 'memory:');
    assert.equal(config.masterKey, undefined);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.gatewayMaxConnections, 19_000);
    assert.equal(config.gatewayMaxFrameBytes, 262_144);
    assert.equal(config.gatewayIdleTimeoutSeconds, 1_200);
    assert.equal(config.positionBatchWindowMs, 20);
    assert.equal(config.positionBatchMaxRows, 1000);
  });

  test('the database defaults into the data directory, wherever that is', () => {
    const config = loadConfig({ KINWATCH_DATA_DIR: '/var/lib/kinwatch' });
    assert.equal(config.databaseUrl, 'sqlite:/var/lib/kinwatch/kinwatch.db');
  });

  test('a flag beats the environment, which beats the default; empty variables are unset', () => {
    const env = {
      KINWATCH_HTTP_PORT: '9090',
      KINWATCH_GATEWAY_PORT: '',
      KINWATCH_LOG_LEVEL: 'WARN',
    };
    assert.equal(loadConfig(env).httpPort, 9090);
    assert.equal(loadConfig(env, { httpPort: '0' }).httpPort, 0);
    assert.equal(loadConfig(env).gatewayPort, 8001);
    assert.equal(loadConfig(env).logLevel, 'warn');
  });

  test('a bad value names its variable and the value, and every problem is listed', () => {
    const error = catchConfigError(() =>
      loadConfig({ KINWATCH_HTTP_PORT: '80a', KINWATCH_GATEWAY_MAX_CONNECTIONS: '0' }),
    );
    assert.equal(error.problems.length, 2);
    assert.match(error.message, /KINWATCH_HTTP_PORT="80a": expected an integer from 0 to 65535/);
    assert.match(error.message, /KINWATCH_GATEWAY_MAX_CONNECTIONS="0": expected an integer from 1/);
  });

  test('a bad flag names the flag', () => {
    const error = catchConfigError(() => loadConfig({}, { gatewayPort: '70000' }));
    assert.match(error.message, /--gateway-port="70000"/);
  });

  test('integers refuse fractions, exponents and units', () => {
    for (const bad of ['1.5', '1e3', '20ms', '0x10', '-1']) {
      assert.throws(() => loadConfig({ KINWATCH_POSITION_BATCH_WINDOW_MS: bad }), ConfigError, bad);
    }
    assert.equal(
      loadConfig({ KINWATCH_POSITION_BATCH_WINDOW_MS: ' 35 ' }).positionBatchWindowMs,
      35,
    );
    assert.equal(loadConfig({ KINWATCH_POSITION_BATCH_WINDOW_MS: ' ' }).positionBatchWindowMs, 20);
  });

  test('database URLs: SQLite paths and PostgreSQL URLs, nothing else', () => {
    const url = 'postgres://kin:secret@db.example:5432/kinwatch';
    assert.equal(loadConfig({ KINWATCH_DATABASE_URL: url }).databaseUrl, url);
    assert.equal(
      loadConfig({ KINWATCH_DATABASE_URL: 'sqlite::memory:' }).databaseUrl,
      'sqlite::memory:',
    );
    assert.throws(
      () => loadConfig({ KINWATCH_DATABASE_URL: 'mysql://x/y' }),
      /KINWATCH_DATABASE_URL/,
    );
    assert.throws(() => loadConfig({ KINWATCH_DATABASE_URL: 'sqlite:' }), /needs a file path/);
  });

  test('bus URLs: memory: and NATS server lists are accepted', () => {
    assert.equal(loadConfig({}).busUrl, 'memory:');
    const nats = 'nats://a:4222, nats://b:4222';
    assert.equal(loadConfig({ KINWATCH_BUS_URL: nats }).busUrl, 'nats://a:4222,nats://b:4222');
    assert.throws(() => loadConfig({ KINWATCH_BUS_URL: 'redis://x' }), /KINWATCH_BUS_URL/);
  });

  test('the master key must be 32 bytes of base64 and is never echoed', () => {
    assert.equal(loadConfig({ KINWATCH_MASTER_KEY: KEY }).masterKey, KEY);
    const short = Buffer.alloc(16, 1).toString('base64');
    const error = catchConfigError(() => loadConfig({ KINWATCH_MASTER_KEY: short }));
    assert.match(error.message, /KINWATCH_MASTER_KEY=\(value hidden\): .*got 16 bytes/);
    assert.ok(!error.message.includes(short));
  });

  test('the master key has no flag: command lines are visible to other users', () => {
    assert.equal(loadConfig({}, { masterKey: KEY }).masterKey, undefined);
  });

  test('is pure: the same input gives the same, frozen output', () => {
    const config = loadConfig({ KINWATCH_HTTP_PORT: '1234' });
    assert.deepEqual(loadConfig({ KINWATCH_HTTP_PORT: '1234' }), config);
    assert.ok(Object.isFrozen(config));
  });
});

describe('describeSettings', () => {
  test('every setting has a KINWATCH_ variable, a documented type, default and doc line', () => {
    const settings = describeSettings();
    const names = settings.map((setting) => setting.env);
    for (const required of [
      'KINWATCH_DATA_DIR',
      'KINWATCH_HTTP_PORT',
      'KINWATCH_GATEWAY_PORT',
      'KINWATCH_DATABASE_URL',
      'KINWATCH_BUS_URL',
      'KINWATCH_GATEWAY_MAX_CONNECTIONS_PER_IP',
      'KINWATCH_UNKNOWN_SIGHTING_INTERVAL_SECONDS',
    ]) {
      assert.ok(names.includes(required), required);
    }
    for (const setting of settings) {
      assert.match(setting.env, /^KINWATCH_[A-Z0-9_]+$/);
      assert.ok(setting.doc.length > 10 && !setting.doc.includes('\n'), setting.env);
      assert.ok(setting.type.length > 0, setting.env);
    }
    assert.equal(new Set(names).size, names.length);
    const port = settings.find((setting) => setting.key === 'httpPort');
    assert.ok(port !== undefined);
    assert.equal(port.flag, '--http-port');
    assert.equal(port.defaultText, '8080');
  });

  test('every default passes its own validation', () => {
    const config = loadConfig({});
    for (const setting of describeSettings()) {
      const value = config[setting.key];
      if (value === undefined) continue;
      const env = { [setting.env]: String(value) };
      assert.deepEqual(loadConfig(env)[setting.key], value, setting.env);
    }
  });
});

describe('describeEffectiveSettings', () => {
  test('shows sources and masks the master key and database passwords', () => {
    const rows = describeEffectiveSettings(
      {
        KINWATCH_MASTER_KEY: KEY,
        KINWATCH_DATABASE_URL: 'postgres://kin:hunter2@db/kinwatch',
      },
      { httpPort: '9000' },
    );
    const byKey = new Map(rows.map((row) => [row.key, row]));
    assert.equal(byKey.get('httpPort')?.source, 'flag');
    assert.equal(byKey.get('httpPort')?.shownValue, '9000');
    assert.equal(byKey.get('masterKey')?.source, 'environment');
    assert.equal(byKey.get('masterKey')?.shownValue, '********');
    assert.equal(byKey.get('databaseUrl')?.shownValue, 'postgres://kin:***@db/kinwatch');
    assert.equal(byKey.get('busUrl')?.source, 'default');
    assert.ok(!JSON.stringify(rows).includes('hunter2'));
    const nats = describeEffectiveSettings({ KINWATCH_BUS_URL: 'nats://a:pw1@n1,nats://b:pw2@n2' });
    assert.equal(
      nats.find((row) => row.key === 'busUrl')?.shownValue,
      'nats://a:***@n1,nats://b:***@n2',
    );
    assert.ok(!JSON.stringify(rows).includes(KEY));
  });
});

describe('SMS settings', () => {
  const SID = `AC${'0123456789abcdef'.repeat(2)}`;
  const twilio = {
    KINWATCH_SMS_PROVIDER: 'twilio',
    KINWATCH_SMS_TWILIO_ACCOUNT_SID: SID,
    KINWATCH_SMS_TWILIO_AUTH_TOKEN: 'token-9f8e7d',
    KINWATCH_SMS_TWILIO_FROM: '+15005550006',
  };

  test('defaults: the outbox file, every country, and the limits of DEFAULT_SMS_LIMITS', () => {
    const config = loadConfig({});
    assert.equal(config.smsProvider, 'file');
    assert.equal(config.smsCountries, '*');
    assert.equal(config.smsHttpMethod, 'POST');
    assert.equal(config.smsHttpContentType, 'application/json');
    assert.equal(config.smsTwilioBaseUrl, 'https://api.twilio.com');
    assert.deepEqual(
      [
        config.smsLimitPerNumberHour,
        config.smsLimitPerNumberDay,
        config.smsLimitPerAddressHour,
        config.smsLimitPerPrefixHour,
        config.smsDailyBudget,
      ],
      [5, 10, 20, 30, 1_000],
    );
  });

  test('the http provider needs a URL', () => {
    const error = catchConfigError(() => loadConfig({ KINWATCH_SMS_PROVIDER: 'http' }));
    assert.deepEqual(error.problems, [
      'KINWATCH_SMS_PROVIDER=http needs KINWATCH_SMS_HTTP_URL; see docs/sms.md',
    ]);
    const config = loadConfig(
      { KINWATCH_SMS_PROVIDER: 'HTTP', KINWATCH_SMS_HTTP_URL: 'https://sms.example/send' },
      { smsHttpContentType: 'application/x-www-form-urlencoded', smsHttpMethod: 'put' },
    );
    assert.equal(config.smsProvider, 'http');
    assert.equal(config.smsHttpContentType, 'application/x-www-form-urlencoded');
    assert.equal(config.smsHttpMethod, 'PUT');
    assert.throws(
      () => loadConfig({ KINWATCH_SMS_HTTP_URL: 'ftp://x/y' }),
      /KINWATCH_SMS_HTTP_URL/,
    );
    assert.throws(
      () => loadConfig({ KINWATCH_SMS_HTTP_CONTENT_TYPE: 'text/xml' }),
      /expected one of application\/json, application\/x-www-form-urlencoded/,
    );
  });

  test('the twilio provider needs the account SID, the auth token and a sender', () => {
    assert.equal(loadConfig(twilio).smsTwilioAccountSid, SID);
    const error = catchConfigError(() =>
      loadConfig({ KINWATCH_SMS_PROVIDER: 'twilio', KINWATCH_SMS_TWILIO_FROM: 'Kinwatch' }),
    );
    assert.match(
      error.message,
      /KINWATCH_SMS_PROVIDER=twilio needs KINWATCH_SMS_TWILIO_ACCOUNT_SID, KINWATCH_SMS_TWILIO_AUTH_TOKEN;/,
    );
    assert.throws(
      () => loadConfig({ ...twilio, KINWATCH_SMS_TWILIO_ACCOUNT_SID: 'AC123' }),
      /expected AC followed by 32 hex digits/,
    );
  });

  test('a bad provider setting is reported alone, not also as a missing one', () => {
    const error = catchConfigError(() =>
      loadConfig({ KINWATCH_SMS_PROVIDER: 'http', KINWATCH_SMS_HTTP_URL: 'not a url' }),
    );
    assert.deepEqual(error.problems, [
      'KINWATCH_SMS_HTTP_URL=(value hidden): expected an http:// or https:// URL',
    ]);
  });

  test('credentials have no flag and are never shown', () => {
    const env = { ...twilio, KINWATCH_SMS_HTTP_AUTHORIZATION: 'Bearer abc-secret' };
    assert.equal(loadConfig({}, { smsTwilioAuthToken: 'x' }).smsTwilioAuthToken, undefined);
    assert.equal(loadConfig({}, { smsHttpAuthorization: 'x' }).smsHttpAuthorization, undefined);
    const shown = JSON.stringify(describeEffectiveSettings(env));
    assert.ok(!shown.includes('abc-secret') && !shown.includes('token-9f8e7d'));
    const flags = describeSettings().filter((setting) => setting.key.startsWith('sms'));
    assert.deepEqual(
      flags.filter((setting) => setting.isSecret).map((setting) => [setting.key, setting.flag]),
      [
        ['smsHttpUrl', '--sms-http-url'],
        ['smsHttpAuthorization', undefined],
        ['smsTwilioAuthToken', undefined],
      ],
    );
  });

  test('countries: * or two-letter codes, upper-cased and without repeats', () => {
    assert.equal(loadConfig({ KINWATCH_SMS_COUNTRIES: ' de, at,CH,de ' }).smsCountries, 'DE,AT,CH');
    for (const bad of ['DEU', 'DE;AT', 'DE,', '*,DE']) {
      assert.throws(
        () => loadConfig({ KINWATCH_SMS_COUNTRIES: bad }),
        /KINWATCH_SMS_COUNTRIES/,
        bad,
      );
    }
  });

  test('limits are whole numbers from 1', () => {
    assert.equal(loadConfig({ KINWATCH_SMS_DAILY_BUDGET: '250' }).smsDailyBudget, 250);
    assert.throws(() => loadConfig({ KINWATCH_SMS_LIMIT_PER_NUMBER_HOUR: '0' }), ConfigError);
  });
});

function catchConfigError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}
