import { ApiError, api } from '../../api/client.ts';
import { useResource } from '../../app/use-resource.ts';
import type { Fix } from './fix.ts';

/** The latest live fix the server holds for a watch; null when the watch was never placed. */
export interface LatestFix {
  readonly fix: Fix | null;
  /** The server's judgement when it answered. */
  readonly isStale: boolean;
  readonly staleAfterSeconds: number | null;
}

export async function loadLatestFix(watchId: string, signal: AbortSignal): Promise<LatestFix> {
  try {
    const answer = await api.get('/api/v1/watches/{watchId}/location', {
      path: { watchId },
      signal,
    });
    return {
      fix: answer.position,
      isStale: answer.isStale,
      staleAfterSeconds: answer.staleAfterSeconds,
    };
  } catch (error) {
    if (error instanceof ApiError && error.code === 'noPosition') {
      return { fix: null, isStale: false, staleAfterSeconds: null };
    }
    throw error;
  }
}

/** GET /api/v1/watches/{watchId}/location, with "no fix yet" as data rather than an error. */
export function useLatestFix(watchId: string) {
  return useResource((signal) => loadLatestFix(watchId, signal), [watchId]);
}
