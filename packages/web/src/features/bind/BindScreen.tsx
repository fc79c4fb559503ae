import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRouter } from '../../app/router.tsx';
import { watchPath } from '../../app/routes.ts';
import { useWatches } from '../../app/watches.tsx';
import { ConfirmStep } from './ConfirmStep.tsx';
import { IdentifyStep, type Claim } from './IdentifyStep.tsx';
import './bind.css';

const STEPS = ['identify', 'confirm'] as const;

/**
 * Binding a watch with proof of possession: name the watch (typed or scanned), then type the
 * code that appears on its screen. Whoever binds becomes the family's admin.
 */
export default function BindScreen() {
  const { t } = useTranslation('bind');
  const { navigate } = useRouter();
  const { reload } = useWatches();
  const [claim, setClaim] = useState<Claim | null>(null);
  const [lastDeviceId, setLastDeviceId] = useState('');
  const current = claim === null ? 'identify' : 'confirm';

  return (
    <div className="bind">
      <header className="page-header">
        <h1>{t('title')}</h1>
      </header>
      <ol className="bind-steps" aria-label={t('stepsLabel')}>
        {STEPS.map((step, index) => (
          <li
            key={step}
            aria-current={step === current ? 'step' : undefined}
            className={step === current ? 'bind-steps__step is-current' : 'bind-steps__step'}
          >
            <span className="bind-steps__number" aria-hidden="true">
              {index < STEPS.indexOf(current) ? '✓' : index + 1}
            </span>
            <span>
              <span className="visually-hidden">
                {t('stepOf', { step: index + 1, count: STEPS.length })}
              </span>
              {t(`steps.${step}`)}
            </span>
          </li>
        ))}
      </ol>
      {claim === null ? (
        <IdentifyStep
          initialDeviceId={lastDeviceId}
          onClaimed={(next) => {
            setLastDeviceId(next.deviceId);
            setClaim(next);
            window.scrollTo(0, 0);
          }}
        />
      ) : (
        <ConfirmStep
          key={claim.claimId}
          claim={claim}
          onStartAgain={() => {
            setClaim(null);
          }}
          onBound={(watch) => {
            reload();
            navigate(watchPath(watch.id));
          }}
        />
      )}
    </div>
  );
}
