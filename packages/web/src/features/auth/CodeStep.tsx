import { useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button.tsx';
import { useNow } from '../../ui/RelativeTime.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { codeDigits, isSixDigitCode, secondsLeft } from './login-flow.ts';

/**
 * The second step of an SMS login: the code field (filled by the phone's autofill where it
 * offers the code), logging in as soon as six digits are there, and asking again after a wait.
 */
export function CodeStep({
  phone,
  validMinutes,
  resendAt,
  error,
  isLoggingIn,
  isSending,
  onSubmit,
  onResend,
  onChangeNumber,
  onEdit,
}: {
  readonly phone: string;
  readonly validMinutes: number;
  readonly resendAt: number;
  readonly error: string | undefined;
  readonly isLoggingIn: boolean;
  readonly isSending: boolean;
  readonly onSubmit: (code: string) => void;
  readonly onResend: () => void;
  readonly onChangeNumber: () => void;
  readonly onEdit: () => void;
}) {
  const { t } = useTranslation('auth');
  const now = useNow(1000);
  const [code, setCode] = useState('');
  const lastSubmitted = useRef('');
  const [localError, setLocalError] = useState<string | null>(null);
  const wait = secondsLeft(resendAt, now);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!isSixDigitCode(code)) {
      setLocalError(t('code.format'));
      return;
    }
    lastSubmitted.current = code;
    onSubmit(code);
  };

  return (
    <form onSubmit={submit} noValidate>
      <p role="status">
        {t('code.sentTo', { phone })}{' '}
        <Button variant="ghost" size="small" onClick={onChangeNumber}>
          {t('code.changeNumber')}
        </Button>
      </p>
      <TextField
        className="auth__code"
        label={t('code.label')}
        hint={t('code.hint', { minutes: validMinutes })}
        error={localError ?? error}
        name="code"
        autoComplete="one-time-code"
        inputMode="numeric"
        pattern="[0-9]*"
        maxLength={6}
        // The field appears because the guardian just asked for a code: typing it is next.
        autoFocus
        required
        value={code}
        onChange={(event) => {
          const digits = codeDigits(event.target.value);
          setCode(digits);
          setLocalError(null);
          onEdit();
          // Autofill and paste bring all six digits at once: log in without another tap
          // (once per code, so a refused one is not sent again by an unrelated edit).
          if (digits.length === 6 && digits !== lastSubmitted.current && !isLoggingIn) {
            lastSubmitted.current = digits;
            onSubmit(digits);
          }
        }}
      />
      <div className="stack">
        <Button type="submit" variant="primary" block busy={isLoggingIn}>
          {t('code.submit')}
        </Button>
        <Button variant="ghost" block busy={isSending} disabled={wait > 0} onClick={onResend}>
          {wait > 0 ? t('code.resendIn', { seconds: wait }) : t('code.resend')}
        </Button>
      </div>
    </form>
  );
}
