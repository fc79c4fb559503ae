import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Guardian } from '../../api/types.ts';

/** A guardian as named to the others: the nickname, else the phone number. */
export function guardianLabel(guardian: Pick<Guardian, 'nickname' | 'phone'>): string {
  const nickname = guardian.nickname?.trim();
  return nickname === undefined || nickname === '' ? guardian.phone : nickname;
}

/**
 * The names of the guardians of some watches, to say who acknowledged an alert. Each watch's
 * guardians are read once; an account not among them (a guardian added since) reads them again.
 * `nameOf` returns undefined while the name is not known.
 */
export function useGuardianNames(watchIds: readonly string[]): {
  readonly nameOf: (watchId: string, accountId: string) => string | undefined;
} {
  const [byWatch, setByWatch] = useState<ReadonlyMap<string, readonly Guardian[]>>(new Map());
  const requested = useRef(new Set<string>());
  const load = useCallback((watchId: string) => {
    api.get('/api/v1/watches/{watchId}/guardians', { path: { watchId } }).then(
      ({ guardians }) => {
        setByWatch((previous) => new Map(previous).set(watchId, guardians));
      },
      () => {
        // The names are a nicety: "another guardian" stands in until a later read works.
      },
    );
  }, []);
  const key = watchIds.join(',');
  useEffect(() => {
    for (const watchId of key === '' ? [] : key.split(',')) {
      if (requested.current.has(watchId)) continue;
      requested.current.add(watchId);
      load(watchId);
    }
  }, [key, load]);
  const nameOf = useCallback(
    (watchId: string, accountId: string) => {
      const guardians = byWatch.get(watchId);
      const guardian = guardians?.find((item) => item.accountId === accountId);
      if (guardian !== undefined) return guardianLabel(guardian);
      const retryKey = `${watchId}/${accountId}`;
      if (guardians !== undefined && !requested.current.has(retryKey)) {
        requested.current.add(retryKey);
        queueMicrotask(() => {
          load(watchId);
        });
      }
      return undefined;
    },
    [byWatch, load],
  );
  return { nameOf };
}
