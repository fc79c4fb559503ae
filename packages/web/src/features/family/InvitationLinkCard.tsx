import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button.tsx';
import { Banner } from '../../ui/states.tsx';
import { CopyButton } from '../bind/CopyButton.tsx';

/** A new invitation's link, shown once: copy it, or hand it to the phone's share sheet. */
export function InvitationLinkCard({
  url,
  phone,
  onDone,
}: {
  readonly url: string;
  readonly phone: string | null;
  readonly onDone: () => void;
}) {
  const { t } = useTranslation('family');
  const [shareFailed, setShareFailed] = useState(false);
  const canShare = typeof navigator.share === 'function';
  const share = async () => {
    setShareFailed(false);
    try {
      await navigator.share({ title: t('invite.shareTitle'), text: t('invite.shareText'), url });
    } catch (error) {
      // Closing the share sheet is not a failure.
      if ((error as { name?: string }).name !== 'AbortError') setShareFailed(true);
    }
  };
  return (
    <Banner tone="ok">
      <div className="stack">
        <strong>
          {phone === null ? t('invite.linkCreated') : t('invite.sentToNumber', { phone })}
        </strong>
        <span>{t('invite.linkOnce')}</span>
        <label className="field family-link">
          <span className="label">{t('invite.linkLabel')}</span>
          <input
            readOnly
            value={url}
            onFocus={(event) => {
              event.target.select();
            }}
          />
        </label>
        <div className="btn-row">
          <CopyButton text={url} label={t('invite.copy')} />
          {canShare ? (
            <Button size="small" onClick={() => void share()}>
              {t('invite.share')}
            </Button>
          ) : null}
          <Button size="small" variant="ghost" onClick={onDone}>
            {t('invite.done')}
          </Button>
        </div>
        {shareFailed ? <span role="status">{t('invite.shareFailed')}</span> : null}
      </div>
    </Banner>
  );
}
