import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import type { Watch } from '../../api/types.ts';
import { Button } from '../../ui/Button.tsx';
import { useNow } from '../../ui/RelativeTime.tsx';
import { Banner, useErrorMessage } from '../../ui/states.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { formatCountdown, secondsLeft } from './claim-countdown.ts';
import { CodeField } from './CodeField.tsx';
import type { Claim } from './IdentifyStep.tsx';
import { ServerSetupHelp } from './ServerSetupHelp.tsx';

type FieldErrors = Partial<Record<'code' | 'childName' | 'birthDate' | 'watchPhone', string>>;

type Problem = 'expired' | 'alreadyBound' | { readonly message: string };

function today(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${String(now.getDate()).padStart(2, '0')}`;
}

/** Step 2: the code the watch shows (proof that this guardian holds it) and the child. */
export function ConfirmStep({
  claim,
  onBound,
  onStartAgain,
}: {
  readonly claim: Claim;
  readonly onBound: (watch: Watch) => void;
  readonly onStartAgain: () => void;
}) {
  const { t } = useTranslation('bind');
  const message = useErrorMessage();
  const now = useNow(1000);
  const [code, setCode] = useState('');
  const [childName, setChildName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [watchPhone, setWatchPhone] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const left = secondsLeft(claim.expiresAt, now);
  const isExpired = left === 0 || problem === 'expired';

  const validate = (): FieldErrors => {
    const found: FieldErrors = {};
    if (!/^\d{6}$/.test(code)) found.code = t('confirm.codeInvalid');
    if (childName.trim() === '') found.childName = t('confirm.childNameRequired');
    if (birthDate !== '' && birthDate > today()) found.birthDate = t('confirm.birthDateFuture');
    return found;
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setProblem(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setIsBusy(true);
    try {
      const { watch } = await api.post('/api/v1/watches/claims/{claimId}/confirm', {
        path: { claimId: claim.claimId },
        body: {
          code,
          childName: childName.trim(),
          ...(birthDate === '' ? {} : { birthDate }),
          ...(watchPhone.trim() === '' ? {} : { watchPhone: watchPhone.trim() }),
        },
      });
      onBound(watch);
    } catch (error) {
      setIsBusy(false);
      showError(error);
    }
  };

  const showError = (error: unknown) => {
    const apiCode = error instanceof ApiError ? error.code : '';
    if (apiCode === 'invalidCode') {
      if (secondsLeft(claim.expiresAt, Date.now()) === 0) setProblem('expired');
      else setErrors({ code: t('confirm.codeWrong') });
    } else if (apiCode === 'claimNotFound') setProblem('expired');
    else if (apiCode === 'watchAlreadyBound') setProblem('alreadyBound');
    else if (apiCode === 'invalidBirthDate') setErrors({ birthDate: message(error) });
    else if (apiCode === 'invalidPhone') setErrors({ watchPhone: t('confirm.watchPhoneInvalid') });
    else if (error instanceof ApiError && error.details.length > 0) {
      const fields: FieldErrors = {};
      for (const detail of error.details) {
        if (detail.field in { code: 1, childName: 1, birthDate: 1, watchPhone: 1 }) {
          fields[detail.field as keyof FieldErrors] = detail.message;
        }
      }
      setErrors(fields);
      if (Object.keys(fields).length === 0) setProblem({ message: message(error) });
    } else setProblem({ message: message(error) });
  };

  return (
    <section aria-labelledby="bind-confirm-title" className="stack">
      <h2 id="bind-confirm-title">{t('confirm.title')}</h2>
      <p>{t('confirm.intro', { deviceId: claim.deviceId })}</p>

      {isExpired ? (
        <Banner
          tone="error"
          action={
            <Button variant="primary" size="small" onClick={onStartAgain}>
              {t('confirm.startAgain')}
            </Button>
          }
        >
          <strong>{t('confirm.expiredTitle')}</strong> {t('confirm.expiredBody')}
        </Banner>
      ) : (
        <p className="bind-countdown" role="timer" aria-live="off">
          <span aria-hidden="true">⏱</span>{' '}
          {t('confirm.countdown', { time: formatCountdown(left) })}
        </p>
      )}
      {problem === 'alreadyBound' ? (
        <Banner tone="error">
          <strong>{t('identify.alreadyBoundTitle')}</strong> {t('identify.alreadyBoundBody')}
        </Banner>
      ) : null}
      {typeof problem === 'object' && problem !== null ? (
        <Banner tone="error">{problem.message}</Banner>
      ) : null}

      <form className="card" onSubmit={(event) => void submit(event)} noValidate>
        <CodeField
          label={t('confirm.code')}
          hint={t('confirm.codeHint')}
          error={errors.code}
          value={code}
          onChange={(value) => {
            setCode(value);
            setErrors((previous) => ({ ...previous, code: undefined }));
          }}
        />
        <TextField
          label={t('confirm.childName')}
          hint={t('confirm.childNameHint')}
          error={errors.childName}
          required
          aria-required="true"
          maxLength={40}
          autoComplete="off"
          value={childName}
          onChange={(event) => {
            setChildName(event.target.value);
          }}
        />
        <TextField
          label={t('confirm.birthDate')}
          hint={t('confirm.optional')}
          error={errors.birthDate}
          type="date"
          max={today()}
          value={birthDate}
          onChange={(event) => {
            setBirthDate(event.target.value);
          }}
        />
        <TextField
          label={t('confirm.watchPhone')}
          hint={t('confirm.watchPhoneHint')}
          error={errors.watchPhone}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          maxLength={32}
          value={watchPhone}
          onChange={(event) => {
            setWatchPhone(event.target.value);
          }}
        />
        <div className="btn-row">
          <Button type="submit" variant="primary" busy={isBusy} disabled={isExpired}>
            {t('confirm.submit')}
          </Button>
          <Button variant="ghost" onClick={onStartAgain}>
            {t('confirm.back')}
          </Button>
        </div>
      </form>

      <details className="card">
        <summary>{t('confirm.noCodeSummary')}</summary>
        <p>{t('confirm.noCodeBody')}</p>
      </details>
      <ServerSetupHelp />
    </section>
  );
}
