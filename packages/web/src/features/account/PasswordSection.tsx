import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAccount, useSession } from '../../app/session.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { Banner } from '../../ui/states.tsx';
import { fieldProblem, useFeatureErrorMessage } from '../auth/error-message.ts';
import { ReauthenticationCancelled } from './reauthentication.ts';
import { useReauthentication } from './Reauthenticate.tsx';

/** The server's rule (passwordSchema): at least 10 characters, at most 200. */
const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 200;

/** Set or change the password; the server asks for a recent login or a confirmation first. */
export function PasswordSection() {
  const { t } = useTranslation('account');
  const account = useAccount();
  const { refresh } = useSession();
  const message = useFeatureErrorMessage('account');
  const { guard, dialog } = useReauthentication(t('password.reauthReason'));
  const [password, setPassword] = useState('');
  const [isShown, setIsShown] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isSaved, setIsSaved] = useState(false);

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    setIsSaved(false);
    if (password.length < MIN_PASSWORD_LENGTH) {
      setError(t('password.tooShort', { min: MIN_PASSWORD_LENGTH }));
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      await guard(() => api.put('/api/v1/me/password', { body: { password } }));
      setPassword('');
      setIsSaved(true);
      await refresh();
    } catch (failure) {
      if (!(failure instanceof ReauthenticationCancelled)) {
        setError(fieldProblem(failure, 'password') ?? message(failure));
      }
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <div className="row account-section-title">
        <h2 id="password-title">{t('password.title')}</h2>
        {account.hasPassword ? (
          <Badge tone="ok" icon="✓">
            {t('password.isSet')}
          </Badge>
        ) : (
          <Badge>{t('password.notSet')}</Badge>
        )}
      </div>
      <p className="small muted">
        {account.hasPassword ? t('password.explainChange') : t('password.explainSet')}
      </p>
      {isSaved ? (
        <Banner tone="ok">
          <span aria-hidden="true">✓ </span>
          {t('password.saved')}
        </Banner>
      ) : null}
      <form onSubmit={(event) => void save(event)} noValidate>
        {/* A hidden user name lets password managers store the password with the right number. */}
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={account.phone}
          readOnly
          hidden
        />
        <TextField
          label={account.hasPassword ? t('password.new') : t('password.label')}
          hint={t('password.hint', { min: MIN_PASSWORD_LENGTH })}
          type={isShown ? 'text' : 'password'}
          name="new-password"
          autoComplete="new-password"
          minLength={MIN_PASSWORD_LENGTH}
          maxLength={MAX_PASSWORD_LENGTH}
          value={password}
          error={error}
          onChange={(event) => {
            setPassword(event.target.value);
            setError(null);
            setIsSaved(false);
          }}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={isShown}
            onChange={(event) => {
              setIsShown(event.target.checked);
            }}
          />
          {t('password.show')}
        </label>
        <Button type="submit" variant="primary" busy={isBusy}>
          {account.hasPassword ? t('password.change') : t('password.set')}
        </Button>
      </form>
      {dialog}
    </section>
  );
}
