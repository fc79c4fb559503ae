import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Guardian } from '../../api/types.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { GuardianAvatar } from './GuardianAvatar.tsx';

type Pending = { readonly kind: 'remove' | 'handOver'; readonly guardian: Guardian } | null;

/** The guardians of a watch; the admin may remove one or hand the admin role over. */
export function GuardianList({
  watchId,
  guardians,
  myAccountId,
  isAdmin,
  runSensitive,
  onChanged,
}: {
  readonly watchId: string;
  readonly guardians: readonly Guardian[];
  readonly myAccountId: string;
  readonly isAdmin: boolean;
  /** Runs an action that may need re-authentication; false when the guardian cancelled. */
  readonly runSensitive: (action: () => Promise<void>) => Promise<boolean>;
  readonly onChanged: () => void;
}) {
  const { t } = useTranslation('family');
  const [pending, setPending] = useState<Pending>(null);
  const nameOf = (guardian: Guardian) => guardian.nickname ?? guardian.phone;
  const pendingName = pending ? nameOf(pending.guardian) : '';

  const confirm = async () => {
    if (!pending) return;
    const { accountId } = pending.guardian;
    const isDone = await runSensitive(async () => {
      if (pending.kind === 'remove') {
        await api.delete('/api/v1/watches/{watchId}/guardians/{accountId}', {
          path: { watchId, accountId },
        });
      } else {
        await api.put('/api/v1/watches/{watchId}/admin', {
          path: { watchId },
          body: { accountId },
        });
      }
    });
    if (isDone) {
      setPending(null);
      onChanged();
    }
  };

  return (
    <>
      <ul className="list family-guardians" aria-label={t('guardians.title')}>
        {guardians.map((guardian) => {
          const isMe = guardian.accountId === myAccountId;
          return (
            <li key={guardian.accountId} className="family-guardian">
              <GuardianAvatar watchId={watchId} guardian={guardian} />
              <div className="family-guardian__body">
                <div className="family-guardian__name">
                  {guardian.nickname ?? <span className="muted">{t('guardians.noNickname')}</span>}
                  {isMe ? <Badge tone="info">{t('guardians.you')}</Badge> : null}
                </div>
                <div className="small muted">
                  <a href={`tel:${guardian.phone}`}>{guardian.phone}</a>
                </div>
                <div className="row">
                  {guardian.role === 'admin' ? (
                    <Badge tone="ok" icon="★">
                      {t('roles.admin')}
                    </Badge>
                  ) : (
                    <Badge>{t('roles.guardian')}</Badge>
                  )}
                </div>
              </div>
              {isAdmin && !isMe ? (
                <div className="family-guardian__actions">
                  <Button
                    size="small"
                    onClick={() => {
                      setPending({ kind: 'handOver', guardian });
                    }}
                    aria-label={t('guardians.handOverTo', { name: nameOf(guardian) })}
                  >
                    {t('guardians.handOver')}
                  </Button>
                  <Button
                    size="small"
                    variant="ghost"
                    className="family-danger-text"
                    onClick={() => {
                      setPending({ kind: 'remove', guardian });
                    }}
                    aria-label={t('guardians.removeName', { name: nameOf(guardian) })}
                  >
                    {t('guardians.remove')}
                  </Button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        isOpen={pending !== null}
        title={
          pending?.kind === 'handOver'
            ? t('guardians.handOverTitle', { name: pendingName })
            : t('guardians.removeTitle', { name: pendingName })
        }
        confirmLabel={
          pending?.kind === 'handOver' ? t('guardians.handOverConfirm') : t('guardians.remove')
        }
        isDanger={pending?.kind === 'remove'}
        onConfirm={confirm}
        onClose={() => {
          setPending(null);
        }}
      >
        <p>
          {pending?.kind === 'handOver'
            ? t('guardians.handOverBody')
            : t('guardians.removeBody', { name: pendingName })}
        </p>
      </ConfirmDialog>
    </>
  );
}
