import { beforeEach, describe } from 'node:test';
import { InMemoryRateCounters } from '@kinwatch/core';
import { rateCounterContract } from './rate-counter.repository.contract.ts';
import { SqlRateCounterStore } from './rate-counter.repository.ts';
import { describeOnEachDatabase } from './sql-test-support.ts';

describeOnEachDatabase('RateCounterStore', (context) => {
  beforeEach(async () => {
    await context().db.deleteFrom('rate_counters').execute();
  });
  rateCounterContract(() => new SqlRateCounterStore(context().db));
});

describe('RateCounterStore in memory', () => {
  rateCounterContract(() => new InMemoryRateCounters());
});
