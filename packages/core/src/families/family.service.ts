import type { Account, AccountId, NoticeKind } from '../accounts/account.model.ts';
import type { ImageRepository, NoticeRepository, SecretSource } from '../accounts/account.ports.ts';
import type { ActivityLog } from '../activity/activity-log.service.ts';
import type { ActivityDetails, ActivityKind } from '../activity/activity.model.ts';
import type { FieldCipher } from '../crypto/cipher.ports.ts';
import { subjects, type Bus } from '../bus/bus.ports.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { Clock } from '../observability/clock.ports.ts';
import type { WatchId } from '../watches/watch.model.ts';
import type { WatchRepository } from '../watches/watch.ports.ts';
import type { ChildProfile, GuardedWatch, Guardian, Invitation } from './family.model.ts';
import type { GuardianRepository, InvitationRepository } from './family.ports.ts';

export interface FamilyDependencies {
  readonly watches: WatchRepository;
  readonly guardians: GuardianRepository;
  readonly invitations: InvitationRepository;
  readonly notices: NoticeRepository;
  readonly images: ImageRepository;
  /** Seals the child's avatar with the watch's data key. */
  readonly cipher: FieldCipher;
  readonly secrets: SecretSource;
  readonly clock: Clock;
  /** Where changes to the family and the child are recorded for every guardian to see. */
  readonly activity?: Pick<ActivityLog, 'record'>;
  /** Told when unbinding provisions the device id afresh. */
  readonly bus?: Bus;
}

export const INVITATION_TTL_SECONDS = 7 * 86_400;
export const MAX_OPEN_INVITATIONS = 20;
export const MAX_GUARDIANS = 20;

export function watchNotFound(): DomainError {
  return new DomainError('notFound', 'watchNotFound', 'There is no such watch among yours.');
}

function adminOnly(): DomainError {
  return new DomainError('forbidden', 'adminOnly', "Only the watch's admin can do this.");
}

function invitationNotFound(): DomainError {
  return new DomainError('notFound', 'invitationNotFound', 'There is no such invitation for you.');
}

/**
 * The family around a watch: guardians see each other, the admin invites, approves, removes
 * and hands over; every guardian is told when the family changes. Authorization is checked
 * here and again by the repository, whose reads are scoped to the caller.
 */
export class FamilyService {
  readonly #deps: FamilyDependencies;

  constructor(deps: FamilyDependencies) {
    this.#deps = deps;
  }

  /** The caller's watch, or notFound (also for a watch of another family). */
  async watchFor(accountId: AccountId, watchId: WatchId): Promise<GuardedWatch> {
    const watch = await this.#deps.guardians.watchOf(accountId, watchId);
    if (watch === undefined) throw watchNotFound();
    return watch;
  }

  async adminWatchFor(accountId: AccountId, watchId: WatchId): Promise<GuardedWatch> {
    const watch = await this.watchFor(accountId, watchId);
    if (watch.role !== 'admin') throw adminOnly();
    return watch;
  }

  watchesOf(accountId: AccountId): Promise<GuardedWatch[]> {
    return this.#deps.guardians.watchesOf(accountId);
  }

  async guardiansOf(accountId: AccountId, watchId: WatchId): Promise<Guardian[]> {
    await this.watchFor(accountId, watchId);
    return this.#deps.guardians.guardiansOf(accountId, watchId);
  }

