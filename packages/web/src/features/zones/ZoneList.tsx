import { useTranslation } from 'react-i18next';
import type { Zone, ZoneEvent } from '../../api/types.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { RelativeTime } from '../../ui/RelativeTime.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states.tsx';
import type { Resource } from '../../app/use-resource.ts';
import { useExpectationSummary } from './ExpectationRows.tsx';
import { draftFromZone } from './zone-draft.ts';

/** "150 m" or "1.2 km", in the app's language. */
export function formatMeters(meters: number, locale: string): string {
  return meters >= 1_000
    ? new Intl.NumberFormat(locale, {
        style: 'unit',
        unit: 'kilometer',
        maximumFractionDigits: 1,
      }).format(meters / 1_000)
    : new Intl.NumberFormat(locale, { style: 'unit', unit: 'meter' }).format(meters);
}

function ZoneItem({
  zone,
  onEdit,
}: {
  readonly zone: Zone;
  readonly onEdit: (zone: Zone) => void;
}) {
  const { t } = useTranslation('zones');
  const summary = useExpectationSummary();
  const { expectations } = draftFromZone(zone);
  const shape =
    zone.shape.kind === 'circle'
      ? t('list.circle', { radius: formatMeters(zone.shape.radiusMeters, currentLocale()) })
      : t('list.polygon', { count: zone.shape.vertices.length });
  return (
    <li>
      <button
        type="button"
        className="list__link zones__item"
        onClick={() => {
          onEdit(zone);
        }}
        aria-label={t('list.edit', { name: zone.name })}
      >
        <span className="zones__item-icon" aria-hidden="true">
          {zone.shape.kind === 'circle' ? '◯' : '⬠'}
        </span>
        <span className="zones__item-body">
          <span className="zones__item-name">{zone.name}</span>
          <span className="muted small">{shape}</span>
          {expectations.length === 0 ? (
            <span className="muted small">{t('list.noSchedule')}</span>
          ) : (
            expectations.map((expectation, index) => (
              <span key={index} className="small">
                <span aria-hidden="true">⏰ </span>
                {summary(expectation)}
              </span>
            ))
          )}
        </span>
        <span aria-hidden="true" className="muted">
          ›
        </span>
      </button>
    </li>
  );
}

export function ZoneList({
  zones,
  onEdit,
  onNewCircle,
}: {
  readonly zones: Resource<readonly Zone[]> & { reload: () => void };
  readonly onEdit: (zone: Zone) => void;
  readonly onNewCircle: () => void;
}) {
  const { t } = useTranslation('zones');
  if (zones.data === undefined) {
    return zones.status === 'error' ? (
      <ErrorState error={zones.error} onRetry={zones.reload} />
    ) : (
      <LoadingState rows={2} label={t('list.loading')} />
    );
  }
  return (
    <section className="zones__section" aria-labelledby="zones-list-title">
      <h2 id="zones-list-title">{t('list.title')}</h2>
      {zones.status === 'error' ? <ErrorState error={zones.error} onRetry={zones.reload} /> : null}
      {zones.data.length === 0 ? (
        <EmptyState
          icon="🏫"
          title={t('list.emptyTitle')}
          action={
            <Button variant="primary" onClick={onNewCircle}>
              {t('actions.newCircle')}
            </Button>
          }
        >
          {t('list.emptyBody')}
        </EmptyState>
      ) : (
        <ul className="list" aria-labelledby="zones-list-title">
          {zones.data.map((zone) => (
            <ZoneItem key={zone.id} zone={zone} onEdit={onEdit} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Arrivals and departures of the last days, newest first; live alerts reload it. */
export function ZoneEvents({
  events,
  zones,
  childName,
}: {
  readonly events: Resource<readonly ZoneEvent[]> & { reload: () => void };
  readonly zones: readonly Zone[];
  readonly childName: string;
}) {
  const { t } = useTranslation('zones');
  const names = new Map(zones.map((zone) => [zone.id, zone.name]));
  let body;
  if (events.data === undefined) {
    body =
      events.status === 'error' ? (
        <ErrorState error={events.error} onRetry={events.reload} />
      ) : (
        <LoadingState rows={2} label={t('events.loading')} />
      );
  } else if (events.data.length === 0) {
    body = <p className="muted small">{t('events.empty', { child: childName })}</p>;
  } else {
    body = (
      <>
        {events.status === 'error' ? (
          <ErrorState error={events.error} onRetry={events.reload} />
        ) : null}
        <ul className="list zones__events" aria-labelledby="zones-events-title">
          {events.data.map((event) => {
            const name = names.get(event.zoneId) ?? t('events.unknownZone');
            const isEnter = event.kind === 'enter';
            return (
              <li key={event.id} className="row" data-testid="zone-event" data-kind={event.kind}>
                <span aria-hidden="true" className={isEnter ? 'zones__enter' : 'zones__leave'}>
                  {isEnter ? '↘' : '↗'}
                </span>
                <span className="zones__event-text">
                  {isEnter ? t('events.enter', { name }) : t('events.leave', { name })}
                </span>
                <span className="spacer" />
                {event.isBuffered ? <Badge tone="info">{t('events.buffered')}</Badge> : null}
                <span className="muted small">
                  <RelativeTime at={event.at} />
                </span>
              </li>
            );
          })}
        </ul>
      </>
    );
  }
  return (
    <section className="zones__section" aria-labelledby="zones-events-title">
      <div className="zones__section-head">
        <h2 id="zones-events-title">{t('events.title')}</h2>
        <Button
          variant="ghost"
          size="small"
          onClick={events.reload}
          busy={events.status === 'loading'}
        >
          {t('events.refresh')}
        </Button>
      </div>
      <p className="muted small">{t('events.range')}</p>
      {body}
    </section>
  );
}
