import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import { useClientConfig } from '../../app/client-config.tsx';
import { useAccount } from '../../app/session.tsx';
import { useStreamMessages } from '../../app/stream.tsx';
import { useWatches, watchName, type LiveWatch } from '../../app/watches.tsx';
import { currentLocale } from '../../i18n/i18n.ts';
import { isStale } from '../../map/position-display.ts';
import { Button } from '../../ui/Button.tsx';
import { RelativeTime, useNow } from '../../ui/RelativeTime.tsx';
import { formatAge } from '../../ui/relative-time.ts';
import { useErrorMessage } from '../../ui/states.tsx';
import { AlertPlace, useSourceLabel } from './AlertPlace.tsx';
import { formatAccuracy } from './alert-text.ts';
import { recentAlerts } from './open-sos.ts';
import { startSiren, type Siren } from './siren.ts';
import { INITIAL_SOS_STATE, sosReducer, type ActiveSos } from './sos-state.ts';
import { useGuardianNames } from './use-guardian-names.ts';
import './alerts.css';

/** How long "Acknowledged by ..." stays before the takeover closes. */
const CLOSING_MS = 3500;

/**
 * How long a pending SOS (read from the watch, not yet stored) waits for its stored alert
 * before the guardian is told so and may close it. Storing takes milliseconds; the watch sends
 * an alarm again until the server has stored it.
 */
const UNCONFIRMED_MS = 30_000;

/** The siren and vibration while any SOS is open; whether the browser holds the sound back. */
function useAlarm(isSounding: boolean): { isBlocked: boolean; unblock: () => void } {
  const siren = useRef<Siren | null>(null);
  const [isBlocked, setBlocked] = useState(false);
  useEffect(() => {
    if (!isSounding) return undefined;
    const started = startSiren();
    siren.current = started;
    started.onBlockedChange = setBlocked;
    // A context allowed to play leaves "suspended" within a moment of its resume().
    const check = setTimeout(() => {
      setBlocked(started.isBlocked());
    }, 300);
    return () => {
      clearTimeout(check);
      started.stop();
      siren.current = null;
      setBlocked(false);
    };
  }, [isSounding]);
  const unblock = useCallback(() => {
    const current = siren.current;
    if (current === null) return;
    current.resume().then(
      () => {
        setBlocked(current.isBlocked());
      },
      () => undefined,
    );
  }, []);
  return { isBlocked, unblock };
}

/** While shown: the rest of the app is inert and does not scroll under the takeover. */
function useModal(isShown: boolean): void {
  useEffect(() => {
    if (!isShown) return undefined;
    const root = document.getElementById('root');
    const overflow = document.body.style.overflow;
    root?.setAttribute('inert', '');
    document.body.style.overflow = 'hidden';
    return () => {
      root?.removeAttribute('inert');
      document.body.style.overflow = overflow;
    };
  }, [isShown]);
}

function LatestPosition({ watch, sos }: { readonly watch: LiveWatch; readonly sos: ActiveSos }) {
  const { t } = useTranslation('alerts');
  const sourceLabel = useSourceLabel();
  const now = useNow(5000);
  const config = useClientConfig();
  const position = watch.livePosition;
  const alertAt = Date.parse(sos.alert.recordedAt ?? sos.alert.raisedAt);
  if (position?.latitude == null || Date.parse(position.recordedAt) <= alertAt) return null;
  const locale = currentLocale();
  const values = {
    source: sourceLabel(position.source),
    age: formatAge(now - Date.parse(position.recordedAt), locale),
  };
  const isOld = isStale(position.recordedAt, now, config.locationStaleAfterSeconds);
  return (
    <p className="sos-takeover__fact">
      {position.accuracyMeters === null
        ? t('where.latestNoAccuracy', values)
        : t('where.latest', {
            ...values,
            accuracy: formatAccuracy(position.accuracyMeters, locale),
          })}
      {isOld ? <strong> ({t('where.stale')})</strong> : null}
    </p>
  );
}

