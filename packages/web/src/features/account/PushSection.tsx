import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import type { NotificationSettings } from '../../api/types.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Banner } from '../../ui/states.tsx';
import { useFeatureErrorMessage } from '../auth/error-message.ts';
import {
  currentSubscription,
  pushSupport,
  subscribeThisBrowser,
  unsubscribeThisBrowser,
} from './web-push.ts';

type PushState = 'checking' | 'insecure' | 'unsupported' | 'denied' | 'off' | 'on';

async function readState(): Promise<PushState> {
  const support = pushSupport();
  if (support !== 'supported') return support;
  if (Notification.permission === 'denied') return 'denied';
  return (await currentSubscription()) === null ? 'off' : 'on';
}

/** Alerts by Web Push on this browser: on, off, or why it cannot be. */
export function PushSection({
  settings,
  onChanged,
}: {
  readonly settings: NotificationSettings;
  readonly onChanged: () => void;
}) {
  const { t } = useTranslation('account');
  const message = useFeatureErrorMessage('account');
  const [state, setState] = useState<PushState>('checking');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let isCurrent = true;
    readState().then(
      (next) => {
        if (isCurrent) setState(next);
      },
      () => {
        if (isCurrent) setState('unsupported');
      },
    );
    return () => {
      isCurrent = false;
    };
  }, []);

  const turnOn = async () => {
    setIsBusy(true);
    setError(null);
    try {
      const outcome = await subscribeThisBrowser();
      if (outcome === 'subscribed') {
        setState('on');
      } else {
        const isBlocked = Notification.permission === 'denied';
        setState(isBlocked ? 'denied' : 'off');
        if (!isBlocked) setError(t('push.notAllowed'));
      }
      onChanged();
    } catch (failure) {
      setError(failure instanceof ApiError ? message(failure, 'push') : t('push.failed'));
    } finally {
      setIsBusy(false);
    }
  };

  const turnOff = async () => {
    setIsBusy(true);
    setError(null);
    try {
      await unsubscribeThisBrowser();
      setState('off');
      onChanged();
    } catch (failure) {
      setError(message(failure, 'push'));
    } finally {
      setIsBusy(false);
    }
  };

  const others = settings.pushSubscriptions - (state === 'on' ? 1 : 0);
  return (
    <div className="account-channel-setup">
      <div className="row">
        <h3 className="account-subtitle">{t('push.title')}</h3>
        {state === 'on' ? (
          <Badge tone="ok" icon="✓">
            {t('push.on')}
          </Badge>
        ) : state === 'checking' ? null : (
          <Badge icon="○">{t('push.off')}</Badge>
        )}
      </div>
      {!settings.available.push ? (
        <p className="small muted">{t('push.serverOff')}</p>
      ) : (
        <>
          {state === 'insecure' ? <p className="small muted">{t('push.insecure')}</p> : null}
          {state === 'unsupported' ? <p className="small muted">{t('push.unsupported')}</p> : null}
          {state === 'denied' ? (
            <Banner tone="warn">
              <span aria-hidden="true">🔕 </span>
              {t('push.denied')}
            </Banner>
          ) : null}
          {state === 'off' ? <p className="small">{t('push.offExplain')}</p> : null}
          {state === 'on' ? <p className="small">{t('push.onExplain')}</p> : null}
          {error === null ? null : <Banner tone="error">{error}</Banner>}
          {state === 'off' ? (
            <Button variant="primary" busy={isBusy} onClick={() => void turnOn()}>
              <span aria-hidden="true">🔔</span>
              {t('push.turnOn')}
            </Button>
          ) : null}
          {state === 'on' ? (
            <Button busy={isBusy} onClick={() => void turnOff()}>
              {t('push.turnOff')}
            </Button>
          ) : null}
        </>
      )}
      {others > 0 ? (
        <p className="small muted account-note">{t('push.otherBrowsers', { count: others })}</p>
      ) : null}
    </div>
  );
}
