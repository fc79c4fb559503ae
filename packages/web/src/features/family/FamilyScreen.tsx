import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useRouter } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { useWatches, watchName } from '../../app/watches.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states.tsx';
import { ChildProfileCard } from './ChildProfileCard.tsx';
import { DangerZone } from './DangerZone.tsx';
import { isOpenInvitation, orderGuardians } from './family-model.ts';
import { GuardianList } from './GuardianList.tsx';
import { InvitationList } from './InvitationList.tsx';
import { InviteForm } from './InviteForm.tsx';
import { useReauthentication } from './ReauthDialog.tsx';
import './family.css';

/** While an invitation is open, how often to look whether it was accepted. */
const INVITATION_POLL_MS = 15_000;

/** Who accepted which invitation, from the notices the server sent this guardian. */
function useAcceptedNames(isAdmin: boolean, watchId: string, generation: unknown) {
  const notices = useResource(
    async (signal) => (isAdmin ? (await api.get('/api/v1/me/notices', { signal })).notices : []),
    [isAdmin, generation],
  );
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const notice of notices.data ?? []) {
      const { invitationId, nickname } = notice.details;
      if (notice.kind !== 'invitationAccepted' || notice.watchId !== watchId) continue;
      if (typeof invitationId === 'string' && typeof nickname === 'string' && nickname !== '') {
        names.set(invitationId, nickname);
      }
    }
    return names;
  }, [notices.data, watchId]);
}

/** The people who look after a child: guardians, invitations, the child's profile, leaving. */
export default function FamilyScreen({ watchId }: { readonly watchId: string }) {
  const { t } = useTranslation('family');
  const account = useAccount();
  const { navigate } = useRouter();
  const { watches, find, reload: reloadWatches } = useWatches();
  const watch = find(watchId);
  const guardians = useResource(
    async (signal) =>
      (await api.get('/api/v1/watches/{watchId}/guardians', { path: { watchId }, signal }))
        .guardians,
    [watchId],
  );
  const invitations = useResource(
    async (signal) =>
      (await api.get('/api/v1/watches/{watchId}/invitations', { path: { watchId }, signal }))
        .invitations,
    [watchId],
  );
  const { run, dialog } = useReauthentication();
  const isAdmin = watch?.role === 'admin';
  const acceptedNames = useAcceptedNames(isAdmin, watchId, invitations.data);

  const reloadInvitations = invitations.reload;
  const reloadGuardians = guardians.reload;
  const hasOpen = (invitations.data ?? []).some((i) => isOpenInvitation(i, Date.now()));
  useEffect(() => {
    if (!hasOpen) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      reloadInvitations();
      reloadGuardians();
    }, INVITATION_POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [hasOpen, reloadInvitations, reloadGuardians]);

  if (watch === undefined) {
    if (watches.status === 'loading') return <LoadingState />;
    if (watches.status === 'error')
      return <ErrorState error={watches.error} onRetry={reloadWatches} />;
    return (
      <EmptyState icon="⌚" title={t('notFoundTitle')}>
        {t('notFoundBody')}
      </EmptyState>
    );
  }

  const ordered = orderGuardians(guardians.data ?? [], account.id);
  const childName = watchName(watch);
  const familyChanged = () => {
    reloadGuardians();
    reloadInvitations();
    reloadWatches();
  };

  return (
    <div className="family">
      <header className="page-header">
        <h1>{t('title')}</h1>
      </header>

      <section className="card" aria-labelledby="family-guardians-title">
        <h2 id="family-guardians-title">{t('guardians.title')}</h2>
        <p className="small muted">{t('roles.explain')}</p>
        {guardians.status === 'error' && guardians.data === undefined ? (
          <ErrorState error={guardians.error} onRetry={reloadGuardians} />
        ) : guardians.data === undefined ? (
          <LoadingState rows={2} />
        ) : (
          <GuardianList
            watchId={watchId}
            guardians={ordered}
            myAccountId={account.id}
            isAdmin={isAdmin}
            runSensitive={run}
            onChanged={familyChanged}
          />
        )}
      </section>

      <section className="card" aria-labelledby="family-invitations-title">
        <h2 id="family-invitations-title">{t('invitations.title')}</h2>
        {isAdmin ? (
          <>
            <p className="small muted">{t('invite.intro')}</p>
            <InviteForm watchId={watchId} onInvited={reloadInvitations} />
            <h3 className="family-subtitle">{t('invitations.listTitle')}</h3>
          </>
        ) : (
          <p className="small muted">{t('invitations.onlyAdmin')}</p>
        )}
        {invitations.status === 'error' && invitations.data === undefined ? (
          <ErrorState error={invitations.error} onRetry={reloadInvitations} />
        ) : invitations.data === undefined ? (
          <LoadingState rows={1} />
        ) : (
          <InvitationList
            watchId={watchId}
            invitations={invitations.data}
            guardians={guardians.data ?? []}
            acceptedNames={acceptedNames}
            isAdmin={isAdmin}
            onChanged={familyChanged}
          />
        )}
      </section>

      <ChildProfileCard key={watch.child?.name ?? ''} watch={watch} onChanged={reloadWatches} />

      <DangerZone
        watchId={watchId}
        childName={childName}
        myAccountId={account.id}
        isAdmin={isAdmin}
        guardianCount={ordered.length}
        runSensitive={run}
        onGone={() => {
          reloadWatches();
          navigate('/');
        }}
      />
      {dialog}
    </div>
  );
}
