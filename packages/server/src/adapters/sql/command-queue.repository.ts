import {
  isCommandStatus,
  PENDING_STATUSES,
  type CommandQueueRepository,
  type CommandStatus,
  type FieldCipher,
  type JsonObject,
  type JsonValue,
  type NewCommand,
  type QueuedCommand,
  type TwinEntry,
  type TwinValue,
  type WatchId,
} from '@kinwatch/core';
import type { Selectable } from 'kysely';
import type { CommandsTable, Db } from './database.ts';
import { fromMillis, fromNullableMillis, toMillis } from './epoch-millis.ts';
import { knownValue } from './stored-value.ts';

/**
 * Commands and twin values are sealed: they carry SOS numbers, phonebook names and quiet
 * times. The command type and the lifecycle columns stay in the clear for the queue to work.
 */
export class SqlCommandQueueRepository implements CommandQueueRepository {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async enqueue(command: NewCommand): Promise<QueuedCommand> {
    if (command.type === '') throw new RangeError('a command needs a type');
    const row = await this.#db
      .insertInto('commands')
      .values({
        watch_id: command.watchId,
        type: command.type,
        payload_sealed: await this.#sealJson(command.watchId, command.payload),
        status: 'queued',
        created_at: toMillis(command.createdAt),
        expires_at: command.expiresAt === null ? null : toMillis(command.expiresAt),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.#fromRow(row);
  }

  async findById(id: number): Promise<QueuedCommand | undefined> {
    const row = await this.#db
      .selectFrom('commands')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#fromRow(row);
  }

  async pending(watchId: WatchId): Promise<QueuedCommand[]> {
    const rows = await this.#db
      .selectFrom('commands')
      .selectAll()
      .where('watch_id', '=', watchId)
      .where('status', 'in', PENDING_STATUSES)
      .orderBy('id', 'asc')
      .execute();
    return Promise.all(rows.map((row) => this.#fromRow(row)));
  }

  async watchesWithPending(
    afterId: number,
  ): Promise<{ readonly watchIds: WatchId[]; readonly lastId: number }> {
    const last = await this.#db
      .selectFrom('commands')
      .select((eb) => eb.fn.max('id').as('last_id'))
      .executeTakeFirst();
    const lastId = last?.last_id ?? 0;
    if (lastId <= afterId) return { watchIds: [], lastId };
    const rows = await this.#db
      .selectFrom('commands')
      .select('watch_id')
      .distinct()
      .where('id', '>', afterId)
      .where('status', 'in', PENDING_STATUSES)
      .execute();
    return { watchIds: rows.map((row) => row.watch_id), lastId };
  }

  async markSent(id: number, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('commands')
      .set((eb) => ({
        status: 'sent',
        sent_at: toMillis(at),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('status', 'in', PENDING_STATUSES)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  markAcknowledged(id: number, at: Date): Promise<boolean> {
    return this.#settle(id, 'acknowledged', at);
  }

  markFailed(id: number, at: Date): Promise<boolean> {
    return this.#settle(id, 'failed', at);
  }

  markUnconfirmed(id: number, at: Date): Promise<boolean> {
    return this.#settle(id, 'unconfirmed', at);
  }

  async expireOlderThan(now: Date): Promise<number> {
    const millis = toMillis(now);
    const result = await this.#db
      .updateTable('commands')
      .set({ status: 'expired', settled_at: millis })
      .where('status', 'in', PENDING_STATUSES)
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', millis)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async setDesired(watchId: WatchId, key: string, value: JsonValue, at: Date): Promise<void> {
    checkTwinKey(key);
    await this.#db
      .insertInto('watch_twin')
      .values({
        watch_id: watchId,
        key,
        desired_sealed: await this.#sealJson(watchId, value),
        desired_at: toMillis(at),
        reported_sealed: null,
        reported_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['watch_id', 'key']).doUpdateSet((eb) => ({
          desired_sealed: eb.ref('excluded.desired_sealed'),
          desired_at: eb.ref('excluded.desired_at'),
        })),
      )
      .execute();
  }

  async setReported(watchId: WatchId, key: string, value: JsonValue, at: Date): Promise<void> {
    checkTwinKey(key);
    await this.#db
      .insertInto('watch_twin')
      .values({
        watch_id: watchId,
        key,
        desired_sealed: null,
        desired_at: null,
        reported_sealed: await this.#sealJson(watchId, value),
        reported_at: toMillis(at),
      })
      .onConflict((oc) =>
        oc.columns(['watch_id', 'key']).doUpdateSet((eb) => ({
          reported_sealed: eb.ref('excluded.reported_sealed'),
          reported_at: eb.ref('excluded.reported_at'),
        })),
      )
      .execute();
  }

  async twin(watchId: WatchId): Promise<TwinEntry[]> {
    const rows = await this.#db
      .selectFrom('watch_twin')
      .selectAll()
      .where('watch_id', '=', watchId)
      .orderBy('key', 'asc')
      .execute();
    return Promise.all(
      rows.map(async (row) => ({
        key: row.key,
        desired: await this.#twinValue(watchId, row.desired_sealed, row.desired_at),
        reported: await this.#twinValue(watchId, row.reported_sealed, row.reported_at),
      })),
    );
  }

  async #settle(id: number, status: CommandStatus, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('commands')
      .set({ status, settled_at: toMillis(at) })
      .where('id', '=', id)
      .where('status', 'in', PENDING_STATUSES)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async #twinValue(
    watchId: WatchId,
    sealed: Uint8Array | null,
    at: number | null,
  ): Promise<TwinValue | null> {
    if (sealed === null || at === null) return null;
    return { value: await this.#openJson(watchId, sealed), at: fromMillis(at) };
  }

  async #fromRow(row: Selectable<CommandsTable>): Promise<QueuedCommand> {
    return {
      id: row.id,
      watchId: row.watch_id,
      type: row.type,
      payload: (await this.#openJson(row.watch_id, row.payload_sealed)) as JsonObject,
      status: knownValue(row.status, isCommandStatus, 'command status'),
      createdAt: fromMillis(row.created_at),
      sentAt: fromNullableMillis(row.sent_at),
      settledAt: fromNullableMillis(row.settled_at),
      expiresAt: fromNullableMillis(row.expires_at),
      attempts: row.attempts,
    };
  }

  #sealJson(watchId: WatchId, value: JsonValue): Promise<Uint8Array> {
    return this.#cipher.seal(watchId, new TextEncoder().encode(JSON.stringify(value)));
  }

  async #openJson(watchId: WatchId, sealed: Uint8Array): Promise<JsonValue> {
    const text = new TextDecoder().decode(await this.#cipher.open(watchId, sealed));
    return JSON.parse(text) as JsonValue;
  }
}

function checkTwinKey(key: string): void {
  if (key === '' || key.length > 200) {
    throw new RangeError('a twin key must be 1 to 200 characters');
  }
}
