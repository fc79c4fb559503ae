import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { OutgoingFrames } from './outgoing-frames.ts';

/** Records what is written to it; `destroyed` as a closed socket reports it. */
function fakeSocket(log: string[], name: string): Socket & { destroyed: boolean } {
  return {
    destroyed: false,
    write(frame: Buffer) {
      log.push(`${name}:${frame.toString('latin1')}`);
      return true;
    },
  } as unknown as Socket & { destroyed: boolean };
}

describe('outgoing frames', () => {
  test('frames are written at the end of the turn, in the order they were queued', async () => {
    const log: string[] = [];
    const a = fakeSocket(log, 'a');
    const b = fakeSocket(log, 'b');
    const outgoing = new OutgoingFrames();
    outgoing.add(a, Buffer.from('1'));
    outgoing.add(b, Buffer.from('2'));
    outgoing.add(a, Buffer.from('3'));
    assert.deepEqual(log, [], 'nothing is written while the turn reads');
    assert.equal(outgoing.size, 3);
    await nextTurn();
    assert.deepEqual(log, ['a:1', 'b:2', 'a:3']);
    assert.equal(outgoing.size, 0);
  });

  test('a flush writes at once, and the turn does not write the same frames again', async () => {
    const log: string[] = [];
    const a = fakeSocket(log, 'a');
    const outgoing = new OutgoingFrames();
    outgoing.add(a, Buffer.from('reply'));
    outgoing.flush();
    assert.deepEqual(log, ['a:reply']);
    await nextTurn();
    assert.deepEqual(log, ['a:reply']);
    outgoing.add(a, Buffer.from('next'));
    await nextTurn();
    assert.deepEqual(log, ['a:reply', 'a:next'], 'a later turn is scheduled again');
  });

  test('a connection that went away before the flush is skipped; the others are written', async () => {
    const log: string[] = [];
    const gone = fakeSocket(log, 'gone');
    const kept = fakeSocket(log, 'kept');
    const outgoing = new OutgoingFrames();
    outgoing.add(gone, Buffer.from('x'));
    outgoing.add(kept, Buffer.from('y'));
    gone.destroyed = true;
    await nextTurn();
    assert.deepEqual(log, ['kept:y']);
  });

  test('a long queue is written without waiting for the end of the turn', async () => {
    const log: string[] = [];
    const a = fakeSocket(log, 'a');
    const outgoing = new OutgoingFrames();
    for (let i = 0; i < 63; i++) outgoing.add(a, Buffer.from(String(i)));
    assert.equal(log.length, 0);
    outgoing.add(a, Buffer.from('63'));
    assert.equal(log.length, 64, 'the 64th frame writes the batch');
    assert.deepEqual(log.slice(0, 2), ['a:0', 'a:1']);
    outgoing.add(a, Buffer.from('64'));
    await nextTurn();
    assert.deepEqual(log.slice(-2), ['a:63', 'a:64']);
  });
});
