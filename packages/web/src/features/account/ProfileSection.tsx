import { useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Account } from '../../api/types.ts';
import { useAccount, useSession } from '../../app/session.tsx';
import { Button } from '../../ui/Button.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { Banner } from '../../ui/states.tsx';
import { useFeatureErrorMessage } from '../auth/error-message.ts';

/** The server takes avatars up to 2 MiB; checked here too so a big photo fails at once. */
const MAX_AVATAR_BYTES = 2 * 1024 * 1024;
const AVATAR_TYPES = 'image/png,image/jpeg,image/webp';

type Status = { readonly tone: 'ok' | 'error'; readonly text: string } | null;

function Avatar({ account, version }: { readonly account: Account; readonly version: number }) {
  const initial = (account.nickname ?? account.phone).replace(/^\+/, '').charAt(0).toUpperCase();
  if (!account.hasAvatar) {
    return (
      <span className="avatar account-avatar" aria-hidden="true">
        {initial}
      </span>
    );
  }
  // The URL stays the same when the picture changes: the version makes the browser fetch anew.
  return (
    <img
      className="avatar account-avatar"
      src={`${api.url('/api/v1/me/avatar')}?v=${version}`}
      alt=""
      width="80"
      height="80"
    />
  );
}

/** Nickname and avatar: what the other guardians of a watch see of this guardian. */
export function ProfileSection() {
  const { t } = useTranslation('account');
  const account = useAccount();
  const { signedIn } = useSession();
  const message = useFeatureErrorMessage('account');
  const fileInput = useRef<HTMLInputElement>(null);
  const [nickname, setNickname] = useState(account.nickname ?? '');
  const [avatarVersion, setAvatarVersion] = useState(() => Date.now());
  const [busy, setBusy] = useState<'nickname' | 'avatar' | 'removeAvatar' | null>(null);
  const [nicknameStatus, setNicknameStatus] = useState<Status>(null);
  const [avatarStatus, setAvatarStatus] = useState<Status>(null);

  const saveNickname = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy('nickname');
    setNicknameStatus(null);
    try {
      const trimmed = nickname.trim();
      const result = await api.patch('/api/v1/me', {
        body: { nickname: trimmed === '' ? null : trimmed },
      });
      signedIn(result.account);
      setNickname(result.account.nickname ?? '');
      setNicknameStatus({ tone: 'ok', text: t('profile.nicknameSaved') });
    } catch (error) {
      setNicknameStatus({ tone: 'error', text: message(error) });
    } finally {
      setBusy(null);
    }
  };

  const uploadAvatar = async (file: File) => {
    setAvatarStatus(null);
    if (file.size > MAX_AVATAR_BYTES) {
      setAvatarStatus({ tone: 'error', text: t('profile.avatarTooLarge') });
      return;
    }
    setBusy('avatar');
    try {
      const result = (await api.upload('PUT', '/api/v1/me/avatar', file)) as { account: Account };
      signedIn(result.account);
      setAvatarVersion(Date.now());
      setAvatarStatus({ tone: 'ok', text: t('profile.avatarSaved') });
    } catch (error) {
      setAvatarStatus({ tone: 'error', text: message(error, 'avatar') });
    } finally {
      setBusy(null);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const removeAvatar = async () => {
    setBusy('removeAvatar');
    setAvatarStatus(null);
    try {
      const result = await api.delete('/api/v1/me/avatar');
      signedIn(result.account);
      setAvatarStatus({ tone: 'ok', text: t('profile.avatarRemoved') });
    } catch (error) {
      setAvatarStatus({ tone: 'error', text: message(error) });
    } finally {
      setBusy(null);
    }
  };

  const isNicknameChanged = nickname.trim() !== (account.nickname ?? '');

  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('profile.title')}</h2>
      <div className="account-profile">
        <Avatar account={account} version={avatarVersion} />
        <div className="stack account-profile__actions">
          <div className="btn-row">
            <input
              ref={fileInput}
              id="avatar-file"
              className="visually-hidden"
              type="file"
              tabIndex={-1}
              aria-label={t('profile.addAvatar')}
              accept={AVATAR_TYPES}
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void uploadAvatar(file);
              }}
            />
            <Button
              size="small"
              busy={busy === 'avatar'}
              onClick={() => fileInput.current?.click()}
            >
              {account.hasAvatar ? t('profile.changeAvatar') : t('profile.addAvatar')}
            </Button>
            {account.hasAvatar ? (
              <Button
                size="small"
                variant="ghost"
                busy={busy === 'removeAvatar'}
                onClick={() => void removeAvatar()}
              >
                {t('profile.removeAvatar')}
              </Button>
            ) : null}
          </div>
          <p className="small muted">{t('profile.avatarHint')}</p>
        </div>
      </div>
      {avatarStatus ? <Banner tone={avatarStatus.tone}>{avatarStatus.text}</Banner> : null}

      <form onSubmit={(event) => void saveNickname(event)} noValidate>
        <TextField
          label={t('profile.nickname')}
          hint={t('profile.nicknameHint')}
          name="nickname"
          autoComplete="nickname"
          maxLength={40}
          value={nickname}
          error={nicknameStatus?.tone === 'error' ? nicknameStatus.text : undefined}
          onChange={(event) => {
            setNickname(event.target.value);
            setNicknameStatus(null);
          }}
        />
        <div className="btn-row">
          <Button
            type="submit"
            variant="primary"
            busy={busy === 'nickname'}
            disabled={!isNicknameChanged}
          >
            {t('profile.saveNickname')}
          </Button>
          {nicknameStatus?.tone === 'ok' ? (
            <span className="account-saved" role="status">
              <span aria-hidden="true">✓ </span>
              {nicknameStatus.text}
            </span>
          ) : null}
        </div>
      </form>

      {account.isDemo ? null : (
        <dl className="account-facts">
          <dt>{t('profile.phone')}</dt>
          <dd>
            <span dir="ltr">{account.phone}</span>
            <span className="small muted"> · {t('profile.phoneHint')}</span>
          </dd>
        </dl>
      )}
    </section>
  );
}
