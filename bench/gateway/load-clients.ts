/** The orchestrator's handle on one load-client.ts process: send it orders, await its reports. */
import type { ChildProcess } from 'node:child_process';
import { CLIENT_CPU, startNodeScript, stopProcess, waitForExit } from './processes.ts';
import {
  loopbackSources,
  type ClientMessage,
  type FleetOrder,
  type FleetReport,
  type LoadTask,
} from './load-messages.ts';

type MessageOf<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

export class LoadClient {
  readonly pid: number;
  readonly #child: ChildProcess;
  readonly #inbox: ClientMessage[] = [];
  /** The last lines the process printed, for error messages. */
  readonly #output: string[];
  #wake: (() => void) | undefined;

  private constructor(child: ChildProcess, output: string[]) {
    this.#child = child;
    this.#output = output;
    this.pid = child.pid as number;
    child.on('message', (message: ClientMessage) => {
      this.#inbox.push(message);
      this.#wake?.();
    });
    child.once('exit', () => this.#wake?.());
  }

  /** Starts a client process pinned to the load CPU and hands it its task. */
  static start(task: LoadTask): LoadClient {
    const output: string[] = [];
    const child = startNodeScript('bench/gateway/load-client.ts', [], {
      cpu: CLIENT_CPU,
      ipc: true,
      onLine: (line) => {
        output.push(line);
        if (output.length > 20) output.shift();
      },
    });
    const client = new LoadClient(child, output);
    child.send(task);
    return client;
  }

  /**
   * The heartbeat load of G1 and G2: `connections` watches from `firstDeviceId` on, in a closed
   * loop of keep-alives against 127.0.0.1:`port`, from the loopback source addresses.
   */
  static startHeartbeatLoop(
    port: number,
    firstDeviceId: number,
    connections: number,
    seconds: { readonly warmup: number; readonly measure: number },
  ): LoadClient {
    return LoadClient.start({
      kind: 'closedLoop',
      host: '127.0.0.1',
      port,
      firstDeviceId,
      sources: loopbackSources(),
      maxConnectsInFlight: 1000,
      connections,
      warmupSeconds: seconds.warmup,
      measureSeconds: seconds.measure,
    });
  }

  /** Resolves with the next message, which must be of `type`. */
  async next<T extends ClientMessage['type']>(type: T, timeoutMs: number): Promise<MessageOf<T>> {
    const deadline = performance.now() + timeoutMs;
    while (this.#inbox.length === 0) {
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
        const how = String(this.#child.exitCode ?? this.#child.signalCode);
        throw new Error(`load client ${this.pid} exited (${how}):\n${this.#output.join('\n')}`);
      }
      const left = deadline - performance.now();
      if (left <= 0)
        throw new Error(`load client ${this.pid}: no '${type}' within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    const message = this.#inbox.shift() as ClientMessage;
    if (message.type === 'failed')
      throw new Error(`load client ${this.pid} failed: ${message.message}`);
    if (message.type !== type)
      throw new Error(`load client ${this.pid}: expected '${type}', got '${message.type}'`);
    return message as MessageOf<T>;
  }

  /** Sends a fleet order and resolves with its report. */
  async order(order: FleetOrder, timeoutMs: number): Promise<FleetReport> {
    this.#child.send(order);
    return (await this.next('fleet', timeoutMs)).report;
  }

  /** Sends the order without waiting (to start several clients at the same moment). */
  send(order: FleetOrder): void {
    this.#child.send(order);
  }

  async exited(timeoutMs: number): Promise<void> {
    await waitForExit(this.#child, timeoutMs);
  }

  stop(): Promise<void> {
    return stopProcess(this.#child, 'SIGKILL');
  }
}
