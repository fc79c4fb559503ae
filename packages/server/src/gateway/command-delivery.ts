import {
  isSettingCommand,
  subjects,
  type Bus,
  type Clock,
  type CommandQueueRepository,
  type Counter,
  type Logger,
  type Metrics,
  type QueuedCommand,
  type WatchId,
} from '@kinwatch/core';
import {
  encodeCommand,
  expectsAck,
  matchAck,
  validateCommand,
  type Command,
  type CommandAck,
} from '@kinwatch/protocol';
import { PendingCommandWatches } from './pending-command-watches.ts';
import type { WatchSession } from './session.ts';

/** Published on `watch.<id>.event.commandProgress` whenever a command changes state. */
export interface CommandProgressEvent {
  readonly type: 'commandProgress';
  readonly commandId: number;
  readonly commandType: string;
  readonly status: QueuedCommand['status'];
  readonly at: string;
}

export interface CommandDeliveryDeps {
  readonly commands: CommandQueueRepository;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Writes queued commands to the watch that holds the route for them and settles them from the
 * watch's acknowledgements. A command that was sent but not settled is sent again when the
 * watch reconnects; one that the watch never answers becomes `unconfirmed` after the timeout
 * (some firmware silently ignores commands it does not support, Traccar issue #2285).
 */
export class CommandDelivery {
  readonly #deps: CommandDeliveryDeps;
  readonly #ackTimeoutMs: number;
  readonly #maxPendingWriteBytes: number;
  /** Commands written and waiting for an acknowledgement: id -> when it was written. */
  readonly #awaiting = new Map<number, { readonly watchId: string; readonly sentAt: number }>();
  readonly #sent: Counter;
  readonly #settled: Counter;
  readonly #pendingWatches: PendingCommandWatches;

  constructor(deps: CommandDeliveryDeps, ackTimeoutSeconds: number, maxPendingWriteBytes: number) {
    this.#deps = deps;
    this.#ackTimeoutMs = ackTimeoutSeconds * 1000;
    this.#maxPendingWriteBytes = maxPendingWriteBytes;
    this.#pendingWatches = new PendingCommandWatches(deps.commands);
    this.#sent = deps.metrics.counter(
      'kinwatch_commands_sent_total',
      'Commands written to watches',
    );
    this.#settled = deps.metrics.counter(
      'kinwatch_commands_settled_total',
      'Commands settled, by outcome',
    );
  }

  /** Learns which watches have commands waiting; before the first `deliverPending`. */
  loadPending(): Promise<void> {
    return this.#pendingWatches.load();
  }

  /** A command was queued for the watch (announced on the bus): it is delivered on connect. */
  noteQueued(watchId: WatchId): void {
    this.#pendingWatches.mark(watchId);
  }

  /** False when the watch certainly has nothing pending, and `deliverPending` would do nothing. */
  mayHavePending(watchId: WatchId): boolean {
    return this.#pendingWatches.mayHave(watchId);
  }

  /**
   * Finds commands stored since the last look, including ones no announcement reached this
   * gateway for, and returns the watches they are for: `deliverQueued` sends them to those
   * that are connected.
   */
  findNewlyQueued(): Promise<WatchId[]> {
    return this.#pendingWatches.scan();
  }

