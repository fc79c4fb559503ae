import type { AlarmReceivedMessage, AlertMessage } from '../../api/stream-messages.ts';
import type { Alert } from '../../api/types.ts';

/** An alert as the stream and the list carry it, with the watch it belongs to. */
export type WatchAlert = Omit<Alert, 'watchId'> & { readonly watchId: string };

/** An SOS that has taken over the screen, or just closed. */
export interface ActiveSos {
  readonly watchId: string;
  /** For a pending SOS, what the watch sent, with id 0: it has no id to acknowledge yet. */
  readonly alert: WatchAlert;
  /**
   * Read from the watch and announced before it was stored (`alarmReceived`): shown at once,
   * and replaced by the stored alert, with its id, a moment later.
   */
  readonly isPending?: boolean;
}

export interface SosState {
  /** Unacknowledged SOS alerts, newest first: the first one is shown. */
  readonly active: readonly ActiveSos[];
  /** The SOS acknowledged last while it was shown, to say by whom before the takeover closes. */
  readonly closing: ActiveSos | null;
  /**
   * `watchId:alertId` of every SOS known to be acknowledged, and `watchId@recordedAt` of its
   * alarm: a late repeat or announcement never reopens one.
   */
  readonly acknowledged: ReadonlySet<string>;
}

export type SosAction =
  /** A live-stream `alert` message (replayed ones included). */
  | { readonly type: 'message'; readonly message: AlertMessage }
  /** A live-stream `alarmReceived` message: an alarm read from the watch, not yet stored. */
  | { readonly type: 'received'; readonly message: AlarmReceivedMessage }
  /** The guardian closes a pending SOS that was never confirmed as stored. */
  | { readonly type: 'dismissPending'; readonly watchId: string; readonly recordedAt: string }
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

function alarmKey(watchId: string, at: string): string {
  return `${watchId}@${at}`;
}

/** The alarm an SOS came from: a stored alert and its pending announcement share it. */
function alarmKeyOf(sos: ActiveSos): string {
  return alarmKey(sos.watchId, sos.alert.recordedAt ?? sos.alert.raisedAt);
}

/** Whether `item` on screen stands for the stored `sos`: it, or its alarm's announcement. */
function standsFor(item: ActiveSos, sos: ActiveSos): boolean {
  return item.isPending === true
    ? alarmKeyOf(item) === alarmKeyOf(sos)
    : keyOf(item.watchId, item.alert.id) === keyOf(sos.watchId, sos.alert.id);
}

function newestFirst(a: ActiveSos, b: ActiveSos): number {
  const byTime = Date.parse(b.alert.raisedAt) - Date.parse(a.alert.raisedAt);
  return byTime === 0 ? b.alert.id - a.alert.id : byTime;
}

function withOpen(state: SosState, sos: ActiveSos): SosState {
  const rest = state.active.filter((item) => !standsFor(item, sos));
  if (state.acknowledged.has(keyOf(sos.watchId, sos.alert.id))) {
    return rest.length === state.active.length ? state : { ...state, active: rest };
  }
  return { ...state, active: [...rest, sos].sort(newestFirst) };
}

function withAcknowledged(state: SosState, sos: ActiveSos): SosState {
  const rest = state.active.filter((item) => !standsFor(item, sos));
  const acknowledged = new Set(state.acknowledged);
  acknowledged.add(keyOf(sos.watchId, sos.alert.id));
  acknowledged.add(alarmKeyOf(sos));
  return {
    active: rest,
    closing: rest.length === state.active.length ? state.closing : sos,
    acknowledged,
  };
}

/**
 * A pending SOS opens unless its alarm is shown already, stored or pending, or was
 * acknowledged (the stored alert's messages can overtake a late announcement on reconnect).
 */
function withPending(state: SosState, message: AlarmReceivedMessage): SosState {
  const sos: ActiveSos = {
    watchId: message.watchId,
    isPending: true,
    alert: {
      id: 0,
      watchId: message.watchId,
      kind: 'sos',
      raisedAt: message.receivedAt,
      recordedAt: message.recordedAt,
      location: message.location,
      details: {},
      acknowledgedAt: null,
      acknowledgedBy: null,
    },
  };
  const key = alarmKeyOf(sos);
  if (state.acknowledged.has(key)) return state;
  if (state.active.some((item) => alarmKeyOf(item) === key)) return state;
  return { ...state, active: [...state.active, sos].sort(newestFirst) };
}

function isSos(alert: Pick<Alert, 'kind'>): boolean {
  return alert.kind === 'sos';
}

/**
 * Which SOS alerts take over the screen. An SOS opens the moment the watch's alarm is read
 * (`alarmReceived`, pending until its stored alert replaces it), when it is raised or repeated
 * and not acknowledged, and when it is found open (raised within the last hour) in a watch's
 * alert list; it closes for good when anyone acknowledges it, whatever order the messages arrive
 * in.
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
    case 'received':
      return action.message.alertKinds.includes('sos') ? withPending(state, action.message) : state;
    case 'dismissPending': {
      const dismissed = alarmKey(action.watchId, action.recordedAt);
      const active = state.active.filter(
        (item) => item.isPending !== true || alarmKeyOf(item) !== dismissed,
      );
      return active.length === state.active.length ? state : { ...state, active };
    }
    case 'acknowledged':
      return withAcknowledged(state, { watchId: action.alert.watchId, alert: action.alert });
    case 'dismiss':
      return state.closing === null ? state : { ...state, closing: null };
  }
}
