import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Guardian, Invitation } from '../../api/types.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { RelativeTime, useNow } from '../../ui/RelativeTime.tsx';
import { Banner } from '../../ui/states.tsx';
import { isOpenInvitation, orderInvitations } from './family-model.ts';
import { ExpiryTime } from './ExpiryTime.tsx';
import { useFamilyError } from './use-family-error.ts';

const STATUS_TONE = {
  pending: 'info',
  accepted: 'warn',
  approved: 'ok',
  declined: 'neutral',
  revoked: 'neutral',
  expired: 'neutral',
} as const;

const STATUS_ICON = {
  pending: '✉',
  accepted: '⏳',
  approved: '✓',
  declined: '✕',
  revoked: '⊘',
  expired: '⌛',
} as const;

function InvitationRow({
  invitation,
  watchId,
  inviterName,
  acceptedByName,
  isAdmin,
  onChanged,
}: {
  readonly invitation: Invitation;
  readonly watchId: string;
  readonly inviterName: string | null;
  readonly acceptedByName: string | null;
  readonly isAdmin: boolean;
  readonly onChanged: () => void;
}) {
  const { t } = useTranslation('family');
  const message = useFamilyError();
  const now = useNow();
  const [busy, setBusy] = useState<'approve' | 'revoke' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isOpen = isOpenInvitation(invitation, now);
  const isWaiting = invitation.status === 'pending' || invitation.status === 'accepted';
  // A waiting invitation past its expiry is expired, even before the server says so.
  const status = isWaiting && !isOpen ? 'expired' : invitation.status;
  const who = invitation.phone ?? t('invitations.byLink');

  const act = async (kind: 'approve' | 'revoke') => {
    setBusy(kind);
    setError(null);
    try {
      const path = { watchId, invitationId: invitation.id };
      if (kind === 'approve') {
        await api.post('/api/v1/watches/{watchId}/invitations/{invitationId}/approve', { path });
      } else {
        await api.delete('/api/v1/watches/{watchId}/invitations/{invitationId}', { path });
      }
      onChanged();
    } catch (caught) {
      setError(message(caught));
    } finally {
      setBusy(null);
    }
  };

  return (
    <li className="family-invitation">
      <div className="family-invitation__head">
        <strong>{who}</strong>
        <Badge tone={STATUS_TONE[status]} icon={STATUS_ICON[status]}>
          {t(`invitations.status.${status}`)}
        </Badge>
      </div>
      {status === 'accepted' ? (
        <p className="small">
          {acceptedByName === null
            ? t('invitations.acceptedWaiting')
            : t('invitations.acceptedWaitingBy', { name: acceptedByName })}
        </p>
      ) : null}
      <p className="small muted">
        {inviterName === null
          ? t('invitations.created')
          : t('invitations.createdBy', { name: inviterName })}{' '}
        <RelativeTime at={invitation.createdAt} />
        {isOpen ? (
          <>
            {' · '}
            <ExpiryTime at={invitation.expiresAt} />
          </>
        ) : null}
      </p>
      {error ? <Banner tone="error">{error}</Banner> : null}
      {isAdmin && isOpen ? (
        <div className="btn-row">
          {invitation.status === 'accepted' ? (
            <Button
              variant="primary"
              size="small"
              busy={busy === 'approve'}
              disabled={busy !== null}
              onClick={() => void act('approve')}
            >
              {t('invitations.approve')}
            </Button>
          ) : null}
          <Button
            size="small"
            variant="ghost"
            busy={busy === 'revoke'}
            disabled={busy !== null}
            onClick={() => void act('revoke')}
          >
            {t('invitations.revoke')}
          </Button>
        </div>
      ) : null}
    </li>
  );
}

/** Every invitation to the watch: the open ones, and the closed ones folded away. */
export function InvitationList({
  watchId,
  invitations,
  guardians,
  acceptedNames,
  isAdmin,
  onChanged,
}: {
  readonly watchId: string;
  readonly invitations: readonly Invitation[];
  readonly guardians: readonly Guardian[];
  readonly acceptedNames: ReadonlyMap<string, string>;
  readonly isAdmin: boolean;
  readonly onChanged: () => void;
}) {
  const { t } = useTranslation('family');
  const now = useNow();
  const ordered = orderInvitations(invitations, now);
  const open = ordered.filter((invitation) => isOpenInvitation(invitation, now));
  const closed = ordered.filter((invitation) => !isOpenInvitation(invitation, now));
  const nameOf = (accountId: string) => {
    const guardian = guardians.find((g) => g.accountId === accountId);
    return guardian ? (guardian.nickname ?? guardian.phone) : null;
  };
  const row = (invitation: Invitation) => (
    <InvitationRow
      key={invitation.id}
      invitation={invitation}
      watchId={watchId}
      inviterName={nameOf(invitation.invitedBy)}
      acceptedByName={acceptedNames.get(invitation.id) ?? null}
      isAdmin={isAdmin}
      onChanged={onChanged}
    />
  );
  return (
    <div className="stack">
      {open.length === 0 ? (
        <p className="muted">{t('invitations.noneOpen')}</p>
      ) : (
        <ul className="list" aria-label={t('invitations.openLabel')}>
          {open.map(row)}
        </ul>
      )}
      {closed.length > 0 ? (
        <details>
          <summary>{t('invitations.earlier', { count: closed.length })}</summary>
          <ul className="list" aria-label={t('invitations.earlierLabel')}>
            {closed.map(row)}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
