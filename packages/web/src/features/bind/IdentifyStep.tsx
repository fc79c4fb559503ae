import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { Banner, useErrorMessage } from '../../ui/states.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { cleanTypedDeviceId, isDeviceId } from './device-id.ts';
import { QrScanner, scanProblemOfBrowser, type ScanProblem } from './QrScanner.tsx';
import { ServerSetupHelp } from './ServerSetupHelp.tsx';

export interface Claim {
  readonly deviceId: string;
  readonly claimId: string;
  readonly expiresAt: string;
}

type Problem =
  | { readonly kind: 'notConnected' }
  | { readonly kind: 'alreadyBound' }
  | { readonly kind: 'other'; readonly message: string };

/** Step 1: which watch. Typed, or scanned from the QR code on its screen. */
export function IdentifyStep({
  initialDeviceId,
  onClaimed,
}: {
  readonly initialDeviceId: string;
  readonly onClaimed: (claim: Claim) => void;
}) {
  const { t } = useTranslation('bind');
  const message = useErrorMessage();
  const [typed, setTyped] = useState(initialDeviceId);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [isScanning, setIsScanning] = useState(false);
  // Known before any press: a browser that gives pages no camera says so at once.
  const [scanProblem, setScanProblem] = useState<ScanProblem | null>(scanProblemOfBrowser);
  const [isBusy, setIsBusy] = useState(false);

  const claim = async (deviceId: string) => {
    setFieldError(null);
    setProblem(null);
    if (!isDeviceId(deviceId)) {
      setFieldError(t('identify.invalid'));
      return;
    }
    setIsBusy(true);
    try {
      const { claimId, expiresAt } = await api.post('/api/v1/watches/claims', {
        body: { deviceId },
      });
      onClaimed({ deviceId, claimId, expiresAt });
    } catch (error) {
      const code = error instanceof ApiError ? error.code : '';
      if (code === 'watchNotFound') setProblem({ kind: 'notConnected' });
      else if (code === 'watchAlreadyBound') setProblem({ kind: 'alreadyBound' });
      else if (code === 'invalidDeviceId') setFieldError(t('identify.invalid'));
      else setProblem({ kind: 'other', message: message(error) });
    } finally {
      setIsBusy(false);
    }
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void claim(cleanTypedDeviceId(typed));
  };

  const startScan = () => {
    const browserProblem = scanProblemOfBrowser();
    setScanProblem(browserProblem);
    setIsScanning(browserProblem === null);
  };

  return (
    <section aria-labelledby="bind-identify-title" className="stack">
      <h2 id="bind-identify-title">{t('identify.title')}</h2>
      <p className="muted">{t('identify.intro')}</p>

      <div className="card stack">
        <h3>{t('scan.title')}</h3>
        {isScanning ? (
          <QrScanner
            onDetected={(deviceId) => {
              setIsScanning(false);
              setTyped(deviceId);
              void claim(deviceId);
            }}
            onProblem={(found) => {
              setIsScanning(false);
              setScanProblem(found);
            }}
            onCancel={() => {
              setIsScanning(false);
            }}
          />
        ) : scanProblem === 'insecure' || scanProblem === 'unsupported' ? null : (
          <div className="stack">
            <p className="small muted">{t('scan.hint')}</p>
            <div>
              <Button onClick={startScan} icon={<span aria-hidden="true">📷</span>}>
                {t('scan.start')}
              </Button>
            </div>
          </div>
        )}
        {scanProblem ? (
          <Banner tone="warn">
            <strong>{t(`scan.problem.${scanProblem}`)}</strong> {t('scan.typeInstead')}
          </Banner>
        ) : null}
      </div>

      <form className="card" onSubmit={submit} noValidate>
        <h3>{t('identify.typeTitle')}</h3>
        <TextField
          label={t('identify.label')}
          hint={t('identify.hint')}
          error={fieldError}
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          maxLength={24}
          value={typed}
          onChange={(event) => {
            setTyped(event.target.value);
            setFieldError(null);
          }}
        />
        {problem?.kind === 'alreadyBound' ? (
          <Banner tone="error">
            <strong>{t('identify.alreadyBoundTitle')}</strong> {t('identify.alreadyBoundBody')}
          </Banner>
        ) : null}
        {problem?.kind === 'notConnected' ? (
          <Banner tone="error">
            <strong>{t('identify.notConnectedTitle')}</strong> {t('identify.notConnectedBody')}
          </Banner>
        ) : null}
        {problem?.kind === 'other' ? <Banner tone="error">{problem.message}</Banner> : null}
        <Button type="submit" variant="primary" block busy={isBusy}>
          {t('identify.submit')}
        </Button>
      </form>

      <ServerSetupHelp
        key={problem?.kind === 'notConnected' ? 'open' : 'closed'}
        isOpen={problem?.kind === 'notConnected'}
      />
    </section>
  );
}