  /** Sends everything still pending for the session's watch, oldest first (on connect). */
  async deliverPending(session: WatchSession): Promise<void> {
    const watchId = session.watchId;
    if (watchId === undefined || !this.#pendingWatches.mayHave(watchId)) return;
    const mark = this.#pendingWatches.markOf(watchId);
    const pending = await this.#deps.commands.pending(watchId);
    if (pending.length === 0) this.#pendingWatches.clearIfUnchanged(watchId, mark);
    for (const command of pending) await this.deliver(session, command);
  }

  /** Sends the commands of the session's watch that were never written, oldest first. */
  async deliverQueued(session: WatchSession): Promise<void> {
    if (session.watchId === undefined) return;
    for (const command of await this.#deps.commands.pending(session.watchId)) {
      if (command.status === 'queued') await this.deliver(session, command);
    }
  }

  /**
   * Sends one newly queued command by id, if it belongs to the session's watch and was not
   * written yet (a connect or a scan may have sent it first: once is enough until reconnect).
   */
  async deliverById(session: WatchSession, commandId: number): Promise<void> {
    const command = await this.#deps.commands.findById(commandId);
    if (command === undefined || command.watchId !== session.watchId) return;
    if (command.status !== 'queued') return;
    await this.deliver(session, command);
  }

  async deliver(session: WatchSession, queued: QueuedCommand): Promise<void> {
    const target = session.target;
    if (target === undefined || !session.isRoute) return;
    const now = this.#deps.clock.now();
    if (queued.expiresAt !== null && queued.expiresAt <= now) return;
    const command = { ...queued.payload, type: queued.type } as unknown as Command;
    let frame: Buffer;
    try {
      validateCommand(command);
      frame = encodeCommand(target, command);
    } catch (error) {
      this.#deps.logger.warn(
        { commandId: queued.id, err: String(error) },
        'command cannot be encoded',
      );
      await this.#settle(queued, 'failed', now);
      return;
    }
    if (!session.write(frame, this.#maxPendingWriteBytes)) return;
    this.#sent.inc({ type: queued.type });
    await this.#deps.commands.markSent(queued.id, now);
    if (!expectsAck(command)) {
      await this.#settle(queued, 'unconfirmed', now);
      return;
    }
    this.#awaiting.set(queued.id, { watchId: queued.watchId, sentAt: now.getTime() });
    await this.#publish(queued, 'sent', now);
  }

  /** Settles the oldest pending command the acknowledgement answers. */
  async acknowledge(session: WatchSession, ack: CommandAck): Promise<void> {
    if (session.watchId === undefined) return;
    const pending = (await this.#deps.commands.pending(session.watchId)).filter(
      (c) => c.status === 'sent',
    );
    const id = matchAck(
      pending.map((c) => ({
        id: String(c.id),
        command: { ...c.payload, type: c.type } as unknown as Command,
      })),
      ack,
    );
    const command = pending.find((c) => String(c.id) === id);
    if (command === undefined) {
      this.#deps.logger.info(
        { watchId: session.watchId, keyword: ack.keyword },
        'unmatched acknowledgement',
      );
      return;
    }
    const isRefused = ack.isSuccess === false;
    await this.#settle(command, isRefused ? 'failed' : 'acknowledged', this.#deps.clock.now());
  }

  /** Marks commands that waited too long for an answer as unconfirmed, and expires old ones. */
  async sweep(now: Date): Promise<void> {
    const limit = now.getTime() - this.#ackTimeoutMs;
    for (const [id, waiting] of this.#awaiting) {
      if (waiting.sentAt > limit) continue;
      this.#awaiting.delete(id);
      const command = await this.#deps.commands.findById(id);
      if (command?.status === 'sent') await this.#settle(command, 'unconfirmed', now);
    }
    const expired = await this.#deps.commands.expireOlderThan(now);
    if (expired > 0) this.#settled.inc({ outcome: 'expired' }, expired);
  }

  async #settle(
    command: QueuedCommand,
    outcome: 'acknowledged' | 'failed' | 'unconfirmed',
    at: Date,
  ): Promise<void> {
    this.#awaiting.delete(command.id);
    const commands = this.#deps.commands;
    const isChanged =
      outcome === 'acknowledged'
        ? await commands.markAcknowledged(command.id, at)
        : outcome === 'failed'
          ? await commands.markFailed(command.id, at)
          : await commands.markUnconfirmed(command.id, at);
    if (!isChanged) return;
    if (outcome === 'acknowledged' && isSettingCommand(command.type)) {
      await commands.setReported(command.watchId, command.type, command.payload, at);
    }
    this.#settled.inc({ outcome });
    await this.#publish(command, outcome, at);
  }

  async #publish(command: QueuedCommand, status: QueuedCommand['status'], at: Date): Promise<void> {
    const event: CommandProgressEvent = {
      type: 'commandProgress',
      commandId: command.id,
      commandType: command.type,
      status,
      at: at.toISOString(),
    };
    await this.#deps.bus.publish(subjects.watchEvent(command.watchId, 'commandProgress'), event);
  }
}
