import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { Banner } from '../../ui/states.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { invitationUrl } from './family-model.ts';
import { InvitationLinkCard } from './InvitationLinkCard.tsx';
import { useFamilyError } from './use-family-error.ts';

/** The admin invites a guardian by number, or makes a link to send any way they like. */
export function InviteForm({
  watchId,
  onInvited,
}: {
  readonly watchId: string;
  readonly onInvited: () => void;
}) {
  const { t } = useTranslation('family');
  const message = useFamilyError();
  const [phone, setPhone] = useState('');
  const [phoneError, setPhoneError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'phone' | 'link' | null>(null);
  const [created, setCreated] = useState<{ url: string; phone: string | null } | null>(null);

  const invite = async (byPhone: string | null) => {
    setError(null);
    setPhoneError(null);
    setBusy(byPhone === null ? 'link' : 'phone');
    try {
      const answer = await api.post('/api/v1/watches/{watchId}/invitations', {
        path: { watchId },
        body: { phone: byPhone },
      });
      setCreated({
        url: invitationUrl(window.location.origin, answer.link),
        phone: answer.invitation.phone,
      });
      setPhone('');
      onInvited();
    } catch (caught) {
      const code = caught instanceof ApiError ? caught.code : '';
      if (code === 'invalidPhone' || code === 'countryNotAllowed') setPhoneError(message(caught));
      else setError(message(caught));
    } finally {
      setBusy(null);
    }
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (phone.trim() === '') {
      setPhoneError(t('invite.phoneRequired'));
      return;
    }
    void invite(phone.trim());
  };

  return (
    <div className="stack">
      {created ? (
        <InvitationLinkCard
          url={created.url}
          phone={created.phone}
          onDone={() => {
            setCreated(null);
          }}
        />
      ) : null}
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('invite.phone')}
          hint={t('invite.phoneHint')}
          error={phoneError}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          maxLength={32}
          value={phone}
          onChange={(event) => {
            setPhone(event.target.value);
            setPhoneError(null);
          }}
        />
        {error ? <Banner tone="error">{error}</Banner> : null}
        <div className="btn-row">
          <Button type="submit" variant="primary" busy={busy === 'phone'} disabled={busy !== null}>
            {t('invite.byNumber')}
          </Button>
          <Button busy={busy === 'link'} disabled={busy !== null} onClick={() => void invite(null)}>
            {t('invite.byLink')}
          </Button>
        </div>
      </form>
    </div>
  );
}
