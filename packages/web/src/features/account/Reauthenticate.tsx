import { useCallback, useRef, useState, type SyntheticEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAccount } from '../../app/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { useNow } from '../../ui/RelativeTime.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { Banner } from '../../ui/states.tsx';
import { useFeatureErrorMessage } from '../auth/error-message.ts';
import {
  codeDigits,
  isSixDigitCode,
  RESEND_AFTER_SECONDS,
  secondsLeft,
} from '../auth/login-flow.ts';
import { ReauthenticationCancelled, withReauthentication } from './reauthentication.ts';

type Proof = 'password' | 'code';

/**
 * "Confirm it is you": the account's password, or a code sent by SMS to its number. A
 * confirmation lasts 10 minutes on the server; `onConfirmed` runs once it is in place.
 */
export function Reauthenticate({
  reason,
  onConfirmed,
  onCancel,
}: {
  readonly reason?: ReactNode;
  readonly onConfirmed: () => void;
  readonly onCancel: () => void;
}) {
  const { t } = useTranslation('account');
  const account = useAccount();
  const message = useFeatureErrorMessage('account');
  const now = useNow(1000);
  const [proof, setProof] = useState<Proof>(account.hasPassword ? 'password' : 'code');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [resendAt, setResendAt] = useState<number | null>(null);
  const [busy, setBusy] = useState<'send' | 'confirm' | null>(null);
  const [error, setError] = useState<{ field: Proof | 'form'; text: string } | null>(null);

  const sendCode = async () => {
    setBusy('send');
    setError(null);
    try {
      await api.post('/api/v1/auth/reauth/otp');
      setResendAt(Date.now() + RESEND_AFTER_SECONDS * 1000);
    } catch (failure) {
      setError({ field: 'form', text: message(failure) });
    } finally {
      setBusy(null);
    }
  };

  const confirm = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (proof === 'password' && password === '') {
      setError({ field: 'password', text: t('reauth.passwordMissing') });
      return;
    }
    if (proof === 'code' && !isSixDigitCode(code)) {
      setError({ field: 'code', text: t('reauth.codeFormat') });
      return;
    }
    setBusy('confirm');
    setError(null);
    try {
      await api.post('/api/v1/auth/reauth', {
        body: proof === 'password' ? { password } : { code },
      });
      onConfirmed();
    } catch (failure) {
      setError({ field: proof, text: message(failure, `reauth.${proof}`) });
      setBusy(null);
    }
  };

  const wait = resendAt === null ? 0 : secondsLeft(resendAt, now);
  const fieldError = (field: Proof) => (error?.field === field ? error.text : undefined);

  return (
    <form className="reauth" onSubmit={(event) => void confirm(event)} noValidate>
      <p>{reason ?? t('reauth.why')}</p>
      {account.hasPassword ? (
        <div className="btn-row reauth__choice">
          <Button
            size="small"
            variant={proof === 'password' ? 'primary' : 'secondary'}
            aria-pressed={proof === 'password'}
            onClick={() => {
              setProof('password');
              setError(null);
            }}
          >
            {t('reauth.withPassword')}
          </Button>
          <Button
            size="small"
            variant={proof === 'code' ? 'primary' : 'secondary'}
            aria-pressed={proof === 'code'}
            onClick={() => {
              setProof('code');
              setError(null);
            }}
          >
            {t('reauth.withCode')}
          </Button>
        </div>
      ) : null}
      {error?.field === 'form' ? <Banner tone="error">{error.text}</Banner> : null}
      {proof === 'password' ? (
        <TextField
          label={t('reauth.password')}
          type="password"
          autoComplete="current-password"
          error={fieldError('password')}
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            setError(null);
          }}
        />
      ) : resendAt === null ? (
        <p className="muted">{t('reauth.codeExplained', { phone: account.phone })}</p>
      ) : (
        <>
          <p role="status">{t('reauth.codeSent', { phone: account.phone })}</p>
          <TextField
            className="code-field"
            label={t('reauth.code')}
            autoComplete="one-time-code"
            inputMode="numeric"
            pattern="[0-9]*"
            maxLength={6}
            error={fieldError('code')}
            value={code}
            onChange={(event) => {
              setCode(codeDigits(event.target.value));
              setError(null);
            }}
          />
        </>
      )}
      <div className="btn-row">
        {proof === 'code' && resendAt === null ? (
          <Button variant="primary" busy={busy === 'send'} onClick={() => void sendCode()}>
            {t('reauth.sendCode')}
          </Button>
        ) : (
          <Button type="submit" variant="primary" busy={busy === 'confirm'}>
            {t('reauth.confirm')}
          </Button>
        )}
        {proof === 'code' && resendAt !== null ? (
          <Button
            variant="ghost"
            busy={busy === 'send'}
            disabled={wait > 0}
            onClick={() => void sendCode()}
          >
            {wait > 0 ? t('reauth.resendIn', { seconds: wait }) : t('reauth.resend')}
          </Button>
        ) : null}
        <Button variant="ghost" onClick={onCancel}>
          {t('common:action.cancel')}
        </Button>
      </div>
    </form>
  );
}

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * For any screen with sensitive actions: `guard(action)` runs the action and, when the server
 * asks for re-authentication, opens the confirmation (render `dialog`) and runs it again once
 * the guardian confirmed. It rejects with `ReauthenticationCancelled` when they close it.
 */
export function useReauthentication(reason?: ReactNode): {
  readonly guard: <T>(action: () => Promise<T>) => Promise<T>;
  readonly dialog: ReactNode;
} {
  const { t } = useTranslation('account');
  const [isOpen, setIsOpen] = useState(false);
  const pending = useRef<Pending | null>(null);
  const settle = (outcome: 'confirmed' | 'cancelled') => {
    const waiting = pending.current;
    pending.current = null;
    setIsOpen(false);
    if (outcome === 'confirmed') waiting?.resolve();
    else waiting?.reject(new ReauthenticationCancelled());
  };
  const guard = useCallback(
    <T,>(action: () => Promise<T>) =>
      withReauthentication(
        action,
        () =>
          new Promise<void>((resolve, reject) => {
            pending.current = { resolve, reject };
            setIsOpen(true);
          }),
      ),
    [],
  );
  // Mounted only while open: every Dialog titles itself with the same element id.
  const dialog = isOpen ? (
    <Dialog
      isOpen={isOpen}
      title={t('reauth.title')}
      onClose={() => {
        settle('cancelled');
      }}
    >
      <Reauthenticate
        reason={reason}
        onConfirmed={() => {
          settle('confirmed');
        }}
        onCancel={() => {
          settle('cancelled');
        }}
      />
    </Dialog>
  ) : null;
  return { guard, dialog };
}
