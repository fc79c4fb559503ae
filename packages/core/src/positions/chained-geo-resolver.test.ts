import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordingLogger } from '../testing/recording-observability.ts';
import { ChainedGeoResolver } from './chained-geo-resolver.ts';
import type { GeoResolver, ResolvedFix } from './geo-resolver.ports.ts';

const fix: ResolvedFix = { source: 'cell', latitude: 1, longitude: 2, accuracyMeters: 900 };
const nothing: GeoResolver = { resolve: () => Promise.resolve(undefined) };
const found: GeoResolver = { resolve: () => Promise.resolve(fix) };
const broken: GeoResolver = { resolve: () => Promise.reject(new Error('service down')) };

test('the first resolver with an answer wins', async () => {
  const chain = new ChainedGeoResolver(
    [
      { name: 'local', resolver: nothing },
      { name: 'second', resolver: found },
      { name: 'third', resolver: broken },
    ],
    new RecordingLogger(),
  );
  assert.deepEqual(await chain.resolve([], []), fix);
});

test('a failing resolver is logged and skipped', async () => {
  const logger = new RecordingLogger();
  const chain = new ChainedGeoResolver(
    [
      { name: 'online', resolver: broken },
      { name: 'local', resolver: found },
    ],
    logger,
  );
  assert.deepEqual(await chain.resolve([], []), fix);
  assert.deepEqual(
    logger.entries.map((e) => [e.level, e.fields['resolver']]),
    [['warn', 'online']],
  );
});

test('no answer is undefined; only when every resolver fails does the chain reject', async () => {
  const logger = new RecordingLogger();
  assert.equal(await new ChainedGeoResolver([], logger).resolve([], []), undefined);
  const mixed = [
    { name: 'a', resolver: broken },
    { name: 'b', resolver: nothing },
  ];
  assert.equal(await new ChainedGeoResolver(mixed, logger).resolve([], []), undefined);
  const allBroken = [{ name: 'a', resolver: broken }];
  await assert.rejects(new ChainedGeoResolver(allBroken, logger).resolve([], []), /service down/);
});
