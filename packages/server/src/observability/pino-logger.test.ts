import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createPinoLogger } from './pino-logger.ts';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, stream };
}

test('writes one JSON line per call with the fields, the message and child bindings', () => {
  const { lines, stream } = capture();
  const logger = createPinoLogger({ level: 'info', destination: stream });
  logger.child({ component: 'gateway' }).warn({ reason: 'oversize' }, 'frame dropped');
  const [line] = lines();
  assert.ok(line !== undefined);
  assert.equal(line['msg'], 'frame dropped');
  assert.equal(line['reason'], 'oversize');
  assert.equal(line['component'], 'gateway');
  assert.equal(line['level'], 40);
});

test('drops lines below the level and serialises errors under err', () => {
  const { lines, stream } = capture();
  const logger = createPinoLogger({ level: 'warn', destination: stream });
  logger.info({}, 'not written');
  logger.error({ err: new RangeError('boom') }, 'failed');
  const written = lines();
  assert.equal(written.length, 1);
  const err = written[0]?.['err'] as Record<string, unknown> | undefined;
  assert.ok(err !== undefined);
  assert.equal(err['type'], 'RangeError');
  assert.equal(err['message'], 'boom');
});
