import {
  DomainError,
  type AccountRepository,
  type Clock,
  type GuardianRepository,
  type Logger,
  type RateCounterStore,
  type SecretSource,
  type SessionService,
  type WatchRepository,
} from '@kinwatch/core';
import type { SqlDemoRepository } from '../adapters/sql/demo.repository.ts';
import type { DemoStarter } from '../api/api-services.ts';
import { DemoWatch } from './demo-watch.ts';

export interface DemoDependencies {
  readonly accounts: AccountRepository;
  readonly guardians: GuardianRepository;
  readonly watches: WatchRepository;
  readonly demos: SqlDemoRepository;
  readonly sessions: SessionService;
  readonly secrets: SecretSource;
  readonly counters: RateCounterStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The gateway's TCP port, once it listens. */
  readonly gatewayPort: () => number | undefined;
  readonly lifetimeMinutes: number;
  /** Simulated watches at once; more demos are refused until some end. */
  readonly maxLive?: number;
  /** Seconds between the simulated watch's reports. */
  readonly reportIntervalSeconds?: number;
}

const DEMOS_PER_ADDRESS_HOUR = 10;
const SWEEP_INTERVAL_MS = 60_000;

/**
 * "Try the demo": a throw-away account, clearly marked, guarding one simulated watch that walks
 * a loop and reports over the real gateway. No SMS is sent. Everything is deleted when the demo
 * time is up (checked every minute, and at start for demos a restart left behind).
 */
export class DemoFamilies implements DemoStarter {
  readonly #deps: DemoDependencies;
  readonly #live = new Map<string, DemoWatch>();
  #sweep: NodeJS.Timeout | undefined;

  constructor(deps: DemoDependencies) {
    this.#deps = deps;
  }

  async start(client: { readonly userAgent: string; readonly address: string }): Promise<{
    readonly token: string;
  }> {
    const { accounts, guardians, watches, demos, sessions, secrets, clock } = this.#deps;
    const now = clock.now();
    await this.#admit(client.address, now);
    const accountId = secrets.id();
    const expiresAt = new Date(now.getTime() + this.#deps.lifetimeMinutes * 60_000);
    await accounts.create({
      id: accountId,
      phone: `demo:${accountId}`,
      nickname: 'Demo guardian',
      isDemo: true,
      expiresAt,
      createdAt: now,
    });
    const deviceId = `99${secrets.digits(13)}`;
    await watches.provision([deviceId], now);
    const watch = await watches.findByDeviceId(deviceId);
    if (watch === undefined) throw new Error('a demo watch just provisioned cannot be found');
    await demos.markDemoWatch(watch.id, expiresAt);
    await guardians.bind(
      watch.id,
      accountId,
      { name: 'Demo child', birthDate: null, watchPhone: null, avatarImageId: null },
      now,
    );
    this.#startWatch(deviceId);
    return { token: await sessions.start(accountId, client) };
  }

  /** Starts the hourly sweep of finished demos (and runs one now). */
  startSweeping(): void {
    this.#sweep = setInterval(() => {
      void this.sweep();
    }, SWEEP_INTERVAL_MS);
    this.#sweep.unref();
    void this.sweep();
  }

  /** Deletes demos whose time is up: their watches with everything stored, then the accounts. */
  async sweep(): Promise<number> {
    const { accounts, watches, demos, clock, logger } = this.#deps;
    const now = clock.now();
    try {
      for (const watchId of await demos.expiredWatches(now)) {
        const watch = await watches.findById(watchId);
        if (watch !== undefined) this.#live.get(watch.deviceId)?.stop();
        if (watch !== undefined) this.#live.delete(watch.deviceId);
        await watches.remove(watchId);
      }
      const expired = await accounts.listExpiredDemos(now);
      for (const accountId of expired) await accounts.remove(accountId);
      return expired.length;
    } catch (error) {
      logger.warn({ err: error }, 'demo sweep failed; retried in a minute');
      return 0;
    }
  }

  stop(): void {
    clearInterval(this.#sweep);
    for (const watch of this.#live.values()) watch.stop();
    this.#live.clear();
  }

  async #admit(address: string, now: Date): Promise<void> {
    const { demos, counters } = this.#deps;
    if (this.#deps.lifetimeMinutes === 0) {
      throw new DomainError(
        'unavailable',
        'demoDisabled',
        'The demo is switched off on this server.',
      );
    }
    if ((await counters.hit(`demo:${address}`, 3_600, now)) > DEMOS_PER_ADDRESS_HOUR) {
      throw new DomainError(
        'tooManyRequests',
        'tooManyDemos',
        'Too many demos from this address. Try again later.',
        {
          retryAfterSeconds: 3_600,
        },
      );
    }
    if ((await demos.countLiveDemos(now)) >= (this.#deps.maxLive ?? 50)) {
      throw new DomainError(
        'unavailable',
        'demoBusy',
        'Too many demos are running. Try again in a few minutes.',
      );
    }
  }

  #startWatch(deviceId: string): void {
    const port = this.#deps.gatewayPort();
    if (port === undefined) return;
    const watch = new DemoWatch(deviceId, port, (this.#deps.reportIntervalSeconds ?? 10) * 1000);
    this.#live.set(deviceId, watch);
    watch.start();
  }
}
