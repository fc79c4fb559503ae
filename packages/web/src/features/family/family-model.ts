import type { Guardian, Invitation } from '../../api/types.ts';

/** The admin first, then the signed-in guardian, then the others in the order they joined. */
export function orderGuardians(guardians: readonly Guardian[], myAccountId: string): Guardian[] {
  const rank = (guardian: Guardian) =>
    guardian.role === 'admin' ? 0 : guardian.accountId === myAccountId ? 1 : 2;
  return [...guardians].sort(
    (a, b) => rank(a) - rank(b) || Date.parse(a.addedAt) - Date.parse(b.addedAt),
  );
}

/** Invitations still in play: waiting for the invitee, or for the admin's approval. */
export function isOpenInvitation(invitation: Invitation, nowMs: number): boolean {
  const isWaiting = invitation.status === 'pending' || invitation.status === 'accepted';
  return isWaiting && Date.parse(invitation.expiresAt) > nowMs;
}

/**
 * Open invitations first (those waiting for the admin's approval at the very top), then the
 * closed ones, newest first within each group.
 */
export function orderInvitations(invitations: readonly Invitation[], nowMs: number): Invitation[] {
  const rank = (invitation: Invitation) =>
    isOpenInvitation(invitation, nowMs) ? (invitation.status === 'accepted' ? 0 : 1) : 2;
  return [...invitations].sort(
    (a, b) => rank(a) - rank(b) || Date.parse(b.createdAt) - Date.parse(a.createdAt),
  );
}

/** The full address of an invitation link the server gives as a path (`/invite#<token>`). */
export function invitationUrl(origin: string, link: string): string {
  return new URL(link, origin).href;
}

/** The token of an invitation link's fragment, or null when the fragment holds none. */
export function tokenFromHash(hash: string): string | null {
  let token = hash.startsWith('#') ? hash.slice(1) : hash;
  try {
    token = decodeURIComponent(token).trim();
  } catch {
    return null;
  }
  // The server's tokens are 20 to 100 URL-safe characters.
  return /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null;
}

/** The initial shown when a guardian has no avatar: of the nickname, else a phone glyph. */
export function initialOfGuardian(guardian: Pick<Guardian, 'nickname'>): string {
  const name = guardian.nickname?.trim() ?? '';
  return name === '' ? '☎' : (Array.from(name)[0] ?? '?').toUpperCase();
}
