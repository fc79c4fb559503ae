import { useId, useState, type ChangeEvent, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import type { Watch } from '../../api/types.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import { initialOf } from '../../map/position-display.ts';
import { Button } from '../../ui/Button.tsx';
import { Banner } from '../../ui/states.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { useFamilyError } from './use-family-error.ts';

const AVATAR_TYPES = 'image/png,image/jpeg,image/webp';

function formatBirthDate(date: string): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** The child's profile, which every guardian of the watch may change. */
export function ChildProfileCard({
  watch,
  onChanged,
}: {
  readonly watch: Watch;
  readonly onChanged: () => void;
}) {
  const { t } = useTranslation('family');
  const { t: tc } = useTranslation();
  const message = useFamilyError();
  const fileId = useId();
  const child = watch.child;
  const [isEditing, setIsEditing] = useState(false);
  const [name, setName] = useState(child?.name ?? '');
  const [birthDate, setBirthDate] = useState(child?.birthDate ?? '');
  const [watchPhone, setWatchPhone] = useState(child?.watchPhone ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isUploading, setIsUploading] = useState(false);
  const [avatarVersion, setAvatarVersion] = useState(0);

  const startEditing = () => {
    setName(child?.name ?? '');
    setBirthDate(child?.birthDate ?? '');
    setWatchPhone(child?.watchPhone ?? '');
    setErrors({});
    setError(null);
    setIsEditing(true);
  };

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (name.trim() === '') {
      setErrors({ childName: t('child.nameRequired') });
      return;
    }
    setIsBusy(true);
    setErrors({});
    setError(null);
    try {
      await api.put('/api/v1/watches/{watchId}/child', {
        path: { watchId: watch.id },
        body: {
          childName: name.trim(),
          birthDate: birthDate === '' ? null : birthDate,
          watchPhone: watchPhone.trim() === '' ? null : watchPhone.trim(),
        },
      });
      setIsEditing(false);
      onChanged();
    } catch (caught) {
      const code = caught instanceof ApiError ? caught.code : '';
      if (code === 'invalidBirthDate') setErrors({ birthDate: message(caught) });
      else if (code === 'invalidPhone') setErrors({ watchPhone: t('child.watchPhoneInvalid') });
      else setError(message(caught));
    } finally {
      setIsBusy(false);
    }
  };

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setIsUploading(true);
    setError(null);
    try {
      await api.upload('PUT', `/api/v1/watches/${encodeURIComponent(watch.id)}/child/avatar`, file);
      setAvatarVersion((value) => value + 1);
      onChanged();
    } catch (caught) {
      setError(message(caught));
    } finally {
      setIsUploading(false);
    }
  };

  const avatarUrl = `${api.url('/api/v1/watches/{watchId}/child/avatar', {
    path: { watchId: watch.id },
  })}?v=${avatarVersion}`;

  return (
    <section className="card" aria-labelledby="family-child-title">
      <h2 id="family-child-title">{t('child.title')}</h2>
      <div className="family-child">
        {child?.hasAvatar === true ? (
          <img className="avatar family-child__avatar" src={avatarUrl} alt={t('child.photoAlt')} />
        ) : (
          <span className="avatar family-child__avatar" aria-hidden="true">
            {initialOf(child?.name ?? watch.deviceId)}
          </span>
        )}
        <div className="family-child__facts">
          <dl className="family-facts">
            <dt>{t('child.name')}</dt>
            <dd>{child?.name ?? <span className="muted">{t('child.notSet')}</span>}</dd>
            <dt>{t('child.birthDate')}</dt>
            <dd>
              {child?.birthDate ? (
                formatBirthDate(child.birthDate)
              ) : (
                <span className="muted">{t('child.notSet')}</span>
              )}
            </dd>
            <dt>{t('child.watchPhone')}</dt>
            <dd>
              {child?.watchPhone ? (
                <a href={`tel:${child.watchPhone}`}>{child.watchPhone}</a>
              ) : (
                <span className="muted">{t('child.notSet')}</span>
              )}
            </dd>
            <dt>{t('child.watchId')}</dt>
            <dd className="family-mono">{watch.deviceId}</dd>
          </dl>
        </div>
      </div>
      {error ? <Banner tone="error">{error}</Banner> : null}
      {isEditing ? (
        <form onSubmit={(event) => void save(event)} noValidate className="family-child__form">
          <TextField
            label={t('child.name')}
            error={errors['childName']}
            required
            maxLength={40}
            value={name}
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
          <TextField
            label={t('child.birthDate')}
            hint={t('child.optional')}
            error={errors['birthDate']}
            type="date"
            value={birthDate}
            onChange={(event) => {
              setBirthDate(event.target.value);
            }}
          />
          <TextField
            label={t('child.watchPhone')}
            hint={t('child.watchPhoneHint')}
            error={errors['watchPhone']}
            type="tel"
            inputMode="tel"
            maxLength={32}
            value={watchPhone}
            onChange={(event) => {
              setWatchPhone(event.target.value);
            }}
          />
          <div className="btn-row">
            <Button type="submit" variant="primary" busy={isBusy}>
              {tc('action.save')}
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                setIsEditing(false);
              }}
            >
              {tc('action.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <div className="btn-row">
          <Button onClick={startEditing}>{t('child.edit')}</Button>
          {child === null ? null : (
            <>
              <input
                id={fileId}
                type="file"
                accept={AVATAR_TYPES}
                className="visually-hidden family-file"
                onChange={(event) => void upload(event)}
              />
              <label htmlFor={fileId} className="btn" aria-busy={isUploading || undefined}>
                {isUploading ? <span className="spinner" aria-hidden="true" /> : null}
                {child.hasAvatar ? t('child.changePhoto') : t('child.addPhoto')}
              </label>
            </>
          )}
        </div>
      )}
      <p className="small muted">{t('child.everyoneCanEdit')}</p>
    </section>
  );
}