  async updateChild(
    accountId: AccountId,
    watchId: WatchId,
    child: Omit<ChildProfile, 'avatarImageId'>,
  ): Promise<GuardedWatch> {
    const watch = await this.watchFor(accountId, watchId);
    const avatarImageId = watch.child?.avatarImageId ?? null;
    await this.#deps.guardians.saveChild(
      watchId,
      { ...child, avatarImageId },
      this.#deps.clock.now(),
    );
    await this.#record(watchId, accountId, 'childProfileChanged', { part: 'profile' });
    return this.watchFor(accountId, watchId);
  }

  /** Stores the child's avatar, sealed with the watch's key, and drops the previous one. */
  async setChildAvatar(
    accountId: AccountId,
    watchId: WatchId,
    image: { readonly mediaType: string; readonly bytes: Uint8Array },
  ): Promise<GuardedWatch> {
    const { guardians, images, cipher, secrets, clock } = this.#deps;
    const watch = await this.watchFor(accountId, watchId);
    if (watch.child === null) {
      throw new DomainError('conflict', 'noChildProfile', 'Save the child profile first.');
    }
    const id = secrets.id();
    const sealed = await cipher.seal(watchId, image.bytes);
    await images.save({ id, mediaType: image.mediaType, bytes: sealed }, clock.now());
    await guardians.saveChild(watchId, { ...watch.child, avatarImageId: id }, clock.now());
    if (watch.child.avatarImageId !== null) await images.remove(watch.child.avatarImageId);
    await this.#record(watchId, accountId, 'childProfileChanged', { part: 'avatar' });
    return this.watchFor(accountId, watchId);
  }

  /** The child's avatar, opened; undefined when there is none. */
  async childAvatar(
    accountId: AccountId,
    watchId: WatchId,
  ): Promise<{ readonly mediaType: string; readonly bytes: Uint8Array } | undefined> {
    const watch = await this.watchFor(accountId, watchId);
    const id = watch.child?.avatarImageId ?? null;
    const image = id === null ? undefined : await this.#deps.images.find(id);
    if (image === undefined) return undefined;
    return {
      mediaType: image.mediaType,
      bytes: await this.#deps.cipher.open(watchId, image.bytes),
    };
  }

  /** Invites by number (shown to that number's account) and always by link; admin only. */
  async invite(
    accountId: AccountId,
    watchId: WatchId,
    phone: string | null,
  ): Promise<{ readonly invitation: Invitation; readonly token: string }> {
    const { invitations, secrets, clock } = this.#deps;
    await this.adminWatchFor(accountId, watchId);
    const open = (await invitations.listForWatch(watchId)).filter((i) => isOpen(i, clock.now()));
    if (open.length >= MAX_OPEN_INVITATIONS) {
      throw new DomainError(
        'conflict',
        'tooManyInvitations',
        'Revoke some open invitations first.',
      );
    }
    const token = secrets.token();
    const now = clock.now();
    const invitation: Invitation = {
      id: secrets.id(),
      watchId,
      invitedBy: accountId,
      phone,
      status: 'pending',
      acceptedBy: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_SECONDS * 1000),
    };
    await invitations.create({ ...invitation, tokenHash: secrets.hash(`invitation:${token}`) });
    await this.#record(watchId, accountId, 'invitationSent', {
      invitationId: invitation.id,
      isByNumber: phone !== null,
    });
    return { invitation, token };
  }

  /** Every guardian of the watch may see its invitations. */
  async invitationsOf(accountId: AccountId, watchId: WatchId): Promise<Invitation[]> {
    await this.watchFor(accountId, watchId);
    const now = this.#deps.clock.now();
    return (await this.#deps.invitations.listForWatch(watchId)).map((i) => withExpiry(i, now));
  }

  /** Pending invitations addressed to the caller's number. */
  invitationsFor(account: Account): Promise<Invitation[]> {
    return this.#deps.invitations.listForPhone(account.phone, this.#deps.clock.now());
  }

  /** The invitee accepts (by id when invited by number, or with the link's token). */
  async accept(
    account: Account,
    target: { readonly invitationId: string } | { readonly token: string },
  ): Promise<Invitation> {
    const { invitations, guardians, secrets, clock } = this.#deps;
    const invitation =
      'token' in target
        ? await invitations.findByTokenHash(secrets.hash(`invitation:${target.token}`))
        : await invitations.find(target.invitationId);
    const isAddressedToCaller =
      invitation !== undefined && ('token' in target || invitation.phone === account.phone);
    if (
      !isAddressedToCaller ||
      !isOpen(invitation, clock.now()) ||
      invitation.status !== 'pending'
    ) {
      throw invitationNotFound();
    }
    if ((await guardians.watchOf(account.id, invitation.watchId)) !== undefined) {
      throw new DomainError('conflict', 'alreadyGuardian', 'You already guard this watch.');
    }
    const now = clock.now();
    if (!(await invitations.transition(invitation.id, ['pending'], 'accepted', now, account.id))) {
      throw invitationNotFound();
    }
    await this.#tell([invitation.invitedBy], invitation.watchId, 'invitationAccepted', {
      invitationId: invitation.id,
      accountId: account.id,
      nickname: account.nickname,
    });
    return { ...invitation, status: 'accepted', acceptedBy: account.id };
  }

  async decline(account: Account, invitationId: string): Promise<void> {
    const { invitations, clock } = this.#deps;
    const invitation = await invitations.find(invitationId);
    const isMine =
      invitation !== undefined &&
      (invitation.phone === account.phone || invitation.acceptedBy === account.id);
    if (
      !isMine ||
      !(await invitations.transition(
        invitationId,
        ['pending', 'accepted'],
        'declined',
        clock.now(),
      ))
    ) {
      throw invitationNotFound();
    }
  }

  /** The admin approves an accepted invitation: the invitee becomes a guardian. */
  async approve(accountId: AccountId, watchId: WatchId, invitationId: string): Promise<Guardian[]> {
    const { invitations, guardians, clock } = this.#deps;
    await this.adminWatchFor(accountId, watchId);
    const invitation = await invitations.find(invitationId);
    const isWaiting =
      invitation?.watchId === watchId &&
      invitation.acceptedBy !== null &&
      isOpen(invitation, clock.now());
    if (!isWaiting) {
      throw new DomainError('conflict', 'notAccepted', 'The invitation has not been accepted yet.');
    }
    if ((await guardians.guardianIdsOf(watchId)).length >= MAX_GUARDIANS) {
      throw new DomainError(
        'conflict',
        'tooManyGuardians',
        `A watch has at most ${MAX_GUARDIANS} guardians.`,
      );
    }
    const now = clock.now();
    if (!(await invitations.transition(invitationId, ['accepted'], 'approved', now))) {
      throw new DomainError(
        'conflict',
        'notAccepted',
        'The invitation is no longer waiting for approval.',
      );
    }
    const newGuardian = invitation.acceptedBy;
    await guardians.addGuardian(watchId, newGuardian, 'guardian', now);
    await this.#tellAll(watchId, 'guardianAdded', { accountId: newGuardian });
    await this.#record(watchId, accountId, 'guardianAdded', { accountId: newGuardian });
    return guardians.guardiansOf(accountId, watchId);
  }

  async revoke(accountId: AccountId, watchId: WatchId, invitationId: string): Promise<void> {
    const { invitations, clock } = this.#deps;
    await this.adminWatchFor(accountId, watchId);
    const invitation = await invitations.find(invitationId);
    const isRevoked =
      invitation?.watchId === watchId &&
      (await invitations.transition(invitationId, ['pending', 'accepted'], 'revoked', clock.now()));
    if (!isRevoked) throw invitationNotFound();
  }

  /**
   * The admin removes a guardian, or a guardian leaves. The admin cannot leave while others
   * remain: they hand over first, or unbind.
   */
  async removeGuardian(
    accountId: AccountId,
    watchId: WatchId,
    guardianId: AccountId,
  ): Promise<void> {
    const watch = await this.watchFor(accountId, watchId);
    const isLeaving = guardianId === accountId;
    if (!isLeaving && watch.role !== 'admin') throw adminOnly();
    if (isLeaving && watch.role === 'admin') {
      throw new DomainError(
        'conflict',
        'adminMustHandOver',
        'Hand the admin role to another guardian first, or unbind the watch.',
      );
    }
    const everyone = await this.#deps.guardians.guardianIdsOf(watchId);
    if (!(await this.#deps.guardians.removeGuardian(watchId, guardianId))) {
      throw new DomainError(
        'notFound',
        'guardianNotFound',
        'There is no such guardian of this watch.',
      );
    }
    await this.#tell(everyone, watchId, isLeaving ? 'guardianLeft' : 'guardianRemoved', {
      accountId: guardianId,
      by: accountId,
    });
    await this.#record(watchId, accountId, isLeaving ? 'guardianLeft' : 'guardianRemoved', {
      accountId: guardianId,
    });
    await this.#deps.bus?.publish(subjects.guardiansChanged, { watchId });
  }

  async transferAdmin(
    accountId: AccountId,
    watchId: WatchId,
    toAccountId: AccountId,
  ): Promise<void> {
    await this.adminWatchFor(accountId, watchId);
    const others = await this.#deps.guardians.guardiansOf(accountId, watchId);
    if (toAccountId === accountId || !others.some((g) => g.accountId === toAccountId)) {
      throw new DomainError(
        'invalid',
        'notAGuardian',
        'The new admin must be another guardian of this watch.',
      );
    }
    await this.#deps.guardians.transferAdmin(watchId, accountId, toAccountId);
    await this.#tellAll(watchId, 'adminChanged', { from: accountId, to: toAccountId });
    await this.#record(watchId, accountId, 'adminChanged', { from: accountId, to: toAccountId });
  }

  /**
   * Unbinds: every guardian is told, then the watch and everything stored about it are
   * deleted (its data key destroyed) and the device id provisioned afresh, so that whoever
   * binds it next starts with nothing of this family's.
   */
  async unbind(accountId: AccountId, watchId: WatchId): Promise<void> {
    const { watches, guardians, clock } = this.#deps;
    const watch = await this.adminWatchFor(accountId, watchId);
    const everyone = await guardians.guardianIdsOf(watchId);
    await this.#tell(everyone, watchId, 'watchUnbound', {
      by: accountId,
      childName: watch.child?.name ?? null,
    });
    await watches.remove(watchId);
    await this.#deps.bus?.publish(subjects.guardiansChanged, { watchId });
    if (watch.child?.avatarImageId != null)
      await this.#deps.images.remove(watch.child.avatarImageId);
    if (!watch.isDemo) {
      await watches.provision([watch.deviceId], clock.now());
      await this.#deps.bus?.publish(subjects.watchProvisioned, { deviceId: watch.deviceId });
    }
  }

  async #record(
    watchId: WatchId,
    accountId: AccountId,
    kind: ActivityKind,
    details: ActivityDetails,
  ): Promise<void> {
    await this.#deps.activity?.record(watchId, accountId, kind, details);
  }

  async #tellAll(
    watchId: WatchId,
    kind: NoticeKind,
    details: Record<string, string | null>,
  ): Promise<void> {
    await this.#tell(await this.#deps.guardians.guardianIdsOf(watchId), watchId, kind, details);
  }

  async #tell(
    accountIds: readonly AccountId[],
    watchId: WatchId,
    kind: NoticeKind,
    details: Record<string, string | null>,
  ): Promise<void> {
    await this.#deps.notices.add(accountIds, { watchId, kind, details }, this.#deps.clock.now());
  }
}

function isOpen(invitation: Invitation, now: Date): boolean {
  return (
    (invitation.status === 'pending' || invitation.status === 'accepted') &&
    invitation.expiresAt > now
  );
}

/** Shows an open invitation past its time as expired. */
function withExpiry(invitation: Invitation, now: Date): Invitation {
  const isStale =
    (invitation.status === 'pending' || invitation.status === 'accepted') &&
    invitation.expiresAt <= now;
  return isStale ? { ...invitation, status: 'expired' } : invitation;
}
