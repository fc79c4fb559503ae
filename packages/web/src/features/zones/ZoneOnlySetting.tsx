import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useResource } from '../../app/use-resource.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Banner, ErrorState, useErrorMessage } from '../../ui/states.tsx';

/**
 * Zone-only mode: the watch's arrivals and departures are kept, its trail is not. The
 * explanation is always visible, because the switch changes what every guardian can see.
 */
export function ZoneOnlySetting({
  watchId,
  childName,
}: {
  readonly watchId: string;
  readonly childName: string;
}) {
  const { t } = useTranslation('zones');
  const errorMessage = useErrorMessage();
  const id = useId();
  const setting = useResource(
    async (signal) =>
      (await api.get('/api/v1/watches/{watchId}/zone-only', { path: { watchId }, signal }))
        .isZoneOnly,
    [watchId],
  );
  // The switch shows the asked-for state while the server stores it, and flips back on failure.
  const [pending, setPending] = useState<boolean | null>(null);
  const isSaving = pending !== null;
  const [saveError, setSaveError] = useState<unknown>(null);
  const { setData } = setting;

  const change = async (isZoneOnly: boolean) => {
    setPending(isZoneOnly);
    setSaveError(null);
    try {
      const saved = await api.put('/api/v1/watches/{watchId}/zone-only', {
        path: { watchId },
        body: { isZoneOnly },
      });
      setData(() => saved.isZoneOnly);
    } catch (error) {
      setSaveError(error);
    } finally {
      setPending(null);
    }
  };

  return (
    <section className="zones__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('zoneOnly.title')}</h2>
      {setting.data === undefined ? (
        setting.status === 'error' ? (
          <ErrorState error={setting.error} onRetry={setting.reload} />
        ) : (
          <div className="skeleton" aria-hidden="true" />
        )
      ) : (
        <>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={pending ?? setting.data}
              disabled={isSaving}
              aria-describedby={`${id}-explain`}
              onChange={(event) => void change(event.target.checked)}
            />
            <span>{t('zoneOnly.label')}</span>
            {setting.data ? (
              <Badge tone="info" icon="🔒">
                {t('zoneOnly.on')}
              </Badge>
            ) : (
              <Badge>{t('zoneOnly.off')}</Badge>
            )}
            {isSaving ? <span className="spinner" aria-hidden="true" /> : null}
          </label>
          <p id={`${id}-explain`} className="muted small">
            {t('zoneOnly.explain', { child: childName })}
          </p>
        </>
      )}
      {saveError !== null ? <Banner tone="error">{errorMessage(saveError)}</Banner> : null}
    </section>
  );
}
