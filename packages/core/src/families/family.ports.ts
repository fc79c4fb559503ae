import type { AccountId } from '../accounts/account.model.ts';
import type { WatchId } from '../watches/watch.model.ts';
import type {
  ChildProfile,
  GuardedWatch,
  Guardian,
  GuardianRole,
  Invitation,
  InvitationStatus,
  WatchClaim,
} from './family.model.ts';

/**
 * Guardianships, read through the guardian: every read takes the caller's account id and the
 * database filters on it, so a query cannot return a watch, a child or a guardian of another
 * family, whatever a route passes in.
 */
export interface GuardianRepository {
  watchesOf(accountId: AccountId): Promise<GuardedWatch[]>;
  /** Undefined when the account does not guard this watch (or there is no such watch). */
  watchOf(accountId: AccountId, watchId: WatchId): Promise<GuardedWatch | undefined>;
  /** The guardians of a watch the caller guards; empty when the caller does not guard it. */
  guardiansOf(accountId: AccountId, watchId: WatchId): Promise<Guardian[]>;
  /** Account ids of every guardian of the watch (for notices). */
  guardianIdsOf(watchId: WatchId): Promise<AccountId[]>;
  isBound(watchId: WatchId): Promise<boolean>;

  /**
   * Binds an unbound watch: `accountId` becomes its admin and the child profile is stored,
   * in one transaction. Throws WatchAlreadyBoundError when the watch has an admin.
   */
  bind(watchId: WatchId, accountId: AccountId, child: ChildProfile, at: Date): Promise<void>;
  /** Adds a guardian; a guardian already there keeps their role. */
  addGuardian(watchId: WatchId, accountId: AccountId, role: GuardianRole, at: Date): Promise<void>;
  removeGuardian(watchId: WatchId, accountId: AccountId): Promise<boolean>;
  /** Makes `to` the admin and `from` a guardian, in one transaction. */
  transferAdmin(watchId: WatchId, from: AccountId, to: AccountId): Promise<void>;
  /** Stores the child profile; the watch must be bound. */
  saveChild(watchId: WatchId, child: ChildProfile, at: Date): Promise<void>;
}

export class WatchAlreadyBoundError extends Error {
  readonly code = 'watchAlreadyBound';
}

export interface ClaimRepository {
  create(claim: Omit<WatchClaim, 'failedAttempts' | 'confirmedAt'>): Promise<void>;
  /** The account's own claim, or undefined (claims of other guardians are not visible). */
  find(accountId: AccountId, claimId: string): Promise<WatchClaim | undefined>;
  recordFailure(claimId: string): Promise<number>;
  /** Marks it confirmed; false when it already was (a replay or a race). */
  confirm(claimId: string, at: Date): Promise<boolean>;
  /** True when an unprovisioned watch with this device id connected at or after `since`. */
  hasRecentSighting(deviceId: string, since: Date): Promise<boolean>;
}

export interface InvitationRepository {
  create(invitation: Invitation & { readonly tokenHash: string | null }): Promise<void>;
  /** Invitations of a watch, newest first. */
  listForWatch(watchId: WatchId): Promise<Invitation[]>;
  find(invitationId: string): Promise<Invitation | undefined>;
  findByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  /** Pending invitations sent to this number. */
  listForPhone(phone: string, at: Date): Promise<Invitation[]>;
  /**
   * Moves an invitation from one of `from` to `to`; false when its status had changed
   * meanwhile (so two approvals cannot both succeed).
   */
  transition(
    invitationId: string,
    from: readonly InvitationStatus[],
    to: InvitationStatus,
    at: Date,
    acceptedBy?: AccountId,
  ): Promise<boolean>;
}
