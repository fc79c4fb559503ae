import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SmsDeliveryError } from '@kinwatch/core';
import { FileSmsSender, SMS_OUTBOX_FILE } from './file-sms-sender.ts';

const AT = new Date('2025-03-01T08:00:00.000Z');
const clock = { now: () => AT };

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinwatch-sms-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  assert.ok(text.endsWith('\n'));
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

test('each message is one JSON line with the time, the number and the text', async () => {
  const path = join(dir, 'one', SMS_OUTBOX_FILE);
  const sender = new FileSmsSender(path, clock);
  await sender.send({ to: '+447700900123', text: 'Your code is 482913' });
  await sender.send({ to: '+15550100', text: 'two\nlines "quoted"' });
  assert.deepEqual(await lines(path), [
    { at: '2025-03-01T08:00:00.000Z', to: '+447700900123', text: 'Your code is 482913' },
    { at: '2025-03-01T08:00:00.000Z', to: '+15550100', text: 'two\nlines "quoted"' },
  ]);
});

test(
  'the outbox is readable by the server’s user only',
  { skip: process.platform === 'win32' },
  async () => {
    const path = join(dir, 'mode', SMS_OUTBOX_FILE);
    await new FileSmsSender(path, clock).send({ to: '+447700900123', text: 'x' });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  },
);

test('concurrent sends give whole lines, in the order sent', async () => {
  const path = join(dir, 'burst', SMS_OUTBOX_FILE);
  const sender = new FileSmsSender(path, clock);
  const long = 'x'.repeat(100_000);
  await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      sender.send({ to: `+4477009001${String(i).padStart(2, '0')}`, text: `${i}:${long}` }),
    ),
  );
  const written = (await lines(path)) as { to: string; text: string }[];
  assert.equal(written.length, 50);
  written.forEach((line, i) => {
    assert.equal(line.text, `${i}:${long}`);
  });
});

test('a file that cannot be written is a delivery failure, and later sends still work', async () => {
  const path = join(dir, 'blocked', SMS_OUTBOX_FILE);
  // A directory where the file should be: fails for every user, root included.
  await mkdir(path, { recursive: true });
  const sender = new FileSmsSender(path, clock);
  await assert.rejects(sender.send({ to: '+447700900123', text: 'first' }), (error) => {
    assert.ok(error instanceof SmsDeliveryError);
    assert.match(error.message, /EISDIR/);
    assert.ok(!error.message.includes('+447700900123'));
    return true;
  });
  await rm(path, { recursive: true });
  await sender.send({ to: '+447700900123', text: 'second' });
  assert.equal((await lines(path)).length, 1);
});
