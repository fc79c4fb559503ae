import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import type { Invitation } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { watchPath } from '../../app/routes.ts';
import { useAccount } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { useWatches, watchName } from '../../app/watches.tsx';
import { Button } from '../../ui/Button.tsx';
import { RelativeTime } from '../../ui/RelativeTime.tsx';
import { Banner, EmptyState, ErrorState, LoadingState } from '../../ui/states.tsx';
import { tokenFromHash } from './family-model.ts';
import { ExpiryTime } from './ExpiryTime.tsx';
import { useFamilyError } from './use-family-error.ts';
import './family.css';

/** How often to look whether the admin approved, while waiting. */
const APPROVAL_POLL_MS = 5_000;

/** After accepting: waits for the admin, and says so as soon as the watch is ours. */
function WaitingForApproval({ watchId }: { readonly watchId: string }) {
  const { t } = useTranslation('family');
  const { find, reload } = useWatches();
  const watch = find(watchId);
  useEffect(() => {
    if (watch !== undefined) return;
    const timer = setInterval(reload, APPROVAL_POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [watch, reload]);
  if (watch !== undefined) {
    return (
      <Banner tone="ok">
        <strong>{t('accept.approvedTitle')}</strong>{' '}
        <Link to={watchPath(watchId)}>{t('accept.openMap', { name: watchName(watch) })}</Link>
      </Banner>
    );
  }
  return (
    <div className="banner" role="status">
      <span aria-hidden="true">⏳</span>
      <div className="banner__body">
        <strong>{t('accept.waitingTitle')}</strong>
        <p className="small">{t('accept.waitingBody')}</p>
      </div>
    </div>
  );
}

function InvitationExplained() {
  const { t } = useTranslation('family');
  return (
    <ul className="small invitation__points">
      <li>{t('accept.pointSees')}</li>
      <li>{t('accept.pointLog')}</li>
      <li>{t('accept.pointApproval')}</li>
    </ul>
  );
}

/** An invitation link opened: what it is, accept it, then wait for the admin. */
function LinkInvitation({ token }: { readonly token: string }) {
  const { t } = useTranslation('family');
  const message = useFamilyError();
  const [accepted, setAccepted] = useState<Invitation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const accept = async () => {
    setIsBusy(true);
    setError(null);
    try {
      const { invitation } = await api.post('/api/v1/invitations/accept', { body: { token } });
      // The token worked once; keep it out of the history from now on.
      window.history.replaceState(null, '', '/invite');
      setAccepted(invitation);
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };
  const code = error instanceof ApiError ? error.code : null;
  return (
    <section className="card" aria-labelledby="invitation-link-title">
      <h2 id="invitation-link-title">{t('accept.linkTitle')}</h2>
      {accepted ? (
        <WaitingForApproval watchId={accepted.watchId} />
      ) : (
        <>
          <p>{t('accept.linkBody')}</p>
          <InvitationExplained />
          {code === 'invitationNotFound' ? (
            <Banner tone="error">{t('accept.linkInvalid')}</Banner>
          ) : error ? (
            <Banner tone="error">{message(error)}</Banner>
          ) : null}
          <Button variant="primary" block busy={isBusy} onClick={() => void accept()}>
            {t('accept.accept')}
          </Button>
        </>
      )}
    </section>
  );
}

/** One invitation sent to the guardian's number: accept or decline it. */
function NumberInvitation({ invitation }: { readonly invitation: Invitation }) {
  const { t } = useTranslation('family');
  const message = useFamilyError();
  const [outcome, setOutcome] = useState<'accepted' | 'declined' | null>(null);
  const [busy, setBusy] = useState<'accept' | 'decline' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (kind: 'accept' | 'decline') => {
    setBusy(kind);
    setError(null);
    try {
      const path = { invitationId: invitation.id };
      if (kind === 'accept') await api.post('/api/v1/invitations/{invitationId}/accept', { path });
      else await api.post('/api/v1/invitations/{invitationId}/decline', { path });
      setOutcome(kind === 'accept' ? 'accepted' : 'declined');
    } catch (caught) {
      setError(message(caught));
    } finally {
      setBusy(null);
    }
  };
  return (
    <li className="stack">
      <div>
        <strong>{t('accept.byNumberTitle')}</strong>
        <p className="small muted">
          {t('accept.received')} <RelativeTime at={invitation.createdAt} />
          {' · '}
          <ExpiryTime at={invitation.expiresAt} />
        </p>
      </div>
      {outcome === 'accepted' ? <WaitingForApproval watchId={invitation.watchId} /> : null}
      {outcome === 'declined' ? <p role="status">{t('accept.declined')}</p> : null}
      {error ? <Banner tone="error">{error}</Banner> : null}
      {outcome === null ? (
        <div className="btn-row">
          <Button
            variant="primary"
            busy={busy === 'accept'}
            disabled={busy !== null}
            onClick={() => void act('accept')}
          >
            {t('accept.accept')}
          </Button>
          <Button
            busy={busy === 'decline'}
            disabled={busy !== null}
            onClick={() => void act('decline')}
          >
            {t('accept.decline')}
          </Button>
        </div>
      ) : null}
    </li>
  );
}

/**
 * `/invite#<token>`: an invitation link, and the invitations sent to the signed-in guardian's
 * number. The token stays in the fragment, so it never reaches a server log.
 */
export default function InvitationScreen() {
  const { t } = useTranslation('family');
  const account = useAccount();
  const [hash] = useState(() => window.location.hash);
  const token = tokenFromHash(hash);
  const mine = useResource(
    async (signal) => (await api.get('/api/v1/me/invitations', { signal })).invitations,
    [],
  );
  return (
    <div className="invitation">
      <header className="page-header">
        <h1>{t('accept.title')}</h1>
      </header>
      {token !== null ? <LinkInvitation token={token} /> : null}
      {token === null && hash.length > 1 ? (
        <Banner tone="error">{t('accept.linkBroken')}</Banner>
      ) : null}
      <section className="card" aria-labelledby="invitation-mine-title">
        <h2 id="invitation-mine-title">{t('accept.mineTitle')}</h2>
        {mine.status === 'error' && mine.data === undefined ? (
          <ErrorState error={mine.error} onRetry={mine.reload} />
        ) : mine.data === undefined ? (
          <LoadingState rows={1} />
        ) : mine.data.length === 0 ? (
          <EmptyState icon="✉" title={t('accept.noneTitle')}>
            {t('accept.noneBody', { phone: account.phone })}
          </EmptyState>
        ) : (
          <>
            <p className="small muted">{t('accept.mineIntro', { phone: account.phone })}</p>
            <InvitationExplained />
            <ul className="list" aria-label={t('accept.mineTitle')}>
              {mine.data.map((invitation) => (
                <NumberInvitation key={invitation.id} invitation={invitation} />
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
