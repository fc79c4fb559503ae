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
  /** How long the command may wait for the watch; the service's default when absent. */
  readonly ttlSeconds?: number;
}

/**
 * Commands that change a setting of the watch (`setUploadInterval`, `setSosNumbers`...) are also
 * the device twin: what guardians want (desired) until the watch acknowledges it (reported).
 */
export function isSettingCommand(type: string): boolean {
  return type.startsWith('set');
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
  readonly #defaultTtlSeconds: number | undefined;

  /** `defaultTtlSeconds`: how long a command waits for an offline watch unless told otherwise. */
  constructor(queue: CommandQueueRepository, bus: Bus, clock: Clock, defaultTtlSeconds?: number) {
    this.#queue = queue;
    this.#bus = bus;
    this.#clock = clock;
    this.#defaultTtlSeconds = defaultTtlSeconds;
  }

  /**
   * Queues `type` with `parameters` for the watch and announces it. Throws CommandRefusedError
   * for a type outside the allowlist. Parameters are checked by the gateway's encoder; a command
   * it cannot encode ends as `failed`. A setting command also becomes the twin's desired value.
   */
  async send(
    watchId: WatchId,
    type: string,
    parameters: JsonObject,
    options: SendOptions = {},
  ): Promise<QueuedCommand> {
    if (!isAllowedCommand(type)) throw new CommandRefusedError(`command ${type} is not allowed`);
    const now = this.#clock.now();
    const ttlSeconds = options.ttlSeconds ?? this.#defaultTtlSeconds;
    const command = await this.#queue.enqueue({
      watchId,
      type,
      payload: parameters,
      createdAt: now,
      expiresAt: ttlSeconds === undefined ? null : new Date(now.getTime() + ttlSeconds * 1000),
    });
    if (isSettingCommand(type)) await this.#queue.setDesired(watchId, type, parameters, now);
    const message: CommandQueuedMessage = { commandId: command.id };
    await this.#bus.publish(subjects.watchCommand(watchId), message);
    return command;
  }
}
