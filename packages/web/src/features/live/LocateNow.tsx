import { useReducer } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import { useStreamMessages } from '../../app/stream.tsx';
import { Button } from '../../ui/Button.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { isPlaced, livePositionFor } from './fix.ts';
import { IDLE, isWaiting, locateReducer, type LocatePhase } from './locate-progress.ts';

const STEPS = ['queued', 'sent', 'acknowledged', 'fixReceived'] as const;
const STEP_RANK: Partial<Record<LocatePhase, number>> = {
  requesting: -1,
  queued: 0,
  sent: 1,
  acknowledged: 2,
  unconfirmed: 2,
  noFix: 2,
  fixReceived: 3,
};

function Steps({ phase }: { readonly phase: LocatePhase }) {
  const { t } = useTranslation('live');
  const rank = STEP_RANK[phase];
  if (rank === undefined) return null;
  return (
    <ol className="locate-steps" aria-hidden="true">
      {STEPS.map((step, index) => {
        const state = index <= rank ? 'done' : index === rank + 1 ? 'current' : 'todo';
        return (
          <li key={step} className={`locate-steps__step locate-steps__step--${state}`}>
            <span className="locate-steps__mark">
              {state === 'done' ? '✓' : state === 'current' ? <span className="spinner" /> : '○'}
            </span>
            {t(`locate.step.${step}`)}
          </li>
        );
      })}
    </ol>
  );
}

/**
 * "Locate now": asks the watch for a fix and follows the command until the fix arrives,
 * saying plainly when the watch is offline, refuses, or never answers.
 */
export function LocateNow({
  watchId,
  isOnline,
}: {
  readonly watchId: string;
  readonly isOnline: boolean;
}) {
  const { t } = useTranslation('live');
  const errorMessage = useErrorMessage();
  const [state, dispatch] = useReducer(locateReducer, IDLE);

  useStreamMessages((message) => {
    if (message.type === 'commandProgress') {
      dispatch({ type: 'progress', commandId: message.commandId, status: message.status });
      return;
    }
    const fix = livePositionFor(message, watchId);
    if (fix !== null) dispatch({ type: 'position', isPlaced: isPlaced(fix) });
  });

  const locate = async () => {
    dispatch({ type: 'request' });
    try {
      const { commandId } = await api.post('/api/v1/watches/{watchId}/locate', {
        path: { watchId },
        body: {},
      });
      dispatch({ type: 'accepted', commandId });
    } catch (error) {
      dispatch({ type: 'rejected', error });
    }
  };

  const isBusy = isWaiting(state);
  const phase = state.phase;
  let message: string | null = null;
  let tone: 'ok' | 'warn' | 'error' | 'info' = 'info';
  if (phase === 'queued' && !isOnline) {
    message = t('locate.offline');
    tone = 'warn';
  } else if (phase === 'rejected') {
    const isTooMany = state.error instanceof ApiError && state.error.code === 'tooManyLocates';
    message = isTooMany ? t('locate.tooMany') : errorMessage(state.error);
    tone = 'error';
  } else if (phase !== 'idle') {
    message = t(`locate.phase.${phase}`);
    if (phase === 'fixReceived') tone = 'ok';
    if (phase === 'failed' || phase === 'expired') tone = 'error';
    if (phase === 'unconfirmed' || phase === 'noFix') tone = 'warn';
  }

  return (
    <div className="locate" data-phase={phase}>
      <Button
        variant="primary"
        busy={isBusy}
        onClick={() => {
          void locate();
        }}
        icon={<span aria-hidden="true">◎</span>}
      >
        {isBusy ? t('locate.busy') : t('locate.button')}
      </Button>
      <Steps phase={phase} />
      <p
        className={`small locate__message locate__message--${tone}`}
        role="status"
        aria-live="polite"
        data-testid="locate-status"
      >
        {message}
      </p>
      <p className="small muted locate__note">{t('locate.logged')}</p>
    </div>
  );
}