/**
 * An SOS takes over every signed-in screen until a guardian acknowledges it: the child's name,
 * when and where, a siren and vibration, one big button to acknowledge and one to call the
 * watch. SOS alerts raised while the app was closed (in the last hour) take over when it opens.
 */
export default function SosTakeover() {
  const { t } = useTranslation('alerts');
  const account = useAccount();
  const { watches, find } = useWatches();
  const errorMessage = useErrorMessage();
  const [state, dispatch] = useReducer(sosReducer, INITIAL_SOS_STATE);
  const now = useNow(5000);
  const locale = currentLocale();

  const checkWatches = useCallback((watchIds: readonly string[]) => {
    for (const watchId of watchIds) {
      const nowMs = Date.now();
      recentAlerts(watchId, nowMs).then(
        (alerts) => {
          dispatch({ type: 'loaded', watchId, alerts, nowMs });
        },
        () => {
          // The live stream still brings the next repeat of any open SOS.
        },
      );
    }
  }, []);

  useStreamMessages((message) => {
    if (message.type === 'alert') dispatch({ type: 'message', message });
    else if (message.type === 'alarmReceived') dispatch({ type: 'received', message });
    else if (message.type === 'hello') checkWatches(message.watchIds);
  });
  const knownIds = (watches.data ?? []).map((watch) => watch.id).join(',');
  useEffect(() => {
    if (knownIds !== '') checkWatches(knownIds.split(','));
  }, [knownIds, checkWatches]);

  const current = state.active[0];
  const closing = state.closing;
  const shownIds = useMemo(
    () => [...new Set([current?.watchId, closing?.watchId].filter((id) => id !== undefined))],
    [current?.watchId, closing?.watchId],
  );
  const { nameOf } = useGuardianNames(shownIds);
  const { isBlocked, unblock } = useAlarm(current !== undefined);
  useModal(current !== undefined || closing !== null);

  useEffect(() => {
    if (closing === null || current !== undefined) return undefined;
    const timer = setTimeout(() => {
      dispatch({ type: 'dismiss' });
    }, CLOSING_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [closing, current]);

  const dialog = useRef<HTMLDivElement>(null);
  const shownKey =
    current === undefined
      ? closing === null
        ? ''
        : `closing:${closing.alert.id}`
      : current.isPending === true
        ? `pending:${current.watchId}@${current.alert.recordedAt}`
        : `open:${current.alert.id}`;
  const [isAcknowledging, setAcknowledging] = useState(false);
  const [ackError, setAckError] = useState<string | null>(null);
  useEffect(() => {
    setAckError(null);
    if (shownKey !== '') dialog.current?.focus();
  }, [shownKey]);
  const [isUnconfirmed, setUnconfirmed] = useState(false);
  useEffect(() => {
    setUnconfirmed(false);
    if (!shownKey.startsWith('pending:')) return undefined;
    const timer = setTimeout(() => {
      setUnconfirmed(true);
    }, UNCONFIRMED_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [shownKey]);
  const acknowledge = async (sos: ActiveSos) => {
    setAcknowledging(true);
    setAckError(null);
    try {
      const { alert } = await api.post('/api/v1/watches/{watchId}/alerts/{alertId}/acknowledge', {
        path: { watchId: sos.watchId, alertId: sos.alert.id },
      });
      dispatch({ type: 'acknowledged', alert });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) checkWatches([sos.watchId]);
      else setAckError(t('sos.ackFailed', { reason: errorMessage(error) }));
    } finally {
      setAcknowledging(false);
    }
  };

  const whoName = (sos: ActiveSos): string => {
    const by = sos.alert.acknowledgedBy;
    if (by === null) return t('state.someone');
    if (by === account.id) return t('state.you');
    return nameOf(sos.watchId, by) ?? t('state.someone');
  };
  const childOf = (sos: ActiveSos) => {
    const watch = find(sos.watchId);
    return { watch, name: watch === undefined ? t('childUnknown') : watchName(watch) };
  };

  if (current === undefined && closing === null) return null;

  if (current === undefined && closing !== null) {
    const { name } = childOf(closing);
    return createPortal(
      <div
        ref={dialog}
        className="sos sos-takeover sos-takeover--closing"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="sos-closing-title"
        aria-describedby="sos-closing-body"
        tabIndex={-1}
      >
        <p className="sos-takeover__mark" aria-hidden="true">
          ✓
        </p>
        <h1 id="sos-closing-title">{t('sos.acknowledgedBy', { name: whoName(closing) })}</h1>
        <p id="sos-closing-body">
          {t(
            closing.alert.acknowledgedBy === account.id
              ? 'sos.acknowledgedBodyOwn'
              : 'sos.acknowledgedBody',
            { what: t('sos.heading', { name }) },
          )}
        </p>
        <Button
          onClick={() => {
            dispatch({ type: 'dismiss' });
          }}
        >
          {t('action.close', { ns: 'common' })}
        </Button>
      </div>,
      document.body,
    );
  }
  if (current === undefined) return null;

  const { watch, name } = childOf(current);
  const watchPhone = watch?.child?.watchPhone ?? null;
  const raisedAt = current.alert.raisedAt;
  const fixAt = current.alert.recordedAt ?? raisedAt;
  const more = state.active.length - 1;
  return createPortal(
    <div
      ref={dialog}
      className="sos sos-takeover"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="sos-title"
      aria-describedby="sos-description"
      tabIndex={-1}
      data-alert-id={current.isPending === true ? undefined : current.alert.id}
      data-pending={current.isPending === true ? 'true' : undefined}
    >
      <p className="sos-takeover__mark">
        <span aria-hidden="true">🆘 </span>
        {t('sos.title')}
      </p>
      {more > 0 ? <p className="sos-takeover__more">{t('sos.more', { count: more })}</p> : null}
      <h1 id="sos-title">{t('sos.heading', { name })}</h1>
      <div id="sos-description" className="sos-takeover__facts">
        <p className="sos-takeover__fact">
          <time dateTime={raisedAt}>
            {t('sos.raised', {
              age: formatAge(now - Date.parse(raisedAt), locale),
              time: new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(
                new Date(raisedAt),
              ),
            })}
          </time>
        </p>
        <p className="sos-takeover__fact">
          <AlertPlace watchId={current.watchId} location={current.alert.location}>
            {t('where.ageSeparator')}
            <RelativeTime at={fixAt} />
          </AlertPlace>
        </p>
        {watch === undefined ? null : <LatestPosition watch={watch} sos={current} />}
        <p className="small">
          {current.isPending === true
            ? t(isUnconfirmed ? 'sos.notStored' : 'sos.storing')
            : t('sos.repeating')}
        </p>
      </div>
      {isBlocked ? (
        <Button className="sos-takeover__sound" onClick={unblock}>
          <span aria-hidden="true">🔊</span> {t('sos.soundBlocked')}
        </Button>
      ) : null}
      <div className="sos-takeover__actions">
        {current.isPending === true && isUnconfirmed ? (
          <Button
            block
            className="sos-takeover__ack"
            onClick={() => {
              dispatch({
                type: 'dismissPending',
                watchId: current.watchId,
                recordedAt: current.alert.recordedAt ?? current.alert.raisedAt,
              });
            }}
          >
            {t('action.close', { ns: 'common' })}
          </Button>
        ) : (
          <Button
            block
            className="sos-takeover__ack"
            busy={isAcknowledging || current.isPending === true}
            onClick={() => void acknowledge(current)}
          >
            {t('sos.acknowledge')}
          </Button>
        )}
        {watchPhone === null ? null : (
          <a
            className="btn btn--block sos-takeover__call"
            href={`tel:${watchPhone.replace(/\s/g, '')}`}
          >
            <span aria-hidden="true">📞</span> {t('sos.call', { phone: watchPhone })}
          </a>
        )}
      </div>
      {ackError === null ? null : (
        <p className="sos-takeover__error" role="alert">
          {ackError}
        </p>
      )}
    </div>,
    document.body,
  );
}
