import { useMemo } from 'react';
import { api, ApiError } from '../../api/client.ts';
import type { PositionSource } from '../../api/types.ts';
import { useClientConfig } from '../../app/client-config.tsx';
import { useResource } from '../../app/use-resource.ts';
import { useWatches } from '../../app/watches.tsx';
import { isStale } from '../../map/position-display.ts';

/** The child's newest placed fix, as the zones screen shows it for context. */
export interface ChildFix {
  readonly latitude: number;
  readonly longitude: number;
  readonly accuracyMeters: number | null;
  readonly source: PositionSource;
  readonly recordedAt: string;
  readonly isStale: boolean;
}

interface Fix {
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly accuracyMeters: number | null;
  readonly source: PositionSource;
  readonly recordedAt: string;
}

/**
 * The newer of the server's latest position and the live stream's, or null before the watch
 * was ever placed. `error` is set when the latest position could not be read (not for
 * `noPosition`, which is simply "no fix yet").
 */
export function useChildPosition(
  watchId: string,
  nowMs: number,
): { fix: ChildFix | null; isLoading: boolean; error: unknown; reload: () => void } {
  const { locationStaleAfterSeconds } = useClientConfig();
  const { find } = useWatches();
  const live = find(watchId)?.livePosition;
  const latest = useResource<Fix | null>(
    async (signal) => {
      try {
        return (await api.get('/api/v1/watches/{watchId}/location', { path: { watchId }, signal }))
          .position;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'noPosition') return null;
        throw error;
      }
    },
    [watchId],
  );
  const stored = latest.data ?? null;
  const fix = useMemo(() => {
    const candidates = [stored, live ?? null].filter(
      (f): f is Fix => f !== null && f.latitude !== null && f.longitude !== null,
    );
    candidates.sort((a, b) => Date.parse(b.recordedAt) - Date.parse(a.recordedAt));
    return candidates[0] ?? null;
  }, [stored, live]);
  const stale = fix !== null && isStale(fix.recordedAt, nowMs, locationStaleAfterSeconds);
  const result = useMemo<ChildFix | null>(
    () =>
      fix === null || fix.latitude === null || fix.longitude === null
        ? null
        : {
            latitude: fix.latitude,
            longitude: fix.longitude,
            accuracyMeters: fix.accuracyMeters,
            source: fix.source,
            recordedAt: fix.recordedAt,
            isStale: stale,
          },
    [fix, stale],
  );
  return {
    fix: result,
    isLoading: latest.status === 'loading' && latest.data === undefined,
    error: latest.status === 'error' ? latest.error : null,
    reload: latest.reload,
  };
}
