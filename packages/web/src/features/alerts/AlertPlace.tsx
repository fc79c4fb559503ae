import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../app/router.tsx';
import { watchPath } from '../../app/routes.ts';
import type { Alert } from '../../api/types.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import { formatAccuracy, formatCoordinates } from './alert-text.ts';

const KNOWN_SOURCES = new Set(['gps', 'wifi', 'cell', 'none']);

/** "GPS", "Wi-Fi", "Cell towers"... in the guardian's language. */
export function useSourceLabel(): (source: string) => string {
  const { t } = useTranslation('alerts');
  return (source) =>
    KNOWN_SOURCES.has(source) ? t(`source.${source}`) : t('source.other', { source });
}

/** Where the watch was when it raised an alert: source, accuracy, coordinates, a map link. */
export function AlertPlace({
  watchId,
  location,
  children,
}: {
  readonly watchId: string;
  readonly location: Alert['location'];
  /** Shown after the source and accuracy (the age of the fix). */
  readonly children?: ReactNode;
}) {
  const { t } = useTranslation('alerts');
  const sourceLabel = useSourceLabel();
  if (location === null) {
    return <span className="muted">{t('where.unknown')}</span>;
  }
  const locale = currentLocale();
  const source = sourceLabel(location.source);
  return (
    <span className="alert-place">
      <span>
        {location.accuracyMeters === null
          ? t('where.fixNoAccuracy', { source })
          : t('where.fix', { source, accuracy: formatAccuracy(location.accuracyMeters, locale) })}
        {children}
      </span>{' '}
      <span className="muted alert-place__coordinates">
        {formatCoordinates(location.latitude, location.longitude)}
      </span>{' '}
      <Link to={watchPath(watchId)}>{t('where.showOnMap')}</Link>
    </span>
  );
}
