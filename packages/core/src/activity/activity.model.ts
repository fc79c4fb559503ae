import type { AccountId } from '../accounts/account.model.ts';
import type { WatchId } from '../watches/watch.model.ts';

/** What a guardian did to or with a watch. */
export type ActivityKind =
  | 'locateNow'
  | 'command'
  | 'settingChanged'
  | 'historyViewed'
  | 'historyExported'
  | 'guardianAdded'
  | 'guardianRemoved'
  | 'guardianLeft'
  | 'adminChanged'
  | 'invitationSent'
  | 'invitationRevoked'
  | 'childProfileChanged'
  | 'photoRequested';

export const ACTIVITY_KINDS: readonly ActivityKind[] = [
  'locateNow',
  'command',
  'settingChanged',
  'historyViewed',
  'historyExported',
  'guardianAdded',
  'guardianRemoved',
  'guardianLeft',
  'adminChanged',
  'invitationSent',
  'invitationRevoked',
  'childProfileChanged',
  'photoRequested',
];

export function isActivityKind(value: string): value is ActivityKind {
  return (ACTIVITY_KINDS as readonly string[]).includes(value);
}

/** A few flat facts about the action (a command type, a time range, a format). */
export type ActivityDetails = Readonly<Record<string, string | number | boolean | null>>;

/** Serialised details may not exceed this many characters: the log is not a data store. */
export const MAX_ACTIVITY_DETAILS_CHARS = 2000;

export interface ActivityEntry {
  /** Increases with every entry stored: newest first is descending id. */
  readonly id: number;
  readonly watchId: WatchId;
  readonly actorId: AccountId;
  /** The actor's nickname when they acted (null when they had none), kept if it changes. */
  readonly actorNickname: string | null;
  readonly kind: ActivityKind;
  readonly details: ActivityDetails;
  readonly at: Date;
}

export type NewActivityEntry = Omit<ActivityEntry, 'id'>;

/** Why details cannot be stored, or undefined when they can. */
export function activityDetailsProblem(details: ActivityDetails): string | undefined {
  for (const [key, value] of Object.entries(details)) {
    const isScalar =
      value === null ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!isScalar) return `detail ${key} is not a string, finite number, boolean or null`;
  }
  const length = JSON.stringify(details).length;
  if (length > MAX_ACTIVITY_DETAILS_CHARS) {
    return `details take ${length} characters, more than ${MAX_ACTIVITY_DETAILS_CHARS}`;
  }
  return undefined;
}
