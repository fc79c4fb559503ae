import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { NotificationSettings } from '../../api/types.ts';
import { Button } from '../../ui/Button.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { Banner } from '../../ui/states.tsx';
import { useFeatureErrorMessage } from '../auth/error-message.ts';
import { codeDigits, isSixDigitCode } from '../auth/login-flow.ts';

/**
 * The address alert e-mails go to: given, then confirmed with the code sent to it. Until the
 * code comes back the address is only pending and receives nothing.
 */
export function EmailSettings({
  settings,
  onChanged,
}: {
  readonly settings: NotificationSettings;
  readonly onChanged: (settings: NotificationSettings) => void;
}) {
  const { t } = useTranslation('account');
  const message = useFeatureErrorMessage('account');
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [isEditing, setIsEditing] = useState(false);
  const [busy, setBusy] = useState<'send' | 'confirm' | 'remove' | null>(null);
  const [error, setError] = useState<{ field: 'address' | 'code' | 'form'; text: string } | null>(
    null,
  );

  if (!settings.available.email) {
    return (
      <div className="account-channel-setup">
        <h3 className="account-subtitle">{t('email.title')}</h3>
        <p className="small muted">{t('email.unavailable')}</p>
      </div>
    );
  }

  const request = async (event: SyntheticEvent) => {
    event.preventDefault();
    const email = address.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
      setError({ field: 'address', text: t('email.format') });
      return;
    }
    setBusy('send');
    setError(null);
    try {
      await api.put('/api/v1/me/email', { body: { email } });
      onChanged({ ...settings, pendingEmail: email });
      setIsEditing(false);
      setCode('');
    } catch (failure) {
      setError({ field: 'address', text: message(failure, 'email') });
    } finally {
      setBusy(null);
    }
  };

  const confirm = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!isSixDigitCode(code)) {
      setError({ field: 'code', text: t('email.codeFormat') });
      return;
    }
    setBusy('confirm');
    setError(null);
    try {
      const result = await api.post('/api/v1/me/email/confirm', { body: { code } });
      onChanged(result.settings);
      setCode('');
    } catch (failure) {
      setError({ field: 'code', text: message(failure, 'email') });
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    setBusy('remove');
    setError(null);
    try {
      const result = await api.delete('/api/v1/me/email');
      onChanged(result.settings);
      setIsEditing(false);
    } catch (failure) {
      setError({ field: 'form', text: message(failure) });
    } finally {
      setBusy(null);
    }
  };

  const { email, pendingEmail } = settings;
  const showForm = isEditing || (email === null && pendingEmail === null);
  return (
    <div className="account-channel-setup">
      <h3 className="account-subtitle">{t('email.title')}</h3>
      {error?.field === 'form' ? <Banner tone="error">{error.text}</Banner> : null}
      {email !== null ? (
        <p>
          <span aria-hidden="true">✉️ </span>
          {t('email.current', { email })}
        </p>
      ) : null}
      {pendingEmail !== null && !isEditing ? (
        <form onSubmit={(event) => void confirm(event)} noValidate>
          <p role="status">{t('email.pending', { email: pendingEmail })}</p>
          <TextField
            className="code-field"
            label={t('email.code')}
            autoComplete="one-time-code"
            inputMode="numeric"
            pattern="[0-9]*"
            maxLength={6}
            value={code}
            error={error?.field === 'code' ? error.text : undefined}
            onChange={(event) => {
              setCode(codeDigits(event.target.value));
              setError(null);
            }}
          />
          <div className="btn-row">
            <Button type="submit" variant="primary" busy={busy === 'confirm'}>
              {t('email.confirm')}
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                setAddress(pendingEmail);
                setIsEditing(true);
              }}
            >
              {t('email.other')}
            </Button>
          </div>
        </form>
      ) : null}
      {showForm ? (
        <form onSubmit={(event) => void request(event)} noValidate>
          <TextField
            label={t('email.address')}
            hint={t('email.hint')}
            type="email"
            autoComplete="email"
            value={address}
            error={error?.field === 'address' ? error.text : undefined}
            onChange={(event) => {
              setAddress(event.target.value);
              setError(null);
            }}
          />
          <div className="btn-row">
            <Button type="submit" busy={busy === 'send'}>
              {t('email.send')}
            </Button>
            {isEditing ? (
              <Button
                variant="ghost"
                onClick={() => {
                  setIsEditing(false);
                  setError(null);
                }}
              >
                {t('common:action.cancel')}
              </Button>
            ) : null}
          </div>
        </form>
      ) : (
        <div className="btn-row">
          {email !== null && pendingEmail === null ? (
            <Button
              size="small"
              onClick={() => {
                setIsEditing(true);
              }}
            >
              {t('email.change')}
            </Button>
          ) : null}
          <Button
            size="small"
            variant="ghost"
            busy={busy === 'remove'}
            onClick={() => void remove()}
          >
            {pendingEmail !== null && email === null ? t('email.cancelPending') : t('email.remove')}
          </Button>
        </div>
      )}
    </div>
  );
}
