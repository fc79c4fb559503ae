import type { AccountId } from '../accounts/account.model.ts';
import type { DeviceId, WatchId } from '../watches/watch.model.ts';

/**
 * The admin binds the watch, invites and approves guardians, hands over the admin role and
 * unbinds; guardians see and use the watch. Roles are set by the server only.
 */
export type GuardianRole = 'admin' | 'guardian';

/** The child who wears the watch; sealed at rest with the watch's data key. */
export interface ChildProfile {
  readonly name: string;
  /** `YYYY-MM-DD`, or null when not given. */
  readonly birthDate: string | null;
  /** E.164 number of the watch's SIM, or null. */
  readonly watchPhone: string | null;
  readonly avatarImageId: string | null;
}

/** A watch as one of its guardians sees it. */
export interface GuardedWatch {
  readonly watchId: WatchId;
  readonly deviceId: DeviceId;
  readonly role: GuardianRole;
  readonly boundAt: Date;
  readonly child: ChildProfile | null;
  readonly isOnline: boolean;
  readonly batteryPercent: number | null;
  readonly lastSeenAt: Date | null;
  readonly isDemo: boolean;
}

/** A guardian of a watch, as the other guardians see them. */
export interface Guardian {
  readonly accountId: AccountId;
  readonly nickname: string | null;
  readonly phone: string;
  readonly role: GuardianRole;
  readonly addedAt: Date;
  /** Whether they have a profile picture (served by the guardians/{accountId}/avatar route). */
  readonly hasAvatar: boolean;
}

export type InvitationStatus =
  'pending' | 'accepted' | 'approved' | 'declined' | 'revoked' | 'expired';

export interface Invitation {
  readonly id: string;
  readonly watchId: WatchId;
  readonly invitedBy: AccountId;
  /** The number invited, or null for an invitation by link. */
  readonly phone: string | null;
  readonly status: InvitationStatus;
  readonly acceptedBy: AccountId | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** A guardian's pending request to bind a watch, waiting for the code shown on it. */
export interface WatchClaim {
  readonly id: string;
  readonly watchId: WatchId;
  readonly accountId: AccountId;
  readonly codeHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly failedAttempts: number;
  readonly confirmedAt: Date | null;
}
