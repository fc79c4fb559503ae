import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Guardian } from '../../api/types.ts';
import { initialOfGuardian } from './family-model.ts';

/** A fellow guardian's picture, or their initial when they have none or it fails to load. */
export function GuardianAvatar({
  watchId,
  guardian,
}: {
  readonly watchId: string;
  readonly guardian: Guardian;
}) {
  const [hasNoImage, setHasNoImage] = useState(false);
  if (!guardian.hasAvatar || hasNoImage) {
    return (
      <span className="avatar" aria-hidden="true">
        {initialOfGuardian(guardian)}
      </span>
    );
  }
  return (
    <img
      className="avatar"
      alt=""
      loading="lazy"
      src={api.url('/api/v1/watches/{watchId}/guardians/{accountId}/avatar', {
        path: { watchId, accountId: guardian.accountId },
      })}
      onError={() => {
        setHasNoImage(true);
      }}
    />
  );
}
