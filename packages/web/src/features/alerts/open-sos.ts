import { api } from '../../api/client.ts';
import type { Alert } from '../../api/types.ts';
import { SOS_TAKEOVER_WINDOW_MS } from './sos-state.ts';

const PAGE_SIZE = 50;
const MAX_PAGES = 5;

/**
 * A watch's alerts back to an hour ago (newest first): enough to find every SOS that may still
 * be open, even behind a burst of zone alerts. Stops after a few pages.
 */
export async function recentAlerts(
  watchId: string,
  nowMs: number,
  signal?: AbortSignal,
): Promise<Alert[]> {
  const found: Alert[] = [];
  let before: number | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { alerts } = await api.get('/api/v1/watches/{watchId}/alerts', {
      path: { watchId },
      query: { limit: PAGE_SIZE, ...(before === undefined ? {} : { before }) },
      ...(signal === undefined ? {} : { signal }),
    });
    found.push(...alerts);
    const oldest = alerts[alerts.length - 1];
    if (alerts.length < PAGE_SIZE || oldest === undefined) break;
    if (nowMs - Date.parse(oldest.raisedAt) > SOS_TAKEOVER_WINDOW_MS) break;
    before = oldest.id;
  }
  return found;
}
