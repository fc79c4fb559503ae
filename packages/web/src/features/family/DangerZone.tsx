import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';

/**
 * Leaving the family (any guardian but the admin) and unbinding the watch (the admin): both
 * asked twice, the unbinding with a plain statement of what is deleted for everyone.
 */
export function DangerZone({
  watchId,
  childName,
  myAccountId,
  isAdmin,
  guardianCount,
  runSensitive,
  onGone,
}: {
  readonly watchId: string;
  readonly childName: string;
  readonly myAccountId: string;
  readonly isAdmin: boolean;
  readonly guardianCount: number;
  readonly runSensitive: (action: () => Promise<void>) => Promise<boolean>;
  /** The watch is no longer this guardian's. */
  readonly onGone: () => void;
}) {
  const { t } = useTranslation('family');
  const [dialog, setDialog] = useState<'leave' | 'unbind' | null>(null);
  const [isUnderstood, setIsUnderstood] = useState(false);
  const close = () => {
    setDialog(null);
    setIsUnderstood(false);
  };

  const leave = async () => {
    const isDone = await runSensitive(async () => {
      await api.delete('/api/v1/watches/{watchId}/guardians/{accountId}', {
        path: { watchId, accountId: myAccountId },
      });
    });
    if (isDone) {
      close();
      onGone();
    }
  };

  const unbind = async () => {
    const isDone = await runSensitive(async () => {
      await api.delete('/api/v1/watches/{watchId}', { path: { watchId } });
    });
    if (isDone) {
      close();
      onGone();
    }
  };

  return (
    <section className="card family-danger" aria-labelledby="family-danger-title">
      <h2 id="family-danger-title">{t('danger.title')}</h2>
      {isAdmin ? (
        <>
          {guardianCount > 1 ? <p className="small">{t('danger.adminCannotLeave')}</p> : null}
          <p className="small">{t('danger.unbindIntro', { name: childName })}</p>
          <Button
            variant="danger"
            onClick={() => {
              setDialog('unbind');
            }}
          >
            {t('danger.unbind')}
          </Button>
        </>
      ) : (
        <>
          <p className="small">{t('danger.leaveIntro', { name: childName })}</p>
          <Button
            variant="danger"
            onClick={() => {
              setDialog('leave');
            }}
          >
            {t('danger.leave')}
          </Button>
        </>
      )}
      <ConfirmDialog
        isOpen={dialog === 'leave'}
        title={t('danger.leaveTitle', { name: childName })}
        confirmLabel={t('danger.leave')}
        onConfirm={leave}
        onClose={close}
      >
        <p>{t('danger.leaveBody', { name: childName })}</p>
      </ConfirmDialog>
      <ConfirmDialog
        isOpen={dialog === 'unbind'}
        title={t('danger.unbindTitle', { name: childName })}
        confirmLabel={t('danger.unbindConfirm')}
        isReady={isUnderstood}
        onConfirm={unbind}
        onClose={close}
      >
        <div className="banner banner--error" role="note">
          <span aria-hidden="true">⚠</span>
          <div className="banner__body">
            <strong>{t('danger.unbindWarningTitle')}</strong>
            <p>{t('danger.unbindWarning', { name: childName })}</p>
          </div>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={isUnderstood}
            onChange={(event) => {
              setIsUnderstood(event.target.checked);
            }}
          />
          <span>{t('danger.unbindUnderstand')}</span>
        </label>
      </ConfirmDialog>
    </section>
  );
}
