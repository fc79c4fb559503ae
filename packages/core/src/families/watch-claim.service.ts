import type { AccountId } from '../accounts/account.model.ts';
import type { SecretSource } from '../accounts/account.ports.ts';
import { subjects, type Bus } from '../bus/bus.ports.ts';
import type { CommandService } from '../commands/command.service.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { Clock } from '../observability/clock.ports.ts';
import type { RateCounterStore } from '../sms/sms.ports.ts';
import { isDeviceId, type WatchId } from '../watches/watch.model.ts';
import type { WatchRepository } from '../watches/watch.ports.ts';
import type { ChildProfile, GuardedWatch } from './family.model.ts';
import {
  WatchAlreadyBoundError,
  type ClaimRepository,
  type GuardianRepository,
} from './family.ports.ts';

export interface WatchClaimDependencies {
  readonly watches: WatchRepository;
  readonly guardians: GuardianRepository;
  readonly claims: ClaimRepository;
  readonly commands: CommandService;
  readonly secrets: SecretSource;
  readonly counters: RateCounterStore;
  readonly clock: Clock;
  /** Told when binding provisions a watch, so a gateway holding its connection knows it. */
  readonly bus?: Bus;
}

export const CLAIM_TTL_SECONDS = 600;
export const CLAIM_MAX_FAILED_ATTEMPTS = 5;
/** Claims per watch per hour, and per guardian per day. */
export const CLAIMS_PER_WATCH_HOUR = 5;
export const CLAIMS_PER_GUARDIAN_DAY = 10;
/** An unprovisioned id that connected within this time can be bound (and is provisioned). */
export const SIGHTING_CLAIM_WINDOW_SECONDS = 7 * 86_400;

function invalidClaimCode(): DomainError {
  return new DomainError(
    'invalid',
    'invalidCode',
    'The code is wrong, used or expired. Start again to get a new code on the watch.',
  );
}

/**
 * Binding with proof of possession: the guardian names the watch, the server shows a fresh
 * 6-digit code on the watch's screen, and only whoever can read that screen can finish. The
 * first guardian becomes the watch's admin.
 */
export class WatchClaimService {
  readonly #deps: WatchClaimDependencies;

  constructor(deps: WatchClaimDependencies) {
    this.#deps = deps;
  }

  /** Starts a claim and sends the code to the watch; returns the claim's id and expiry. */
  async start(
    accountId: AccountId,
    deviceId: string,
  ): Promise<{ readonly claimId: string; readonly expiresAt: Date }> {
    const { guardians, claims, commands, secrets, clock } = this.#deps;
    if (!isDeviceId(deviceId)) {
      throw new DomainError('invalid', 'invalidDeviceId', 'A watch id is 5 to 20 digits.');
    }
    await this.#limit(`claims:account:${accountId}`, 86_400, CLAIMS_PER_GUARDIAN_DAY);
    const watchId = await this.#watchIdFor(deviceId);
    await this.#limit(`claims:watch:${watchId}`, 3_600, CLAIMS_PER_WATCH_HOUR);
    if (await guardians.isBound(watchId)) {
      throw new DomainError(
        'conflict',
        'watchAlreadyBound',
        'This watch already belongs to a family. Ask its admin to invite you.',
      );
    }
    const code = secrets.digits(6);
    const claimId = secrets.id();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + CLAIM_TTL_SECONDS * 1000);
    await claims.create({
      id: claimId,
      watchId,
      accountId,
      codeHash: secrets.hash(`claim:${claimId}:${code}`),
      createdAt: now,
      expiresAt,
    });
    await commands.send(
      watchId,
      'showText',
      { text: `Kinwatch code: ${code}` },
      {
        ttlSeconds: CLAIM_TTL_SECONDS,
      },
    );
    return { claimId, expiresAt };
  }

  /** Finishes a claim with the code the watch shows; the caller becomes the admin. */
  async confirm(
    accountId: AccountId,
    claimId: string,
    code: string,
    child: ChildProfile,
  ): Promise<GuardedWatch> {
    const { guardians, claims, secrets, clock } = this.#deps;
    const claim = await claims.find(accountId, claimId);
    if (claim === undefined) {
      throw new DomainError('notFound', 'claimNotFound', 'There is no such claim of yours.');
    }
    const now = clock.now();
    const isOpen =
      claim.confirmedAt === null &&
      claim.expiresAt > now &&
      claim.failedAttempts < CLAIM_MAX_FAILED_ATTEMPTS;
    if (!isOpen) throw invalidClaimCode();
    if (!secrets.isSameHash(secrets.hash(`claim:${claimId}:${code}`), claim.codeHash)) {
      await claims.recordFailure(claimId);
      throw invalidClaimCode();
    }
    if (!(await claims.confirm(claimId, now))) throw invalidClaimCode();
    try {
      await guardians.bind(claim.watchId, accountId, child, now);
    } catch (error) {
      if (error instanceof WatchAlreadyBoundError) {
        throw new DomainError('conflict', 'watchAlreadyBound', 'Someone bound this watch first.');
      }
      throw error;
    }
    const watch = await guardians.watchOf(accountId, claim.watchId);
    if (watch === undefined) throw new Error('a watch just bound is not visible to its admin');
    return watch;
  }

  /**
   * The watch of a device id: a provisioned one, or an unknown one that connected recently,
   * which binding provisions.
   */
  async #watchIdFor(deviceId: string): Promise<WatchId> {
    const { watches, claims, clock } = this.#deps;
    const known = await watches.findByDeviceId(deviceId);
    if (known !== undefined) return known.id;
    const now = clock.now();
    const since = new Date(now.getTime() - SIGHTING_CLAIM_WINDOW_SECONDS * 1000);
    if (await claims.hasRecentSighting(deviceId, since)) {
      await watches.provision([deviceId], now);
      await this.#deps.bus?.publish(subjects.watchProvisioned, { deviceId });
      const provisioned = await watches.findByDeviceId(deviceId);
      if (provisioned !== undefined) return provisioned.id;
    }
    throw new DomainError(
      'notFound',
      'watchNotFound',
      'No watch with this id has connected to this server. Point the watch at the server by SMS, wait until it connects, then try again.',
    );
  }

  async #limit(key: string, windowSeconds: number, max: number): Promise<void> {
    const { counters, clock } = this.#deps;
    if ((await counters.hit(key, windowSeconds, clock.now())) > max) {
      throw new DomainError(
        'tooManyRequests',
        'tooManyClaims',
        'Too many binding attempts. Try again later.',
        {
          retryAfterSeconds: windowSeconds,
        },
      );
    }
  }
}
