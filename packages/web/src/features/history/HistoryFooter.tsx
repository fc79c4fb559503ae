import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import { watchPath } from '../../app/routes.ts';
import type { TimeRange } from './history-range.ts';

const FORMATS = [
  { format: 'gpx', label: 'GPX' },
  { format: 'geojson', label: 'GeoJSON' },
] as const;

/**
 * The range's files (GPX, GeoJSON) and the reminder that viewing and exporting are in the
 * activity log every guardian reads. `children` adds the screen's own actions.
 */
export function HistoryFooter({
  watchId,
  range,
  children,
  canExport = true,
}: {
  readonly watchId: string;
  readonly range: TimeRange;
  readonly children?: ReactNode;
  readonly canExport?: boolean;
}) {
  const { t } = useTranslation('history');
  const from = new Date(range.fromMs).toISOString();
  const to = new Date(range.toMs).toISOString();
  return (
    <footer className="history__footer">
      <div className="btn-row">
        {children}
        {canExport
          ? FORMATS.map(({ format, label }) => (
              <a
                key={format}
                className="btn btn--small"
                href={api.url('/api/v1/watches/{watchId}/positions/export', {
                  path: { watchId },
                  query: { from, to, format },
                })}
                download
                aria-label={t('export.label', { format: label })}
              >
                <span aria-hidden="true">⤓</span>
                {label}
              </a>
            ))
          : null}
      </div>
      <p className="small muted history__note">
        {t('recordedNote')} <Link to={watchPath(watchId, 'activity')}>{t('recordedLink')}</Link>
      </p>
    </footer>
  );
}
