import { subjects, type Bus } from '../bus/bus.ports.ts';
import type { JsonObject } from '../json/json-value.ts';
import type { Clock } from '../observability/clock.ports.ts';
import type { WatchId } from '../watches/watch.model.ts';
import { isAllowedCommand } from './command-allowlist.ts';
import type { QueuedCommand } from './command.model.ts';
import type { CommandQueueRepository } from './command.ports.ts';

/** A command refused before it was queued. */
export class CommandRefusedError extends Error {
  readonly code = 'commandRefused';
}

/** Message published on `watch.<id>.command` when a command is queued. */
export interface CommandQueuedMessage {
  readonly commandId: number;
}

export interface SendOptions {
  /** How long the command may wait for the watch; undefined waits until it is delivered. */
  readonly ttlSeconds?: number;
}

/**
 * Queues commands for watches. The command is stored first (so it survives a restart and waits
 * for an offline watch), then announced on the bus to whichever gateway holds the watch's
 * socket. Only allowlisted command types are accepted.
 */
export class CommandService {
  readonly #queue: CommandQueueRepository;
  readonly #bus: Bus;
  readonly #clock: Clock;

  constructor(queue: CommandQueueRepository, bus: Bus, clock: Clock) {
    this.#queue = queue;
    this.#bus = bus;
    this.#clock = clock;
  }

  /**
   * Queues `type` with `parameters` for the watch and announces it. Throws CommandRefusedError
   * for a type outside the allowlist. Parameters are checked by the gateway's encoder; a command
   * it cannot encode ends as `failed`.
   */
  async send(
    watchId: WatchId,
    type: string,
    parameters: JsonObject,
    options: SendOptions = {},
  ): Promise<QueuedCommand> {
    if (!isAllowedCommand(type)) throw new CommandRefusedError(`command ${type} is not allowed`);
    const now = this.#clock.now();
    const command = await this.#queue.enqueue({
      watchId,
      type,
      payload: parameters,
      createdAt: now,
      expiresAt:
        options.ttlSeconds === undefined
          ? null
          : new Date(now.getTime() + options.ttlSeconds * 1000),
    });
    const message: CommandQueuedMessage = { commandId: command.id };
    await this.#bus.publish(subjects.watchCommand(watchId), message);
    return command;
  }
}
