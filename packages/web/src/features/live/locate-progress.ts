/**
 * The progress of one "locate now", from the press to the fix: the request, then the
 * command's states from the live stream (`commandProgress`), then the next live position.
 * Stream messages can overtake the HTTP answer that names the command, so progress for a
 * command not yet known is kept until the answer arrives.
 */
export type LocatePhase =
  | 'idle'
  | 'requesting'
  | 'queued'
  | 'sent'
  | 'acknowledged'
  /** The watch never confirms this command (its firmware does not); a fix may still come. */
  | 'unconfirmed'
  /** The watch reported but could not place itself; a better fix may still come. */
  | 'noFix'
  | 'fixReceived'
  | 'failed'
  | 'expired'
  | 'rejected';

export interface LocateState {
  readonly phase: LocatePhase;
  readonly commandId: number | null;
  /** Progress heard before the command's id was known, by command id. */
  readonly early: Readonly<Record<number, string>>;
  readonly error: unknown;
}

export type LocateEvent =
  | { readonly type: 'request' }
  | { readonly type: 'accepted'; readonly commandId: number }
  | { readonly type: 'progress'; readonly commandId: number; readonly status: string }
  | { readonly type: 'position'; readonly isPlaced: boolean }
  | { readonly type: 'rejected'; readonly error: unknown };

export const IDLE: LocateState = { phase: 'idle', commandId: null, early: {}, error: null };

const WAITING: readonly LocatePhase[] = [
  'requesting',
  'queued',
  'sent',
  'acknowledged',
  'unconfirmed',
  'noFix',
];
const ORDER: readonly LocatePhase[] = ['requesting', 'queued', 'sent', 'acknowledged'];

/** Whether a fix is still awaited (the button waits too). */
export function isWaiting(state: LocateState): boolean {
  return WAITING.includes(state.phase);
}

function applyStatus(state: LocateState, status: string): LocateState {
  if (!isWaiting(state)) return state;
  if (status === 'failed' || status === 'expired') return { ...state, phase: status };
  if (status === 'unconfirmed') {
    return state.phase === 'noFix' ? state : { ...state, phase: 'unconfirmed' };
  }
  if (status !== 'queued' && status !== 'sent' && status !== 'acknowledged') return state;
  // Never step back: a late "sent" after "acknowledged" changes nothing.
  const current = ORDER.indexOf(state.phase);
  if (current === -1 || ORDER.indexOf(status) <= current) return state;
  return { ...state, phase: status };
}

export function locateReducer(state: LocateState, event: LocateEvent): LocateState {
  switch (event.type) {
    case 'request':
      return { ...IDLE, phase: 'requesting' };
    case 'accepted': {
      if (state.phase === 'idle' || state.phase === 'rejected') return state;
      const known: LocateState = {
        ...state,
        commandId: event.commandId,
        early: {},
        phase: state.phase === 'requesting' ? 'queued' : state.phase,
      };
      const heard = state.early[event.commandId];
      return heard === undefined ? known : applyStatus(known, heard);
    }
    case 'progress':
      if (state.commandId === null) {
        if (state.phase !== 'requesting') return state;
        return { ...state, early: { ...state.early, [event.commandId]: event.status } };
      }
      return event.commandId === state.commandId ? applyStatus(state, event.status) : state;
    case 'position':
      if (!isWaiting(state)) return state;
      return { ...state, phase: event.isPlaced ? 'fixReceived' : 'noFix' };
    case 'rejected':
      return state.phase === 'requesting'
        ? { ...IDLE, phase: 'rejected', error: event.error }
        : state;
  }
}
