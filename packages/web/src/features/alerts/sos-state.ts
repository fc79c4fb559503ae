import type { AlertMessage } from '../../api/stream-messages.ts';
import type { Alert } from '../../api/types.ts';

/** An alert as the stream and the list carry it, with the watch it belongs to. */
export type WatchAlert = Omit<Alert, 'watchId'> & { readonly watchId: string };

/** An SOS that has taken over the screen, or just closed. */
export interface ActiveSos {
  readonly watchId: string;
  readonly alert: WatchAlert;
}

export interface SosState {
  /** Unacknowledged SOS alerts, newest first: the first one is shown. */
  readonly active: readonly ActiveSos[];
  /** The SOS acknowledged last while it was shown, to say by whom before the takeover closes. */
  readonly closing: ActiveSos | null;
  /** `watchId:alertId` of every SOS known to be acknowledged: a late repeat never reopens one. */
  readonly acknowledged: ReadonlySet<string>;
}

export type SosAction =
  /** A live-stream `alert` message (replayed ones included). */
  | { readonly type: 'message'; readonly message: AlertMessage }
  /** A watch's alerts as read from the server, at `nowMs`. */
  | {
      readonly type: 'loaded';
      readonly watchId: string;
      readonly alerts: readonly Alert[];
      readonly nowMs: number;
    }
  /** The server's answer to this guardian's acknowledgement. */
  | { readonly type: 'acknowledged'; readonly alert: WatchAlert }
  /** The "acknowledged by" notice has been shown long enough. */
  | { readonly type: 'dismiss' };

/** The server repeats an SOS for an hour; an older open one no longer takes over on start. */
export const SOS_TAKEOVER_WINDOW_MS = 60 * 60 * 1000;

export const INITIAL_SOS_STATE: SosState = {
  active: [],
  closing: null,
  acknowledged: new Set(),
};

function keyOf(watchId: string, alertId: number): string {
  return `${watchId}:${alertId}`;
}

function newestFirst(a: ActiveSos, b: ActiveSos): number {
  const byTime = Date.parse(b.alert.raisedAt) - Date.parse(a.alert.raisedAt);
  return byTime === 0 ? b.alert.id - a.alert.id : byTime;
}

function withOpen(state: SosState, sos: ActiveSos): SosState {
  const key = keyOf(sos.watchId, sos.alert.id);
  if (state.acknowledged.has(key)) return state;
  const rest = state.active.filter((item) => keyOf(item.watchId, item.alert.id) !== key);
  return { ...state, active: [...rest, sos].sort(newestFirst) };
}

function withAcknowledged(state: SosState, sos: ActiveSos): SosState {
  const key = keyOf(sos.watchId, sos.alert.id);
  const wasShown = state.active.some((item) => keyOf(item.watchId, item.alert.id) === key);
  const acknowledged = new Set(state.acknowledged);
  acknowledged.add(key);
  return {
    active: state.active.filter((item) => keyOf(item.watchId, item.alert.id) !== key),
    closing: wasShown ? sos : state.closing,
    acknowledged,
  };
}

function isSos(alert: Pick<Alert, 'kind'>): boolean {
  return alert.kind === 'sos';
}

/**
 * Which SOS alerts take over the screen. An SOS opens when it is raised or repeated and not
 * acknowledged, and when it is found open (raised within the last hour) in a watch's alert list;
 * it closes for good when anyone acknowledges it, whatever order the messages arrive in.
 */
export function sosReducer(state: SosState, action: SosAction): SosState {
  switch (action.type) {
    case 'message': {
      const { message } = action;
      if (!isSos(message.alert)) return state;
      const sos: ActiveSos = {
        watchId: message.watchId,
        alert: { ...message.alert, watchId: message.watchId },
      };
      if (message.change === 'acknowledged' || message.alert.acknowledgedAt !== null) {
        return withAcknowledged(state, sos);
      }
      return withOpen(state, sos);
    }
    case 'loaded': {
      let next = state;
      for (const alert of action.alerts) {
        if (!isSos(alert)) continue;
        const sos: ActiveSos = { watchId: action.watchId, alert: { ...alert } };
        if (alert.acknowledgedAt !== null) next = withAcknowledged(next, sos);
        else if (action.nowMs - Date.parse(alert.raisedAt) <= SOS_TAKEOVER_WINDOW_MS) {
          next = withOpen(next, sos);
        }
      }
      return next;
    }
    case 'acknowledged':
      return withAcknowledged(state, { watchId: action.alert.watchId, alert: action.alert });
    case 'dismiss':
      return state.closing === null ? state : { ...state, closing: null };
  }
}
