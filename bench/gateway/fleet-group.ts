/**
 * Many idle watches against one server, split over several load-client processes (one process
 * holds at most about 19,900 sockets here), driven together: every order goes to every process
 * at once and the group reports the sum, and the latest moment any of them finished.
 */
import { LoadClient } from './load-clients.ts';
import { loopbackSources, type FleetOrder, type FleetReport } from './load-messages.ts';

export interface FleetGroupOptions {
  readonly port: number;
  readonly firstDeviceId: number;
  readonly watches: number;
  readonly processes: number;
  /** Across all processes of the group. */
  readonly maxConnectsInFlight: number;
  readonly deadlineSeconds: number;
  /** See FleetTask.releaseOn. */
  readonly releaseOn: 'connect' | 'reply';
}

export interface FleetTotals {
  readonly watches: number;
  readonly answered: number;
  readonly failed: number;
  readonly retries: number;
  readonly closedByServer: number;
  /** CLOCK_MONOTONIC ns of the last connect and the last first reply, over all processes. */
  readonly lastConnectedAtNs: bigint;
  readonly lastAnsweredAtNs: bigint;
}

export class FleetGroup {
  readonly clients: readonly LoadClient[];
  readonly #deadlineMs: number;

  constructor(options: FleetGroupOptions) {
    const sources = loopbackSources();
    const clients: LoadClient[] = [];
    let assigned = 0;
    for (let i = 0; i < options.processes; i++) {
      const watches = Math.floor((options.watches * (i + 1)) / options.processes) - assigned;
      clients.push(
        LoadClient.start({
          kind: 'fleet',
          host: '127.0.0.1',
          port: options.port,
          firstDeviceId: options.firstDeviceId + assigned,
          // Each process starts on a different source address so that the group spreads evenly.
          sources: [...sources.slice(i % sources.length), ...sources.slice(0, i % sources.length)],
          maxConnectsInFlight: Math.max(
            1,
            Math.floor(options.maxConnectsInFlight / options.processes),
          ),
          watches,
          deadlineSeconds: options.deadlineSeconds,
          retryDelayMs: 100,
          releaseOn: options.releaseOn,
        }),
      );
      assigned += watches;
    }
    this.clients = clients;
    this.#deadlineMs = (options.deadlineSeconds + 30) * 1000;
  }

  get pids(): number[] {
    return this.clients.map((c) => c.pid);
  }

  /** Sends the order to every process at once. */
  send(order: FleetOrder): void {
    for (const client of this.clients) client.send(order);
  }

  /** Waits for every process's report of the order last sent. */
  async collect(): Promise<FleetTotals> {
    const reports = await Promise.all(this.clients.map((c) => c.next('fleet', this.#deadlineMs)));
    return total(reports.map((m) => m.report));
  }

  async order(order: FleetOrder): Promise<FleetTotals> {
    this.send(order);
    return this.collect();
  }

  /** Drops every connection (RST) and ends the processes. */
  async close(): Promise<void> {
    try {
      await this.order('close');
      await Promise.all(this.clients.map((c) => c.exited(10_000)));
    } finally {
      await Promise.all(this.clients.map((c) => c.stop()));
    }
  }
}

function total(reports: readonly FleetReport[]): FleetTotals {
  const sum = (pick: (r: FleetReport) => number) => reports.reduce((s, r) => s + pick(r), 0);
  const latest = (pick: (r: FleetReport) => string) =>
    reports.reduce((max, r) => (BigInt(pick(r)) > max ? BigInt(pick(r)) : max), 0n);
  return {
    watches: sum((r) => r.watches),
    answered: sum((r) => r.answered),
    failed: sum((r) => r.failed),
    retries: sum((r) => r.retries),
    closedByServer: sum((r) => r.closedByServer),
    lastConnectedAtNs: latest((r) => r.lastConnectedAtNs),
    lastAnsweredAtNs: latest((r) => r.lastAnsweredAtNs),
  };
}
