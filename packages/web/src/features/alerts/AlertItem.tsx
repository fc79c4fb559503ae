import { useTranslation } from 'react-i18next';
import type { Alert } from '../../api/types.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { RelativeTime } from '../../ui/RelativeTime.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';
import { AlertPlace } from './AlertPlace.tsx';
import { alertSentence } from './alert-text.ts';

export interface AlertItemProps {
  readonly alert: Alert;
  readonly childName: string;
  /** Who acknowledged it, as this guardian reads it ("you", a nickname, a number). */
  readonly acknowledgedByName: string | undefined;
  readonly isAcknowledging: boolean;
  readonly note: string | undefined;
  readonly error: string | undefined;
  readonly onAcknowledge: () => void;
}

function useTimeOfDay(): (iso: string) => string {
  useTranslation();
  return (iso) =>
    new Intl.DateTimeFormat(currentLocale(), { timeStyle: 'short' }).format(new Date(iso));
}

/** One alert: what, when, where, and whether someone is on it. */
export function AlertItem({
  alert,
  childName,
  acknowledgedByName,
  isAcknowledging,
  note,
  error,
  onAcknowledge,
}: AlertItemProps) {
  const { t } = useTranslation('alerts');
  const timeOfDay = useTimeOfDay();
  const sentence = alertSentence(alert, childName, timeOfDay);
  const what = t(sentence.key, sentence.values);
  const isOpen = alert.acknowledgedAt === null;
  const headingId = `alert-${alert.watchId}-${alert.id}`;
  const locale = currentLocale();
  return (
    <li
      className={`alert-item alert-item--${sentence.tone} ${isOpen ? 'alert-item--open' : ''}`}
      aria-labelledby={headingId}
      data-alert-id={alert.id}
    >
      <div className="alert-item__icon" aria-hidden="true">
        {sentence.icon}
      </div>
      <div className="alert-item__body">
        <h2 className="alert-item__what" id={headingId}>
          {what}
        </h2>
        <dl className="alert-item__facts small">
          <dt className="visually-hidden">{t('when.label')}</dt>
          <dd>
            <RelativeTime at={alert.raisedAt} />
            <span className="muted"> · {formatDateTime(alert.raisedAt, locale)}</span>
          </dd>
          <dt className="visually-hidden">{t('where.label')}</dt>
          <dd>
            <AlertPlace watchId={alert.watchId} location={alert.location} />
          </dd>
        </dl>
        <div className="alert-item__state row">
          {isOpen ? (
            <>
              <Badge tone="danger" icon="●">
                {t('state.open')}
              </Badge>
              <span className="spacer" />
              <Button
                variant={sentence.tone === 'danger' ? 'danger' : 'primary'}
                size="small"
                busy={isAcknowledging}
                onClick={onAcknowledge}
                aria-label={t('acknowledgeLabel', { what })}
              >
                {t('acknowledge')}
              </Button>
            </>
          ) : (
            <Badge tone="ok" icon="✓">
              {t('state.acknowledgedBy', { name: acknowledgedByName ?? t('state.someone') })}
              {alert.acknowledgedAt === null ? null : (
                <>
                  {' · '}
                  <RelativeTime at={alert.acknowledgedAt} />
                </>
              )}
            </Badge>
          )}
        </div>
        {note === undefined ? null : (
          <p className="small alert-item__note" role="status">
            {note}
          </p>
        )}
        {error === undefined ? null : (
          <p className="small field__error" role="alert">
            {error}
          </p>
        )}
      </div>
    </li>
  );
}
