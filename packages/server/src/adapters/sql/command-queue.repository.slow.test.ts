import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTwinInSync, type NewCommand, type WatchId } from '@kinwatch/core';
import { SqlCommandQueueRepository } from './command-queue.repository.ts';
import { describeOnEachDatabase } from './sql-test-support.ts';
import { SqlWatchRepository } from './watch.repository.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describeOnEachDatabase('CommandQueueRepository', (context) => {
  const setup = async () => {
    const { db, cipher } = context();
    const watches = new SqlWatchRepository(db, cipher);
    await watches.provision(['8800000015', '8800000016'], T0);
    const a = (await watches.findByDeviceId('8800000015')) ?? assert.fail();
    const b = (await watches.findByDeviceId('8800000016')) ?? assert.fail();
    return { queue: new SqlCommandQueueRepository(db, cipher), a: a.id, b: b.id };
  };
  const command = (watchId: WatchId, overrides: Partial<NewCommand> = {}): NewCommand => ({
    watchId,
    type: 'setUploadInterval',
    payload: { intervalSeconds: 60 },
    createdAt: T0,
    expiresAt: null,
    ...overrides,
  });

  test('watchesWithPending: each watch with a pending command once, and the last id', async () => {
    const { queue, a, b } = await setup();
    assert.deepEqual(await queue.watchesWithPending(0), { watchIds: [], lastId: 0 });
    const first = await queue.enqueue(command(a));
    await queue.enqueue(command(a));
    const settled = await queue.enqueue(command(b));
    await queue.markSent(first.id, at(1));
    await queue.markAcknowledged(settled.id, at(2));
    const all = await queue.watchesWithPending(0);
    assert.deepEqual(all, { watchIds: [a], lastId: settled.id });
    assert.deepEqual(await queue.watchesWithPending(all.lastId), {
      watchIds: [],
      lastId: settled.id,
    });
    const later = await queue.enqueue(command(b));
    const since = await queue.watchesWithPending(all.lastId);
    assert.deepEqual(since, { watchIds: [b], lastId: later.id });
  });

  test('enqueue returns the stored command, queued with no attempts', async () => {
    const { queue, a } = await setup();
    const queued = await queue.enqueue(
      command(a, { payload: { numbers: ['+15550100', '+15550101'], slot: 1 }, expiresAt: at(600) }),
    );
    assert.deepEqual(queued, {
      id: queued.id,
      watchId: a,
      type: 'setUploadInterval',
      payload: { numbers: ['+15550100', '+15550101'], slot: 1 },
      status: 'queued',
      createdAt: T0,
      sentAt: null,
      settledAt: null,
      expiresAt: at(600),
      attempts: 0,
    });
    assert.deepEqual(await queue.findById(queued.id), queued);
    assert.equal(await queue.findById(queued.id + 1000), undefined);
  });

  test('pending lists queued and sent commands of the watch, oldest first', async () => {
    const { queue, a, b } = await setup();
    const first = await queue.enqueue(command(a, { type: 'locateNow', payload: {} }));
    const second = await queue.enqueue(command(a));
    const third = await queue.enqueue(command(a, { type: 'findWatch', payload: {} }));
    await queue.enqueue(command(b));
    await queue.markSent(first.id, at(1));
    await queue.markAcknowledged(second.id, at(2));
    const pending = await queue.pending(a);
    assert.deepEqual(
      pending.map((c) => [c.id, c.status]),
      [
        [first.id, 'sent'],
        [third.id, 'queued'],
      ],
    );
  });

  test('queued -> sent -> acknowledged, counting attempts; settled commands stay settled', async () => {
    const { queue, a } = await setup();
    const { id } = await queue.enqueue(command(a));
    assert.equal(await queue.markSent(id, at(1)), true);
    assert.equal(await queue.markSent(id, at(5)), true, 'sent again on reconnect');
    assert.equal(await queue.markAcknowledged(id, at(6)), true);
    assert.equal(await queue.markAcknowledged(id, at(7)), false, 'a duplicate ack changes nothing');
    assert.equal(await queue.markFailed(id, at(8)), false);
    assert.equal(await queue.markSent(id, at(9)), false);
    const settled = await queue.findById(id);
    assert.equal(settled?.status, 'acknowledged');
    assert.equal(settled.attempts, 2);
    assert.deepEqual(settled.sentAt, at(5));
    assert.deepEqual(settled.settledAt, at(6));
    assert.equal(await queue.markAcknowledged(id + 1000, at(6)), false);
  });

  test('failed and unconfirmed settle a command', async () => {
    const { queue, a } = await setup();
    const failed = await queue.enqueue(command(a));
    const unconfirmed = await queue.enqueue(command(a));
    await queue.markSent(unconfirmed.id, at(1));
    assert.equal(await queue.markFailed(failed.id, at(2)), true);
    assert.equal(await queue.markUnconfirmed(unconfirmed.id, at(3)), true);
    assert.equal((await queue.findById(failed.id))?.status, 'failed');
    assert.equal((await queue.findById(unconfirmed.id))?.status, 'unconfirmed');
    assert.deepEqual(await queue.pending(a), []);
  });

  test('expireOlderThan settles pending commands whose time has come, and only those', async () => {
    const { queue, a, b } = await setup();
    const due = await queue.enqueue(command(a, { expiresAt: at(60) }));
    const dueSent = await queue.enqueue(command(b, { expiresAt: at(30) }));
    const notYet = await queue.enqueue(command(a, { expiresAt: at(61) }));
    const never = await queue.enqueue(command(a, { expiresAt: null }));
    const acknowledged = await queue.enqueue(command(a, { expiresAt: at(10) }));
    await queue.markSent(dueSent.id, at(1));
    await queue.markAcknowledged(acknowledged.id, at(2));
    assert.equal(await queue.expireOlderThan(at(60)), 2);
    assert.equal((await queue.findById(due.id))?.status, 'expired');
    assert.deepEqual((await queue.findById(due.id))?.settledAt, at(60));
    assert.equal((await queue.findById(dueSent.id))?.status, 'expired');
    assert.equal((await queue.findById(notYet.id))?.status, 'queued');
    assert.equal((await queue.findById(never.id))?.status, 'queued');
    assert.equal((await queue.findById(acknowledged.id))?.status, 'acknowledged');
    assert.equal(await queue.expireOlderThan(at(60)), 0);
  });

  test('payloads are sealed', async () => {
    const { queue, a } = await setup();
    await queue.enqueue(command(a, { type: 'setSosNumbers', payload: { numbers: ['+15550199'] } }));
    const row = await context().db.selectFrom('commands').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.type, 'setSosNumbers');
    assert.ok(!Buffer.from(row.payload_sealed).toString('latin1').includes('15550199'));
  });

  test('device twin: desired and reported kept apart, per key, with their times', async () => {
    const { queue, a, b } = await setup();
    assert.deepEqual(await queue.twin(a), []);
    await queue.setDesired(a, 'uploadIntervalSeconds', 60, at(1));
    await queue.setDesired(a, 'sosNumbers', ['+15550100'], at(2));
    await queue.setReported(a, 'uploadIntervalSeconds', 300, at(0));
    await queue.setDesired(b, 'uploadIntervalSeconds', 600, at(3));
    let twin = await queue.twin(a);
    assert.deepEqual(twin, [
      { key: 'sosNumbers', desired: { value: ['+15550100'], at: at(2) }, reported: null },
      {
        key: 'uploadIntervalSeconds',
        desired: { value: 60, at: at(1) },
        reported: { value: 300, at: at(0) },
      },
    ]);
    assert.deepEqual(twin.map(isTwinInSync), [false, false]);

    await queue.setReported(a, 'uploadIntervalSeconds', 60, at(5));
    await queue.setReported(a, 'quietTimes', { from: '08:00', to: '12:00' }, at(6));
    twin = await queue.twin(a);
    assert.deepEqual(twin[2], {
      key: 'uploadIntervalSeconds',
      desired: { value: 60, at: at(1) },
      reported: { value: 60, at: at(5) },
    });
    assert.deepEqual(twin[0], {
      key: 'quietTimes',
      desired: null,
      reported: { value: { from: '08:00', to: '12:00' }, at: at(6) },
    });
    assert.deepEqual(twin.map(isTwinInSync), [true, false, true]);
    assert.equal((await queue.twin(b)).length, 1);
    await assert.rejects(queue.setDesired(a, '', 1, at(7)), RangeError);
  });
});
