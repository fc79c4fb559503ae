import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Logger } from '@kinwatch/core';
import { busContract } from './bus.contract.ts';
import { MemoryBus } from './memory-bus.ts';

interface LoggedLine {
  readonly level: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string;
}

function recordingLogger(lines: LoggedLine[] = []): Logger & { lines: LoggedLine[] } {
  const at =
    (level: string) =>
    (fields: Readonly<Record<string, unknown>>, message: string): void => {
      lines.push({ level, fields, message });
    };
  const logger = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}

busContract('memory', () => {
  const bus = new MemoryBus(recordingLogger());
  return Promise.resolve({ bus, close: () => bus.close() });
});

describe('MemoryBus', () => {
  test('a failing handler is logged with its subject and error', async () => {
    const logger = recordingLogger();
    const bus = new MemoryBus(logger);
    bus.subscribe('watch.*.command', () => {
      throw new Error('cannot deliver');
    });
    await bus.publish('watch.7.command', { type: 'locateNow' });
    await bus.close();
    assert.equal(logger.lines.length, 1);
    const [line] = logger.lines;
    assert.ok(line !== undefined);
    assert.equal(line.level, 'error');
    assert.equal(line.fields['subject'], 'watch.7.command');
    assert.equal(line.fields['subscription'], 'watch.*.command');
    assert.match(String(line.fields['err']), /cannot deliver/);
  });

  test('close waits for queued messages, then refuses new ones', async () => {
    const bus = new MemoryBus(recordingLogger());
    const handled: number[] = [];
    bus.subscribe('jobs', async (message) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      handled.push(Number(message));
    });
    for (const message of [1, 2, 3]) await bus.publish('jobs', message);
    await bus.close();
    assert.deepEqual(handled, [1, 2, 3]);
    await assert.rejects(bus.publish('jobs', 4), /closed/);
  });

  test('a message JSON cannot carry is refused at publish', async () => {
    const bus = new MemoryBus(recordingLogger());
    await assert.rejects(bus.publish('a', undefined), TypeError);
    await assert.rejects(bus.publish('a', 10n), TypeError);
    await bus.close();
  });
});
