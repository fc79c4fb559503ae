import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { NotificationSettings } from '../../api/types.ts';
import { useResource } from '../../app/use-resource.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Banner, ErrorState, LoadingState } from '../../ui/states.tsx';
import { useFeatureErrorMessage } from '../auth/error-message.ts';
import { EmailSettings } from './EmailSettings.tsx';
import { PushSection } from './PushSection.tsx';

type Kind = keyof NotificationSettings['preferences'];
type Channel = 'push' | 'email';

/** Most urgent first; SOS leads and cannot be switched off. */
const KINDS: readonly Kind[] = [
  'sos',
  'fall',
  'removed',
  'expectationMissed',
  'zoneLeave',
  'zoneEnter',
  'lowBattery',
  'offline',
  'heartRateAbnormal',
];

function ChannelBox({
  kind,
  channel,
  settings,
  isBusy,
  onToggle,
}: {
  readonly kind: Kind;
  readonly channel: Channel;
  readonly settings: NotificationSettings;
  readonly isBusy: boolean;
  readonly onToggle: (isOn: boolean) => void;
}) {
  const { t } = useTranslation('account');
  const isSos = kind === 'sos';
  const isAvailable =
    channel === 'push'
      ? settings.available.push
      : settings.available.email && settings.email !== null;
  const isOn = isSos ? isAvailable : settings.preferences[kind][channel];
  return (
    <label className="account-channel">
      <input
        type="checkbox"
        checked={isOn}
        disabled={isSos || !isAvailable || isBusy}
        aria-label={t('notifications.channelFor', {
          kind: t(`alertKinds.${kind}`),
          channel: t(`notifications.${channel}`),
        })}
        onChange={(event) => {
          onToggle(event.target.checked);
        }}
      />
      <span aria-hidden="true">{t(`notifications.${channel}`)}</span>
    </label>
  );
}

/** Which alerts reach this guardian how, besides the live stream every guardian always gets. */
export function NotificationsSection() {
  const { t } = useTranslation('account');
  const message = useFeatureErrorMessage('account');
  const resource = useResource(
    (signal) =>
      api.get('/api/v1/me/notification-preferences', { signal }).then((result) => result.settings),
    [],
  );
  const [busyKind, setBusyKind] = useState<Kind | null>(null);
  const [error, setError] = useState<string | null>(null);
  const replace = (settings: NotificationSettings) => {
    resource.setData(() => settings);
  };

  const toggle = async (kind: Kind, channel: Channel, isOn: boolean) => {
    const settings = resource.data;
    if (settings === undefined) return;
    setBusyKind(kind);
    setError(null);
    try {
      const choice = { ...settings.preferences[kind], [channel]: isOn };
      const result = await api.put('/api/v1/me/notification-preferences', {
        body: { preferences: { [kind]: choice } },
      });
      replace(result.settings);
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusyKind(null);
    }
  };

  const settings = resource.data;
  return (
    <section className="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">{t('notifications.title')}</h2>
      <p className="small muted">{t('notifications.explain')}</p>
      {settings === undefined ? (
        resource.status === 'error' ? (
          <ErrorState error={resource.error} onRetry={resource.reload} />
        ) : (
          <LoadingState rows={3} label={t('notifications.loading')} />
        )
      ) : (
        <>
          <PushSection settings={settings} onChanged={resource.reload} />
          <EmailSettings settings={settings} onChanged={replace} />
          <h3 className="account-subtitle">{t('notifications.perKind')}</h3>
          {error === null ? null : <Banner tone="error">{error}</Banner>}
          <ul className="list account-kinds">
            {KINDS.map((kind) => (
              <li key={kind} className="account-kind">
                <div className="account-kind__name">
                  <span>{t(`alertKinds.${kind}`)}</span>
                  {kind === 'sos' ? (
                    <Badge tone="danger" icon="🔒">
                      {t('notifications.sosAlways')}
                    </Badge>
                  ) : null}
                </div>
                <div className="account-kind__channels">
                  {(['push', 'email'] as const).map((channel) => (
                    <ChannelBox
                      key={channel}
                      kind={kind}
                      channel={channel}
                      settings={settings}
                      isBusy={busyKind === kind}
                      onToggle={(isOn) => void toggle(kind, channel, isOn)}
                    />
                  ))}
                </div>
              </li>
            ))}
          </ul>
          <p className="small muted account-note">{t('notifications.sosExplain')}</p>
          {settings.available.email && settings.email === null ? (
            <p className="small muted">{t('notifications.emailNeedsAddress')}</p>
          ) : null}
        </>
      )}
    </section>
  );
}
