import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Guardian } from '../../api/types.ts';
import { initialOfGuardian } from './family-model.ts';

/**
 * A fellow guardian's picture, or their initial when they have none (the guardian record does
 * not say, so the image is tried and the initial shown when the server has no avatar).
 */
export function GuardianAvatar({
  watchId,
  guardian,
}: {
  readonly watchId: string;
  readonly guardian: Guardian;
}) {
  const [hasNoImage, setHasNoImage] = useState(false);
  if (hasNoImage) {
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
