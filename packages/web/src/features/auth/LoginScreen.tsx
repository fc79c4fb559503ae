import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Account } from '../../api/types.ts';
import { useClientConfig } from '../../app/client-config.tsx';
import { useRouter } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { Banner } from '../../ui/states.tsx';
import { LanguageSwitch } from '../account/LanguageSwitch.tsx';
import { CodeStep } from './CodeStep.tsx';
import { useFeatureErrorMessage } from './error-message.ts';
import {
  fieldOfLoginError,
  isInternationalNumber,
  normalizePhoneInput,
  pathAfterLogin,
  RESEND_AFTER_SECONDS,
  type LoginField,
} from './login-flow.ts';
import './auth.css';

type Method = 'code' | 'password';
type Errors = Partial<Record<LoginField | 'form', string>>;

/**
 * The first screen for a visitor: log in or sign up with a mobile number and an SMS code (a new
 * number becomes an account), or with a password, or try the demo.
 */
export default function LoginScreen() {
  const { t } = useTranslation('auth');
  const { isDemoEnabled } = useClientConfig();
  const { signedIn } = useSession();
  const { path, navigate } = useRouter();
  const message = useFeatureErrorMessage('auth');
  const [method, setMethod] = useState<Method>('code');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [sent, setSent] = useState<{ phone: string; resendAt: number; minutes: number } | null>(
    null,
  );
  const [busy, setBusy] = useState<'send' | 'login' | 'demo' | null>(null);
  const [errors, setErrors] = useState<Errors>({});

  const finish = (account: Account) => {
    const target = pathAfterLogin(path);
    if (target !== null) navigate(target, { replace: true });
    signedIn(account);
  };

  const fail = (error: unknown, context: Method | 'demo') => {
    const field = context === 'demo' ? null : fieldOfLoginError(error, context);
    const visible: readonly LoginField[] =
      method === 'password' ? ['phone', 'password'] : sent === null ? ['phone'] : ['code'];
    const place = field !== null && visible.includes(field) ? field : 'form';
    setErrors({ [place]: message(error, context) });
  };

  const checkedPhone = (): string | null => {
    const normalized = normalizePhoneInput(phone);
    if (isInternationalNumber(normalized)) return normalized;
    setErrors({ phone: t('phoneFormat') });
    return null;
  };

  const sendCode = async (event?: SyntheticEvent) => {
    event?.preventDefault();
    const normalized = checkedPhone();
    if (normalized === null) return;
    setBusy('send');
    setErrors({});
    try {
      const { expiresInSeconds } = await api.post('/api/v1/auth/otp', {
        body: { phone: normalized },
      });
      setSent({
        phone: normalized,
        resendAt: Date.now() + RESEND_AFTER_SECONDS * 1000,
        minutes: Math.round(expiresInSeconds / 60),
      });
    } catch (error) {
      fail(error, 'code');
    } finally {
      setBusy(null);
    }
  };

  const logInWithCode = async (code: string) => {
    if (sent === null) return;
    setBusy('login');
    setErrors({});
    try {
      const { account } = await api.post('/api/v1/auth/login', {
        body: { phone: sent.phone, code },
      });
      finish(account);
    } catch (error) {
      fail(error, 'code');
      setBusy(null);
    }
  };

  const logInWithPassword = async (event: SyntheticEvent) => {
    event.preventDefault();
    const normalized = checkedPhone();
    if (normalized === null) return;
    if (password === '') {
      setErrors({ password: t('passwordMissing') });
      return;
    }
    setBusy('login');
    setErrors({});
    try {
      const { account } = await api.post('/api/v1/auth/login', {
        body: { phone: normalized, password },
      });
      finish(account);
    } catch (error) {
      fail(error, 'password');
      setBusy(null);
    }
  };

  const tryDemo = async () => {
    setBusy('demo');
    setErrors({});
    try {
      const { account } = await api.post('/api/v1/demo');
      finish(account);
    } catch (error) {
      fail(error, 'demo');
      setBusy(null);
    }
  };

  const chooseMethod = (next: Method) => {
    setMethod(next);
    setErrors({});
  };

  const phoneField = (
    <TextField
      label={t('phone.label')}
      hint={method === 'code' ? t('phone.hintCode') : t('phone.hint')}
      error={errors.phone}
      name="phone"
      type="tel"
      autoComplete="tel"
      inputMode="tel"
      placeholder={t('phone.placeholder')}
      required
      value={phone}
      onChange={(event) => {
        setPhone(event.target.value);
        if (errors.phone !== undefined) setErrors({});
      }}
    />
  );

  return (
    <main id="main" className="auth auth-screen">
      <div className="auth__top">
        <span className="brand">
          <img src="/icon.svg" alt="" width="32" height="32" />
          <span>Kinwatch</span>
        </span>
        <LanguageSwitch compact />
      </div>
      <p className="auth__tagline">{t('tagline')}</p>

      <section className="card" aria-labelledby="login-title">
        <h1 id="login-title">{t('title')}</h1>
        <p className="muted small">{t('intro')}</p>
        <fieldset className="auth__method">
          <legend className="visually-hidden">{t('method.label')}</legend>
          <div className="choice-switch">
            {(['code', 'password'] as const).map((option) => (
              <label key={option} className="choice-switch__option">
                <input
                  type="radio"
                  name="login-method"
                  value={option}
                  checked={method === option}
                  onChange={() => {
                    chooseMethod(option);
                  }}
                />
                <span>
                  <span className="choice-switch__tick" aria-hidden="true">
                    ✓
                  </span>
                  {t(`method.${option}`)}
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        {errors.form === undefined ? null : <Banner tone="error">{errors.form}</Banner>}

        {method === 'password' ? (
          <form onSubmit={(event) => void logInWithPassword(event)} noValidate>
            {phoneField}
            <TextField
              label={t('password.label')}
              hint={t('password.hint')}
              error={errors.password}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => {
                setPassword(event.target.value);
                if (errors.password !== undefined) setErrors({});
              }}
            />
            <Button type="submit" variant="primary" block busy={busy === 'login'}>
              {t('password.submit')}
            </Button>
          </form>
        ) : sent === null ? (
          <form onSubmit={(event) => void sendCode(event)} noValidate>
            {phoneField}
            <Button type="submit" variant="primary" block busy={busy === 'send'}>
              {t('code.send')}
            </Button>
          </form>
        ) : (
          <CodeStep
            phone={sent.phone}
            validMinutes={sent.minutes}
            resendAt={sent.resendAt}
            error={errors.code}
            isLoggingIn={busy === 'login'}
            isSending={busy === 'send'}
            onSubmit={(code) => void logInWithCode(code)}
            onResend={() => void sendCode()}
            onChangeNumber={() => {
              setSent(null);
              setErrors({});
            }}
            onEdit={() => {
              if (errors.code !== undefined) setErrors({});
            }}
          />
        )}
      </section>

      {isDemoEnabled ? (
        <section className="card auth__demo" aria-labelledby="demo-title">
          <h2 id="demo-title">
            <span aria-hidden="true">👀 </span>
            {t('demo.title')}
          </h2>
          <p>{t('demo.body')}</p>
          <p className="small muted">{t('demo.throwAway')}</p>
          <Button block busy={busy === 'demo'} onClick={() => void tryDemo()}>
            {t('demo.start')}
          </Button>
        </section>
      ) : null}

      <p className="auth__privacy small">
        <span aria-hidden="true">🔒 </span>
        {t('privacy')}
      </p>
    </main>
  );
}
