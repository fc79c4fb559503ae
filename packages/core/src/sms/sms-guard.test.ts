import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Clock } from '../observability/clock.ports.ts';
import { InMemoryRateCounters } from './in-memory-rate-counters.ts';
import {
  DEFAULT_SMS_LIMITS,
  SmsGuard,
  SmsRefusedError,
  type SmsLimits,
  type SmsRefusalReason,
  type SmsRequest,
} from './sms-guard.ts';

/** 08:00:00 UTC: an hour window ends in 3,600 s, the day window in 16 h. */
const T0 = new Date('2025-03-01T08:00:00.000Z');

class FakeClock implements Clock {
  current = T0;

  now(): Date {
    return this.current;
  }

  advanceSeconds(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

function setup(limits: Partial<SmsLimits> = {}) {
  const counters = new InMemoryRateCounters();
  const clock = new FakeClock();
  const guard = new SmsGuard({ ...DEFAULT_SMS_LIMITS, ...limits }, counters, clock);
  return { guard, counters, clock };
}

function request(overrides: Partial<SmsRequest> = {}): SmsRequest {
  return { to: '+447700900123', region: 'GB', clientAddress: '203.0.113.7', ...overrides };
}

/** Distinct numbers in distinct ranges, so that only the limit under test bites. */
function numberInRange(range: number, last = 0): string {
  return `+4477009${String(range).padStart(3, '0')}${String(last).padStart(3, '0')}`;
}

async function refusal(promise: Promise<void>): Promise<SmsRefusedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SmsRefusedError) return error;
    throw error;
  }
  assert.fail('expected the SMS to be refused');
}

async function admitTimes(guard: SmsGuard, times: number, make: (i: number) => SmsRequest) {
  for (let i = 0; i < times; i += 1) await guard.admit(make(i));
}

function assertRefused(error: SmsRefusedError, reason: SmsRefusalReason, retryAfter: number) {
  assert.equal(error.code, 'smsRefused');
  assert.equal(error.reason, reason);
  assert.equal(error.retryAfterSeconds, retryAfter);
}

