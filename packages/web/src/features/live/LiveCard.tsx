import type L from 'leaflet';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { watchName, type LiveWatch } from '../../app/watches.tsx';
import { currentLocale } from '../../i18n/i18n.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { RelativeTime, useNow } from '../../ui/RelativeTime.tsx';
import { formatAge } from '../../ui/relative-time.ts';
import { batteryLevel } from '../watches/watch-status.ts';
import { accuracyParts, fixTimeOf, type PlacedFix } from './fix.ts';
import { LocateNow } from './LocateNow.tsx';
import { OwnPosition } from './OwnPosition.tsx';

function percentText(percent: number): string {
  return new Intl.NumberFormat(currentLocale(), { style: 'percent' }).format(percent / 100);
}

function WatchState({ watch }: { readonly watch: LiveWatch }) {
  const { t } = useTranslation('live');
  const battery = watch.batteryPercent ?? null;
  return (
    <div className="row live-card__state">
      {watch.isOnline ? (
        <Badge tone="ok" icon="●">
          {t('online')}
        </Badge>
      ) : (
        <Badge icon="○">{t('offline')}</Badge>
      )}
      {battery === null ? null : batteryLevel(battery) === 'low' ? (
        <Badge tone="warn" icon="⚠">
          {t('batteryLow', { percent: percentText(battery) })}
        </Badge>
      ) : (
        <span className="small">{t('battery', { percent: percentText(battery) })}</span>
      )}
    </div>
  );
}

function FixFacts({ fix, isStale }: { readonly fix: PlacedFix; readonly isStale: boolean }) {
  const { t } = useTranslation('live');
  const { t: common } = useTranslation();
  const now = useNow(5_000);
  const accuracy = fix.accuracyMeters === null ? null : accuracyParts(fix.accuracyMeters);
  const at = fixTimeOf(fix);
  return (
    <>
      <p className="live-card__fix" data-testid="fix-facts">
        <span className="live-card__source">{common(`source.${fix.source}`)}</span>
        {' · '}
        {accuracy === null
          ? t('accuracyUnknown')
          : t(`accuracy.${accuracy.unit}`, {
              value: accuracy.value.toLocaleString(currentLocale()),
            })}
        {' · '}
        <RelativeTime at={at} />
      </p>
      {isStale ? (
        <p className="live-card__warning live-card__warning--stale" role="status">
          <span aria-hidden="true">⏱ </span>
          {t('stale', { age: formatAge(now - Date.parse(at), currentLocale()) })}
        </p>
      ) : null}
      {fix.flags.includes('impossibleJump') ? (
        <p className="live-card__warning" role="status">
          <span aria-hidden="true">⚠ </span>
          {t('flags.impossibleJump')}
        </p>
      ) : null}
      {fix.flags.includes('clockSkew') ? (
        <p className="live-card__warning" role="status">
          <span aria-hidden="true">⚠ </span>
          {t('flags.clockSkew')}
        </p>
      ) : null}
    </>
  );
}

/** The card over the live map: what the app knows about the fix, and what to do next. */
export function LiveCard({
  ref,
  watch,
  fix,
  isStale,
  isFollowing,
  onCentre,
  onOwnPositionShown,
  childAt,
}: {
  readonly ref: Ref<HTMLDivElement>;
  readonly watch: LiveWatch;
  readonly fix: PlacedFix | null;
  readonly isStale: boolean;
  readonly isFollowing: boolean;
  readonly onCentre: () => void;
  readonly onOwnPositionShown: () => void;
  readonly childAt: () => L.LatLng | null;
}) {
  const { t } = useTranslation('live');
  const name = watchName(watch);
  return (
    <div className="map-overlay live-overlay" ref={ref}>
      <div className="row live-overlay__tools">
        <OwnPosition childAt={childAt} onShown={onOwnPositionShown} />
        {isFollowing || fix === null ? null : (
          <Button size="small" onClick={onCentre} icon={<span aria-hidden="true">⌖</span>}>
            {t('centre')}
          </Button>
        )}
      </div>
      <section
        className={`card live-card${isStale ? ' live-card--stale' : ''}`}
        aria-label={t('cardLabel', { name })}
        data-latitude={fix?.latitude}
        data-longitude={fix?.longitude}
        data-recorded-at={fix?.recordedAt}
        data-stale={isStale}
      >
        <div className="row live-card__head">
          <strong className="live-card__name">{name}</strong>
          {watch.isDemo ? (
            <Badge tone="info" icon="🧪">
              {t('demo')}
            </Badge>
          ) : null}
        </div>
        <WatchState watch={watch} />
        {fix === null ? (
          <p className="live-card__fix muted">{t('noFix')}</p>
        ) : (
          <FixFacts fix={fix} isStale={isStale} />
        )}
        <LocateNow watchId={watch.id} isOnline={watch.isOnline} />
      </section>
    </div>
  );
}
