import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useClientConfig } from '../../app/client-config.tsx';
import { Link } from '../../app/router.tsx';
import { watchPath } from '../../app/routes.ts';
import { watchName, type LiveWatch } from '../../app/watches.tsx';
import { currentLocale } from '../../i18n/i18n.ts';
import { Badge } from '../../ui/Badge.tsx';
import { RelativeTime, useNow } from '../../ui/RelativeTime.tsx';
import { accuracyParts, fixTimeOf, isFixStale, isPlaced, newerFix, type Fix } from '../live/fix.ts';
import { useLatestFix } from '../live/latest-fix.ts';
import { batteryLevel, initialsOf, signalBars } from './watch-status.ts';

function percentText(percent: number): string {
  return new Intl.NumberFormat(currentLocale(), { style: 'percent' }).format(percent / 100);
}

function Avatar({ watch }: { readonly watch: LiveWatch }) {
  const [hasFailed, setFailed] = useState(false);
  const name = watchName(watch);
  if (watch.child?.hasAvatar === true && !hasFailed) {
    return (
      <img
        className="avatar"
        src={api.url('/api/v1/watches/{watchId}/child/avatar', { path: { watchId: watch.id } })}
        alt=""
        width={44}
        height={44}
        loading="lazy"
        onError={() => {
          setFailed(true);
        }}
      />
    );
  }
  return (
    <span className="avatar" aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}

function Health({ watch }: { readonly watch: LiveWatch }) {
  const { t } = useTranslation('watches');
  const battery = batteryLevel(watch.batteryPercent);
  const signal = watch.gsmSignalPercent ?? null;
  const bars = signalBars(signal);
  return (
    <div className="row watch-row__health">
      {watch.isOnline ? (
        <Badge tone="ok" icon="●">
          {t('online')}
        </Badge>
      ) : (
        <Badge icon="○">
          {t('offline')}
          {watch.lastSeenAt === null ? null : (
            <span className="watch-row__seen">
              {' · '}
              {t('seen')} <RelativeTime at={watch.lastSeenAt} />
            </span>
          )}
        </Badge>
      )}
      {watch.batteryPercent === null ? null : battery === 'low' ? (
        <Badge tone="warn" icon="⚠">
          {t('batteryLow', { percent: percentText(watch.batteryPercent) })}
        </Badge>
      ) : (
        <span className="small">
          <span aria-hidden="true">🔋 </span>
          <span className="visually-hidden">{t('battery')} </span>
          {percentText(watch.batteryPercent)}
        </span>
      )}
      {bars === null || signal === null ? null : (
        <span className="small" data-bars={bars}>
          <span aria-hidden="true" className="watch-row__bars">
            {'▂▄▆█'.slice(0, Math.max(1, bars))}
          </span>
          <span className="visually-hidden">{t('signal')} </span>
          {percentText(signal)}
        </span>
      )}
    </div>
  );
}

function LastFix({ fix, isLoading }: { readonly fix: Fix | null; readonly isLoading: boolean }) {
  const { t } = useTranslation('watches');
  const { t: common } = useTranslation();
  const config = useClientConfig();
  const now = useNow();
  if (fix === null) {
    return (
      <div className="small muted watch-row__fix">{isLoading ? t('fixLoading') : t('noFix')}</div>
    );
  }
  const isStale = isFixStale(fix, now, config.locationStaleAfterSeconds);
  const accuracy = fix.accuracyMeters === null ? null : accuracyParts(fix.accuracyMeters);
  return (
    <div className="small watch-row__fix" data-source={fix.source} data-stale={isStale}>
      <span aria-hidden="true">📍 </span>
      <span className="visually-hidden">{t('lastFix')} </span>
      <span>{common(`source.${fix.source}`)}</span>
      {accuracy === null ? null : (
        <span>
          {' · '}
          {t(`accuracy.${accuracy.unit}`, {
            value: accuracy.value.toLocaleString(currentLocale()),
          })}
        </span>
      )}
      {' · '}
      <RelativeTime at={fixTimeOf(fix)} />
      {isStale ? (
        <>
          {' '}
          <Badge tone="warn" icon="⏱">
            {t('stale')}
          </Badge>
        </>
      ) : null}
    </div>
  );
}

/** One watch in the list: the child, the watch's health and the last fix; opens the map. */
export function WatchRow({ watch }: { readonly watch: LiveWatch }) {
  const { t } = useTranslation('watches');
  const latest = useLatestFix(watch.id);
  const live = watch.livePosition && isPlaced(watch.livePosition) ? watch.livePosition : undefined;
  const fix = newerFix(latest.data?.fix ?? undefined, live) ?? null;
  return (
    <li className="watch-row" data-watch-id={watch.id}>
      <Link to={watchPath(watch.id)} className="list__link">
        <Avatar watch={watch} />
        <div className="watch-row__body">
          <div className="row watch-row__title">
            <strong>{watchName(watch)}</strong>
            {watch.isDemo ? (
              <Badge tone="info" icon="🧪">
                {t('demo')}
              </Badge>
            ) : null}
          </div>
          <Health watch={watch} />
          <LastFix fix={fix} isLoading={latest.status === 'loading'} />
        </div>
        <span className="watch-row__chevron" aria-hidden="true">
          ›
        </span>
      </Link>
    </li>
  );
}
