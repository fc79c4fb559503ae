import { useTranslation } from 'react-i18next';
import type { Position } from '../../api/types.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import { Badge } from '../../ui/Badge.tsx';
import { formatAccuracy } from './history-format.ts';

/** Sent late, clock off, impossible jump: each as a badge with words, never colour alone. */
export function PointBadges({ point }: { readonly point: Position }) {
  const { t } = useTranslation('history');
  return (
    <>
      {point.isBuffered ? (
        <Badge tone="info" icon="↺" title={t('point.bufferedHint')}>
          {t('point.buffered')}
        </Badge>
      ) : null}
      {point.flags.includes('clockSkew') ? (
        <Badge tone="warn" icon="!" title={t('point.clockSkewHint')}>
          {t('point.clockSkew')}
        </Badge>
      ) : null}
      {point.flags.includes('impossibleJump') ? (
        <Badge tone="danger" icon="!" title={t('point.impossibleJumpHint')}>
          {t('point.impossibleJump')}
        </Badge>
      ) : null}
    </>
  );
}

/** Source and accuracy of a fix, e.g. "GPS · ±8 m". */
export function useFixQuality(): (point: Position) => string {
  const { t } = useTranslation('history');
  return (point) => {
    const source = t(`common:source.${point.source}`);
    const accuracy =
      point.accuracyMeters === null
        ? t('point.accuracyUnknown')
        : formatAccuracy(point.accuracyMeters, currentLocale());
    return `${source} · ${accuracy}`;
  };
}

/** What is known about the fix under the playback marker. */
export function PointFacts({
  point,
  index,
  total,
  isOnPoint,
}: {
  readonly point: Position;
  readonly index: number;
  readonly total: number;
  readonly isOnPoint: boolean;
}) {
  const { t } = useTranslation('history');
  const quality = useFixQuality();
  const speed =
    point.speedKmh === null
      ? null
      : t('point.speed', {
          speed: new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 0 }).format(
            point.speedKmh,
          ),
        });
  return (
    <div className="history__facts" data-testid="point-facts">
      <span className="history__fix">
        {isOnPoint
          ? t('point.onFix', { number: index + 1, total })
          : t('point.between', { number: index + 1, next: index + 2, total })}
      </span>
      <span>{quality(point)}</span>
      {speed === null ? null : <span className="muted">{speed}</span>}
      <PointBadges point={point} />
    </div>
  );
}