describe('SmsGuard', () => {
  test('the defaults: 5 an hour and 10 a day per number, 20 per address, 30 per range, 1,000 a day', () => {
    assert.deepEqual(
      { ...DEFAULT_SMS_LIMITS },
      {
        allowedRegions: '*',
        perNumberPerHour: 5,
        perNumberPerDay: 10,
        perAddressPerHour: 20,
        perPrefixPerHour: 30,
        dailyBudget: 1_000,
      },
    );
  });

  test('a number gets 5 messages an hour; the 6th waits for the next hour', async () => {
    const { guard, clock } = setup();
    await admitTimes(guard, 5, () => request());
    clock.advanceSeconds(600);
    assertRefused(await refusal(guard.admit(request())), 'numberLimit', 3_000);
    clock.advanceSeconds(3_000);
    await guard.admit(request());
  });

  test('a number gets 10 messages a day, then waits for 00:00 UTC', async () => {
    const { guard, clock } = setup();
    for (let hour = 0; hour < 2; hour += 1) {
      await admitTimes(guard, 5, () => request());
      clock.advanceSeconds(3_600);
    }
    assertRefused(await refusal(guard.admit(request())), 'numberLimit', 14 * 3_600);
    clock.advanceSeconds(14 * 3_600);
    await guard.admit(request());
  });

  test('an IPv4 address may ask for 20 messages an hour, to any numbers', async () => {
    const { guard } = setup();
    await admitTimes(guard, 20, (i) => request({ to: numberInRange(i) }));
    const error = await refusal(guard.admit(request({ to: numberInRange(99) })));
    assertRefused(error, 'addressLimit', 3_600);
    await guard.admit(request({ to: numberInRange(99), clientAddress: '203.0.113.8' }));
  });

  test('IPv6 addresses count per /64, and IPv4-mapped addresses as the IPv4 address', async () => {
    const { guard } = setup({ perAddressPerHour: 2 });
    await guard.admit(request({ to: numberInRange(1), clientAddress: '2001:db8:0:1::1' }));
    await guard.admit(request({ to: numberInRange(2), clientAddress: '2001:db8:0:1:ffff::9' }));
    const sameNetwork = request({ to: numberInRange(3), clientAddress: '2001:0db8::1:abcd:1:2:3' });
    assertRefused(await refusal(guard.admit(sameNetwork)), 'addressLimit', 3_600);
    await guard.admit(request({ to: numberInRange(3), clientAddress: '2001:db8:0:2::1' }));

    await guard.admit(request({ to: numberInRange(4), clientAddress: '198.51.100.1' }));
    await guard.admit(request({ to: numberInRange(5), clientAddress: '::ffff:198.51.100.1' }));
    const mapped = request({ to: numberInRange(6), clientAddress: '::FFFF:c633:6401' });
    assertRefused(await refusal(guard.admit(mapped)), 'addressLimit', 3_600);
  });

  test('a number range (all but the last 3 digits) gets 30 messages an hour', async () => {
    const { guard } = setup();
    const fromEverywhere = (i: number) =>
      request({ to: numberInRange(7, i), clientAddress: `198.51.100.${i}` });
    await admitTimes(guard, 30, fromEverywhere);
    assertRefused(await refusal(guard.admit(fromEverywhere(30))), 'prefixLimit', 3_600);
    await guard.admit(request({ to: numberInRange(8, 30), clientAddress: '198.51.100.30' }));
  });

  test('the daily budget stops every message until 00:00 UTC', async () => {
    const { guard, clock } = setup({ dailyBudget: 3 });
    await admitTimes(guard, 3, (i) =>
      request({ to: numberInRange(i), clientAddress: `198.51.100.${i}` }),
    );
    const next = request({ to: numberInRange(50), clientAddress: '192.0.2.50' });
    assertRefused(await refusal(guard.admit(next)), 'dailyBudget', 16 * 3_600);
    clock.advanceSeconds(16 * 3_600);
    await guard.admit(next);
  });

  test('only numbers of allowed countries get messages; * allows every country', async () => {
    const { guard } = setup({ allowedRegions: ['DE', 'GB'] });
    await guard.admit(request({ region: 'GB' }));
    await guard.admit(request({ to: '+4915112345678', region: 'de' }));
    const premium = request({ to: '+88213000000', region: 'XX' });
    assertRefused(await refusal(guard.admit(premium)), 'countryNotAllowed', 0);
    const unknown = request({ region: undefined });
    assertRefused(await refusal(guard.admit(unknown)), 'countryNotAllowed', 0);

    await setup({ allowedRegions: '*' }).guard.admit(request({ region: undefined }));
  });

  test('refused requests use up no one else’s limits', async () => {
    const { guard, counters } = setup();
    for (let i = 0; i < 20; i += 1) {
      await guard.admit(request()).catch((error: unknown) => {
        assert.ok(error instanceof SmsRefusedError);
      });
    }
    assert.equal(await counters.count('sms.budget', 86_400, T0), 5);
    // The address asked 20 times but was only counted for the 5 messages that went out.
    await admitTimes(guard, 15, (i) => request({ to: numberInRange(i) }));
    const countries = setup({ allowedRegions: ['DE'] });
    await countries.guard.admit(request({ region: 'GB' })).catch(() => undefined);
    assert.equal(await countries.counters.count('sms.budget', 86_400, T0), 0);
  });

  test('requests racing for the last message: exactly one is admitted', async () => {
    const { guard, counters } = setup({ perNumberPerHour: 1 });
    const results = await Promise.allSettled([guard.admit(request()), guard.admit(request())]);
    assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
    const rejected = results.find((result) => result.status === 'rejected');
    assert.ok(rejected?.reason instanceof SmsRefusedError);
    assert.equal(rejected.reason.reason, 'numberLimit');
    assert.equal(await counters.count('sms.budget', 86_400, T0), 2);
  });

  test('several limits spent: the reason is the first, the wait is the longest', async () => {
    const { guard } = setup({ perNumberPerHour: 1, dailyBudget: 1 });
    await guard.admit(request());
    assertRefused(await refusal(guard.admit(request())), 'numberLimit', 16 * 3_600);
  });

  test('a number that is not E.164 is a programming error, not a refusal', async () => {
    const { guard } = setup();
    for (const to of ['07700900123', '+44 7700 900123', '+0123456789', '']) {
      await assert.rejects(guard.admit(request({ to })), RangeError, to);
    }
  });
});
